import "server-only";
import { openKmsSession, type KmsSession } from "../aws";
import type { Actor } from "../auth";
import { getOrganization } from "../config";
import { AppError } from "../errors/app-error";

/** KMS as the person's own organization's role: each company's calls are made by its own IAM role. */
export function kmsSessionFor(actor: Actor, mfaVerifiedAt: Date | null = null): Promise<KmsSession> {
  const org = getOrganization(actor.orgSlug);
  if (!org) throw new AppError("internal", `organization ${actor.orgSlug} is not configured`);
  return openKmsSession({ org, user: { id: actor.userId, email: actor.email }, mfaVerifiedAt });
}

export function requestIdsOf(session: KmsSession | undefined): Array<string | undefined> {
  return session ? [session.stsRequestId, ...session.calls.map((call) => call.requestId)] : [];
}

