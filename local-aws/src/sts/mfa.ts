import { AwsError, type Caller } from "../contracts";
import type { CallerDirectory } from "./callers";
import { type QueryParams, validationError } from "./params";
import { verifyTotp } from "./totp";

const MFA_FAILED = "MultiFactorAuthentication failed with invalid MFA one time pass code.";

/**
 * Checks `SerialNumber` + `TokenCode` against the calling user's TOTP devices. Returns when MFA was proven (now),
 * or undefined when the request offers no MFA.
 */
export function checkMfa(params: QueryParams, caller: Caller, directory: CallerDirectory, now: Date): Date | undefined {
  const serialNumber = params.get("SerialNumber");
  const tokenCode = params.get("TokenCode");
  if (serialNumber === undefined && tokenCode === undefined) return undefined;
  if (serialNumber === undefined) throw validationError("SerialNumber", null, "Member must not be null when TokenCode is given");
  if (tokenCode === undefined) throw validationError("TokenCode", null, "Member must not be null when SerialNumber is given");
  if (serialNumber.length < 9 || serialNumber.length > 256) throw validationError("SerialNumber", serialNumber, "Member must have length between 9 and 256");
  if (!/^\d{6}$/.test(tokenCode)) throw validationError("TokenCode", tokenCode, "Member must satisfy regular expression pattern: [\\d]* and have length 6");
  // Only IAM users own MFA devices; a role session cannot present one.
  const user = caller.type === "IAMUser" ? directory.findUser(caller.principalArn) : undefined;
  const device = user?.mfaDevices.find((d) => d.serialNumber === serialNumber);
  if (!device || !verifyTotp(device.secret, tokenCode, now)) throw new AwsError("AccessDenied", MFA_FAILED, 403);
  return now;
}
