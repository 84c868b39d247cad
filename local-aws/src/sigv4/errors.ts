import { AwsError } from "../contracts";

/** Why a request could not be authenticated; each service names these failures with its own codes and statuses. */
export type AuthFailureKind = "missing-authentication" | "incomplete-signature" | "invalid-token" | "expired-token" | "signature-mismatch";

export class AuthFailure extends Error {
  constructor(
    readonly kind: AuthFailureKind,
    message: string,
    /** The access key id the request named, when it got that far (for the event log). */
    readonly accessKeyId?: string,
  ) {
    super(message);
    this.name = "AuthFailure";
  }
}

export const SIGNATURE_MISMATCH_MESSAGE =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
export const INVALID_TOKEN_MESSAGE = "The security token included in the request is invalid.";
export const EXPIRED_TOKEN_MESSAGE = "The security token included in the request is expired";

// CloudTrail speaks JSON 1.1 like KMS and names authentication failures the same way.
const CODES: Record<"kms" | "sts" | "cloudtrail", Record<AuthFailureKind, [code: string, status: number]>> = {
  kms: {
    "missing-authentication": ["MissingAuthenticationTokenException", 400],
    "incomplete-signature": ["IncompleteSignatureException", 400],
    "invalid-token": ["UnrecognizedClientException", 400],
    "expired-token": ["ExpiredTokenException", 400],
    "signature-mismatch": ["InvalidSignatureException", 400],
  },
  cloudtrail: {
    "missing-authentication": ["MissingAuthenticationTokenException", 400],
    "incomplete-signature": ["IncompleteSignatureException", 400],
    "invalid-token": ["UnrecognizedClientException", 400],
    "expired-token": ["ExpiredTokenException", 400],
    "signature-mismatch": ["InvalidSignatureException", 400],
  },
  sts: {
    "missing-authentication": ["MissingAuthenticationToken", 403],
    "incomplete-signature": ["IncompleteSignature", 400],
    "invalid-token": ["InvalidClientTokenId", 403],
    "expired-token": ["ExpiredToken", 403],
    "signature-mismatch": ["SignatureDoesNotMatch", 403],
  },
};

export function authFailureToAwsError(failure: AuthFailure, service: "kms" | "sts" | "cloudtrail"): AwsError {
  const [code, status] = CODES[service][failure.kind];
  return new AwsError(code, failure.message, status);
}
