import "server-only";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { OrganizationConfig } from "../config";
import { awsClientOptions, withRequestIds } from "./client-options";
import { processSingleton } from "../process-singleton";

export interface RoleSessionRequest {
  org: OrganizationConfig;
  user: { id: string; email: string };
  /** When the person last proved a second factor, if that is recent enough to count. */
  mfaVerifiedAt: Date | null;
}

export interface RoleSession {
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date };
  /** arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, as KMS logs name the caller. */
  arn: string;
  /** The STS request that created the session (CloudTrail / local-aws event log). */
  stsRequestId: string | undefined;
}

const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;
// Sessions that carry MFA evidence are kept short so that the evidence cannot outlive the person's check by much.
const MFA_SESSION_SECONDS = 900;
const PLAIN_SESSION_SECONDS = 3600;

const cache = processSingleton("role-session-cache", () => new Map<string, Promise<RoleSession>>());

function sts(): STSClient {
  // Base credentials come from the standard AWS credential chain (env, profile, instance role).
  return processSingleton("sts-client", () => withRequestIds(new STSClient(awsClientOptions(5))));
}

/** STS allows [\w+=,.@-]{2,64} in session names and source identities; an email mostly fits. */
export function stsSafeName(value: string): string {
  const cleaned = value.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
  return cleaned.length >= 2 ? cleaned : `${cleaned}--`.slice(0, 2);
}

export function sessionTags(request: RoleSessionRequest): Record<string, string> {
  return {
    "kb-user": request.user.id,
    "kb-org": request.org.slug,
    "kb-mfa": request.mfaVerifiedAt ? "true" : "false",
    "kb-mfa-at": request.mfaVerifiedAt ? String(Math.floor(request.mfaVerifiedAt.getTime() / 1000)) : "none",
  };
}

async function assume(request: RoleSessionRequest, tags: Record<string, string>): Promise<RoleSession> {
  const name = stsSafeName(request.user.email);
  const response = await sts().send(
    new AssumeRoleCommand({
      RoleArn: request.org.roleArn,
      ExternalId: request.org.externalId,
      RoleSessionName: name,
      SourceIdentity: name,
      DurationSeconds: request.mfaVerifiedAt ? MFA_SESSION_SECONDS : PLAIN_SESSION_SECONDS,
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  const credentials = response.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !credentials.Expiration) {
    throw new Error("STS AssumeRole answered without credentials");
  }
  return {
    credentials: {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration,
    },
    arn: response.AssumedRoleUser?.Arn ?? request.org.roleArn,
    stsRequestId: response.$metadata.requestId,
  };
}

/**
 * Credentials of the acting organization's role, for one person and MFA state. Cached per role, person and tag set
 * until five minutes before they expire; never shared across organizations or people.
 */
export async function getRoleSession(request: RoleSessionRequest): Promise<RoleSession> {
  const tags = sessionTags(request);
  const key = cacheKeyOf(request);
  const cached = cache.get(key);
  if (cached) {
    const session = await cached.catch(() => undefined);
    if (session && session.credentials.expiration.getTime() - Date.now() > REFRESH_BEFORE_EXPIRY_MS) return session;
    if (cache.get(key) === cached) cache.delete(key);
  }
  const pending = assume(request, tags);
  cache.set(key, pending);
  pending.catch(() => {
    if (cache.get(key) === pending) cache.delete(key);
  });
  pruneExpired();
  return pending;
}

function cacheKeyOf(request: RoleSessionRequest): string {
  return JSON.stringify([request.org.roleArn, request.org.externalId, request.user.id, request.user.email, sessionTags(request)]);
}

/** Drops a session that AWS called expired before its stated expiry (revoked, or clocks apart), so the next call assumes anew. */
export async function forgetRoleSession(request: RoleSessionRequest, session: RoleSession): Promise<void> {
  const key = cacheKeyOf(request);
  const cached = cache.get(key);
  if (cached && (await cached.catch(() => undefined)) === session && cache.get(key) === cached) cache.delete(key);
}

function pruneExpired(): void {
  if (cache.size < 1000) return;
  for (const [key, pending] of cache) {
    void pending.then((session) => {
      if (session.credentials.expiration.getTime() - Date.now() <= REFRESH_BEFORE_EXPIRY_MS && cache.get(key) === pending) cache.delete(key);
    }, () => undefined);
  }
}
