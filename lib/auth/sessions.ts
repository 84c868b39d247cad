import "server-only";
import { recordAuditEvent } from "../audit";
import { getDatabase } from "../db";
import { z } from "zod";
import { ORG_ROLES, type Actor } from "./actor";

const SessionRowSchema = z.object({
  session_id: z.string(),
  mfa_verified_at: z.date().nullable(),
  user_id: z.string(),
  email: z.string(),
  display_name: z.string(),
  org_slug: z.string(),
  role: z.enum(ORG_ROLES),
});

/** The live session's person, or null when the session was revoked, expired or never existed. */
export async function loadSessionActor(sessionId: string, client: { address: string | null; userAgent: string | null }): Promise<Actor | null> {
  const db = await getDatabase();
  const [row] = await db.queryRows(
    SessionRowSchema,
    `SELECT s.id AS session_id, s.mfa_verified_at, u.id AS user_id, u.email, u.display_name, u.org_slug, u.role
       FROM auth_sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
    [sessionId],
  );
  if (!row) return null;
  return {
    userId: row.user_id,
    email: row.email,
    displayName: row.display_name,
    orgSlug: row.org_slug,
    role: row.role,
    sessionId: row.session_id,
    mfaVerifiedAt: row.mfa_verified_at,
    clientAddress: client.address,
    userAgent: client.userAgent,
  };
}

export async function revokeSession(sessionId: string): Promise<void> {
  const db = await getDatabase();
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ user_id: string; display_name: string; org_slug: string; role: string }>(
      `UPDATE auth_sessions s SET revoked_at = now() FROM users u
        WHERE s.id = $1 AND s.revoked_at IS NULL AND u.id = s.user_id
        RETURNING s.user_id, u.display_name, u.org_slug, u.role`,
      [sessionId],
    );
    if (!row) return;
    await recordAuditEvent(tx, {
      action: "auth.sign_out",
      outcome: "success",
      actor: { userId: row.user_id, displayName: row.display_name, org: row.org_slug, role: row.role },
      target: { type: "session", id: sessionId.slice(0, 8) },
    });
  });
}
