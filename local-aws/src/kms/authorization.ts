import { AwsError, type CallInfo, type ConditionContext } from "../contracts";
import { authorize } from "../iam";
import { callerContext, keyContext } from "./context-keys";
import { findGrant, SYMMETRIC_GRANT_OPERATIONS } from "./grants";
import type { KeyStore } from "./key-store";
import type { EncryptionContext, KmsKey } from "./model";

export interface KeyAuthorization {
  /** Set when the request named the key through an alias. */
  requestAlias?: string;
  /** Operation-specific condition keys (encryption context, grant operations, ...). */
  context?: ConditionContext;
  /** The request's encryption context, checked against grant constraints; omit for operations without one. */
  encryptionContext?: EncryptionContext;
  /** Overrides grant matching, for CreateGrant whose grants must also pass a delegation check. */
  grantAllows?: boolean;
}

function deny(message: string): AwsError {
  return new AwsError("AccessDeniedException", message);
}

/** `action` on a key: the key policy, grants, and the caller's identity and session policies decide. */
export function authorizeOnKey(store: KeyStore, call: CallInfo, key: KmsKey, action: string, options: KeyAuthorization = {}): void {
  const operation = action.slice("kms:".length);
  const grantable = (SYMMETRIC_GRANT_OPERATIONS as readonly string[]).includes(operation);
  const grantAllows = options.grantAllows ?? (grantable && findGrant(key, call.caller, operation, options.encryptionContext) !== undefined);
  const result = authorize({
    call,
    action,
    resource: key.arn,
    resourceAccountId: key.accountId,
    context: { ...callerContext(call.caller), ...keyContext(store, key, options.requestAlias), ...options.context },
    resourcePolicy: key.policy,
    grantAllows,
  });
  if (result.decision !== "Allow") throw deny(result.message);
}

/** Actions on "*" or on an alias: only identity (and session) policies apply. */
export function authorizeByIdentity(call: CallInfo, action: string, resource: string, resourceAccountId: string, context: ConditionContext = {}): void {
  const result = authorize({ call, action, resource, resourceAccountId, context: { ...callerContext(call.caller), ...context } });
  if (result.decision !== "Allow") throw deny(result.message);
}
