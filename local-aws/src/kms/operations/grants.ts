import { AwsError, type ConditionContext } from "../../contracts";
import { accountRootArn } from "../../world/arns";
import { authorizeOnKey } from "../authorization";
import { encryptionContextContext } from "../context-keys";
import { findGrant, grantToken, mayDelegate, newGrantId, parseGrantToken, principalMatches, SYMMETRIC_GRANT_OPERATIONS } from "../grants";
import { optionalObject, optionalString, optionalStringList, optionalStringMap, requiredString, validationError, type Input } from "../input";
import { requireEnabled } from "../key-state";
import type { Grant, GrantConstraints, KmsKey } from "../model";
import { KEY_ANY_ACCOUNT, type CallScope, type OperationResult } from "../operation";
import { paginate } from "../pagination";
import { epochSeconds } from "../wire";

const ALL_GRANT_OPERATIONS = [
  ...SYMMETRIC_GRANT_OPERATIONS,
  "Sign",
  "Verify",
  "GetPublicKey",
  "GenerateMac",
  "VerifyMac",
  "DeriveSharedSecret",
  "Encapsulate",
  "Decapsulate",
];
const PRINCIPAL = /^(\d{12}|arn:aws:iam::\d{12}:(root|user\/.+|role\/.+)|arn:aws:sts::\d{12}:(assumed-role|federated-user)\/.+)$/;
const GRANT_NAME = /^[a-zA-Z0-9:/_-]+$/;
const GRANT_ID = /^[0-9a-f]{64}$/;
const MAX_CONSTRAINT_PAIRS = 8;
const MAX_CONSTRAINT_VALUE = 384;

function principal(input: Input, field: string): string | undefined {
  const value = optionalString(input, field, { min: 1, max: 256 });
  if (value !== undefined && !PRINCIPAL.test(value)) throw new AwsError("InvalidArnException", `${field} ${value} is not a valid AWS principal ARN`);
  return value;
}

function readOperations(input: Input): string[] {
  const operations = optionalStringList(input, "Operations");
  if (!operations || operations.length === 0) throw validationError("Operations", null, "Member must not be null");
  for (const operation of operations) {
    if (!ALL_GRANT_OPERATIONS.includes(operation)) throw validationError("Operations", operation, `Member must satisfy enum value set: [${ALL_GRANT_OPERATIONS.join(", ")}]`);
    if (!(SYMMETRIC_GRANT_OPERATIONS as readonly string[]).includes(operation)) {
      throw new AwsError("ValidationException", `Grant operation ${operation} is not valid for a symmetric encryption KMS key`);
    }
  }
  return [...new Set(operations)];
}

function readConstraints(input: Input): GrantConstraints | undefined {
  const raw = optionalObject(input, "Constraints");
  if (!raw) return undefined;
  if (raw.SourceArn !== undefined) throw new AwsError("UnsupportedOperationException", "SourceArn grant constraints are for AWS service principals, which local-aws does not have");
  const constraints: GrantConstraints = {};
  for (const field of ["EncryptionContextEquals", "EncryptionContextSubset"] as const) {
    const context = optionalStringMap(raw, field);
    if (!context) continue;
    const entries = Object.entries(context);
    if (entries.length > MAX_CONSTRAINT_PAIRS) throw new AwsError("ValidationException", `${field} can hold at most ${MAX_CONSTRAINT_PAIRS} encryption context pairs`);
    if (entries.some(([, value]) => value.length > MAX_CONSTRAINT_VALUE)) throw new AwsError("ValidationException", `${field} values are at most ${MAX_CONSTRAINT_VALUE} characters`);
    constraints[field] = context;
  }
  return constraints.EncryptionContextEquals || constraints.EncryptionContextSubset ? constraints : undefined;
}

/** Condition keys of CreateGrant; kms:EncryptionContext:* describe the grant's constraint (KMS Developer Guide, condition keys). */
function createGrantContext(grant: Omit<Grant, "id" | "createdAt" | "issuingAccount">): ConditionContext {
  const constraint = grant.constraints?.EncryptionContextEquals ?? grant.constraints?.EncryptionContextSubset;
  return {
    "kms:GranteePrincipal": [grant.granteePrincipal],
    ...(grant.retiringPrincipal ? { "kms:RetiringPrincipal": [grant.retiringPrincipal] } : {}),
    "kms:GrantOperations": grant.operations,
    "kms:GrantConstraintType": Object.keys(grant.constraints ?? {}),
    "kms:GrantIsForAWSResource": ["false"],
    ...(constraint ? encryptionContextContext(constraint) : {}),
  };
}

function sameGrant(a: Grant, b: Omit<Grant, "id" | "createdAt" | "issuingAccount">): boolean {
  return JSON.stringify([a.granteePrincipal, a.retiringPrincipal, [...a.operations].sort(), a.constraints]) === JSON.stringify([b.granteePrincipal, b.retiringPrincipal, [...b.operations].sort(), b.constraints]);
}

export function createGrant(scope: CallScope, input: Input): OperationResult {
  const { key } = scope.resolve(requiredString(input, "KeyId", { min: 1, max: 2048 }), KEY_ANY_ACCOUNT);
  if (input.GranteeServicePrincipal !== undefined || input.RetiringServicePrincipal !== undefined) {
    throw new AwsError("UnsupportedOperationException", "local-aws has no AWS service principals");
  }
  const granteePrincipal = principal(input, "GranteePrincipal");
  if (granteePrincipal === undefined) throw validationError("GranteePrincipal", null, "Member must not be null");
  const name = optionalString(input, "Name", { min: 1, max: 256 });
  if (name !== undefined && !GRANT_NAME.test(name)) throw validationError("Name", name, `Member must satisfy regular expression pattern: ${GRANT_NAME.source}`);
  const retiringPrincipal = principal(input, "RetiringPrincipal");
  const requested = { granteePrincipal, retiringPrincipal, operations: readOperations(input), constraints: readConstraints(input), name };

  const parent = findGrant(key, scope.caller, "CreateGrant", undefined);
  authorizeOnKey(scope.store, scope.call, key, "kms:CreateGrant", {
    context: createGrantContext(requested),
    grantAllows: parent !== undefined && mayDelegate(parent, requested.operations, requested.constraints),
  });
  requireEnabled(key);

  // A named grant is idempotent: retrying with the same parameters returns the same grant (new token).
  const existing = name === undefined ? undefined : key.grants.find((grant) => grant.name === name && sameGrant(grant, requested));
  const grant: Grant = existing ?? { ...requested, id: newGrantId(), createdAt: scope.now, issuingAccount: accountRootArn(scope.caller.accountId) };
  if (!existing) {
    key.grants.push(grant);
    scope.store.commit();
  }
  return { output: { GrantToken: grantToken(key.id, grant.id), GrantId: grant.id }, logOutput: true };
}

function grantEntry(key: KmsKey, grant: Grant): Record<string, unknown> {
  return {
    KeyId: key.arn,
    GrantId: grant.id,
    ...(grant.name !== undefined ? { Name: grant.name } : {}),
    CreationDate: epochSeconds(grant.createdAt),
    GranteePrincipal: grant.granteePrincipal,
    ...(grant.retiringPrincipal !== undefined ? { RetiringPrincipal: grant.retiringPrincipal } : {}),
    IssuingAccount: grant.issuingAccount,
    Operations: grant.operations,
    ...(grant.constraints ? { Constraints: grant.constraints } : {}),
  };
}

export function listGrants(scope: CallScope, input: Input): OperationResult {
  const { key } = scope.resolve(requiredString(input, "KeyId", { min: 1, max: 2048 }), KEY_ANY_ACCOUNT);
  const grantId = optionalString(input, "GrantId", { min: 1, max: 128 });
  const grantee = optionalString(input, "GranteePrincipal", { min: 1, max: 256 });
  authorizeOnKey(scope.store, scope.call, key, "kms:ListGrants", { context: { "kms:GrantIsForAWSResource": ["false"] } });
  const grants = key.grants.filter((grant) => (grantId === undefined || grant.id === grantId) && (grantee === undefined || grant.granteePrincipal === grantee));
  const page = paginate(input, grants, { defaultLimit: 50, maxLimit: 100 });
  return { output: { Grants: page.items.map((grant) => grantEntry(key, grant)), ...page.fields } };
}

function grantIdOf(input: Input): string {
  const id = requiredString(input, "GrantId", { min: 1, max: 128 });
  if (!GRANT_ID.test(id)) throw new AwsError("InvalidGrantIdException", `Invalid grant id ${id}`);
  return id;
}

function existingGrant(key: KmsKey, grantId: string): Grant {
  const grant = key.grants.find((candidate) => candidate.id === grantId);
  if (!grant) throw new AwsError("NotFoundException", `Grant ${grantId} does not exist on key ${key.arn}`);
  return grant;
}

function removeGrant(scope: CallScope, key: KmsKey, grant: Grant): void {
  key.grants = key.grants.filter((candidate) => candidate !== grant);
  scope.store.commit();
}

/** By grant token, or by key and grant id. */
function grantToRetire(scope: CallScope, input: Input): { key: KmsKey; grant: Grant } {
  const token = optionalString(input, "GrantToken", { min: 1, max: 8192 });
  if (token !== undefined) {
    const named = parseGrantToken(token);
    const key = named && scope.store.key(named.keyId, scope.now);
    if (!named || !key) throw new AwsError("InvalidGrantTokenException", "The grant token is not valid");
    scope.touch(key);
    return { key, grant: existingGrant(key, named.grantId) };
  }
  const keyId = optionalString(input, "KeyId", { min: 1, max: 2048 });
  if (keyId === undefined) throw new AwsError("ValidationException", "Specify a GrantToken, or a KeyId and a GrantId");
  const { key } = scope.resolve(keyId, KEY_ANY_ACCOUNT);
  return { key, grant: existingGrant(key, grantIdOf(input)) };
}

/**
 * The retiring principal may retire a grant, and so may its grantee when the grant allows RetireGrant;
 * anyone else needs kms:RetireGrant from the key policy (API reference, RetireGrant).
 */
export function retireGrant(scope: CallScope, input: Input): OperationResult {
  const { key, grant } = grantToRetire(scope, input);
  const { caller } = scope;
  const retiring = grant.retiringPrincipal !== undefined && principalMatches(grant.retiringPrincipal, caller);
  const granteeMayRetire = grant.operations.includes("RetireGrant") && principalMatches(grant.granteePrincipal, caller);
  if (!retiring && !granteeMayRetire) authorizeOnKey(scope.store, scope.call, key, "kms:RetireGrant", { grantAllows: false });
  removeGrant(scope, key, grant);
  return { output: {} };
}

export function revokeGrant(scope: CallScope, input: Input): OperationResult {
  const { key } = scope.resolve(requiredString(input, "KeyId", { min: 1, max: 2048 }), KEY_ANY_ACCOUNT);
  const grantId = grantIdOf(input);
  authorizeOnKey(scope.store, scope.call, key, "kms:RevokeGrant", { context: { "kms:GrantIsForAWSResource": ["false"] } });
  removeGrant(scope, key, existingGrant(key, grantId));
  return { output: {} };
}
