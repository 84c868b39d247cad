// Grants: who they cover, what they allow, and their tokens (KMS Developer Guide, "Grants in AWS KMS").
import { randomBytes } from "node:crypto";
import type { Caller } from "../contracts";
import type { EncryptionContext, Grant, GrantConstraints, KmsKey } from "./model";
import { uuidFromBytes, uuidToBytes } from "./uuid-bytes";

/** Grant operations a symmetric encryption key supports; others (Sign, GenerateMac, ...) are refused. */
export const SYMMETRIC_GRANT_OPERATIONS = [
  "Decrypt",
  "Encrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "ReEncryptFrom",
  "ReEncryptTo",
  "CreateGrant",
  "RetireGrant",
  "DescribeKey",
] as const;

const ACCOUNT_ROOT = /^arn:aws:iam::(\d{12}):root$/;

/** A grantee names the session, the user or role behind it (every session of the role), or its account. */
export function principalMatches(principal: string, caller: Caller): boolean {
  if (principal === caller.arn || principal === caller.principalArn || principal === caller.accountId) return true;
  return ACCOUNT_ROOT.exec(principal)?.[1] === caller.accountId;
}

/** Grant constraint keys are case-insensitive, values case-sensitive (API reference, GrantConstraints). */
function lowerKeys(context: EncryptionContext): Map<string, string> {
  return new Map(Object.entries(context).map(([key, value]) => [key.toLowerCase(), value]));
}

function includesAll(context: Map<string, string>, required: EncryptionContext): boolean {
  return Object.entries(required).every(([key, value]) => context.get(key.toLowerCase()) === value);
}

function constraintsHold(constraints: GrantConstraints | undefined, context: EncryptionContext): boolean {
  if (!constraints) return true;
  const request = lowerKeys(context);
  const { EncryptionContextEquals: equals, EncryptionContextSubset: subset } = constraints;
  if (equals && (request.size !== lowerKeys(equals).size || !includesAll(request, equals))) return false;
  if (subset && !includesAll(request, subset)) return false;
  return true;
}

/**
 * Does some grant on the key let the caller do `operation`? `context` is the request's encryption context,
 * or undefined for operations that have none (DescribeKey, RetireGrant): constraints do not apply to those.
 */
export function findGrant(key: KmsKey, caller: Caller, operation: string, context: EncryptionContext | undefined): Grant | undefined {
  return key.grants.find(
    (grant) =>
      grant.operations.includes(operation) && principalMatches(grant.granteePrincipal, caller) && (context === undefined || constraintsHold(grant.constraints, context)),
  );
}

/**
 * A grant that allows CreateGrant may only create grants with no more operations and an equally strict or
 * stricter encryption context constraint (API reference, CreateGrant Constraints).
 */
export function mayDelegate(parent: Grant, operations: string[], constraints: GrantConstraints | undefined): boolean {
  if (!operations.every((operation) => parent.operations.includes(operation))) return false;
  const { EncryptionContextEquals: parentEquals, EncryptionContextSubset: parentSubset } = parent.constraints ?? {};
  if (parentEquals) {
    const childEquals = constraints?.EncryptionContextEquals;
    return childEquals !== undefined && constraintsHold({ EncryptionContextEquals: parentEquals }, childEquals);
  }
  if (parentSubset) {
    const child = constraints?.EncryptionContextEquals ?? constraints?.EncryptionContextSubset;
    return child !== undefined && constraintsHold({ EncryptionContextSubset: parentSubset }, child);
  }
  return true;
}

export function newGrantId(): string {
  return randomBytes(32).toString("hex");
}

const TOKEN_VERSION = 1;

/**
 * Grant tokens are not secrets in KMS: they only name a grant. Ours hold the key id and grant id plus a
 * nonce, so each CreateGrant returns a different token for the same grant, as AWS's do.
 */
export function grantToken(keyId: string, grantId: string): string {
  const body = Buffer.concat([Buffer.from([TOKEN_VERSION]), uuidToBytes(keyId), Buffer.from(grantId, "hex"), randomBytes(16)]);
  return body.toString("base64url");
}

export function parseGrantToken(token: string): { keyId: string; grantId: string } | null {
  const body = Buffer.from(token, "base64url");
  if (body.length !== 65 || body[0] !== TOKEN_VERSION || body.toString("base64url") !== token) return null;
  return {
    keyId: uuidFromBytes(body.subarray(1, 17)),
    grantId: body.subarray(17, 49).toString("hex"),
  };
}
