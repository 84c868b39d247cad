import "server-only";
import { z } from "zod";
import { recordAuditEvent } from "../audit";
import { getDatabase } from "../db";
import { AppError } from "../errors/app-error";
import { auditActorOf, auditClientOf, type Actor } from "./actor";
import { mayAdministerPeople } from "./people-policy";
import { accountLockState, clearSignInBuckets } from "./sign-in-limits";

export interface OrgPerson {
  userId: string;
  displayName: string;
  email: string;
  role: string;
  /** The account's sign-in budget across all addresses is spent: a password alone does not sign in. */
  locked: boolean;
  secondFactor: boolean;
}

function assertAdmin(actor: Actor): void {
  if (!mayAdministerPeople(actor)) throw new AppError("forbidden", `${actor.role} is not an admin`);
}

/** The people of the admin's own organization, with whether each is locked out and has a second factor. */
export async function listOrgPeople(actor: Actor): Promise<OrgPerson[]> {
  assertAdmin(actor);
  const db = await getDatabase();
  const rows = await db.query<{ id: string; display_name: string; email: string; role: string; enrolled: boolean }>(
    "SELECT id, display_name, email, role, totp_secret_sealed IS NOT NULL AS enrolled FROM users WHERE org_slug = $1 ORDER BY display_name, email",
    [actor.orgSlug],
  );
  return Promise.all(
    rows.map(async (row) => ({
      userId: row.id,
      displayName: row.display_name,
      email: row.email,
      role: row.role,
      locked: (await accountLockState(row.email)).locked,
      secondFactor: row.enrolled,
    })),
  );
}

export const UnlockAccountSchema = z.object({ userId: z.string().uuid() });

/**
 * An admin gives a locked-out person of their own organization their sign-in budgets back (every address's, and the
 * second factor's), audited in the same transaction. Someone of another organization is `not_found`, as if absent.
 */
export async function unlockAccount(actor: Actor, input: z.input<typeof UnlockAccountSchema>): Promise<{ userId: string }> {
  assertAdmin(actor);
  const { userId } = UnlockAccountSchema.parse(input);
  const db = await getDatabase();
  return db.transaction(async (tx) => {
    const [person] = await tx.query<{ id: string; email: string; display_name: string }>("SELECT id, email, display_name FROM users WHERE id = $1 AND org_slug = $2", [userId, actor.orgSlug]);
    if (!person) throw new AppError("not_found", "unlock of a user outside the admin's organization");
    await clearSignInBuckets(tx, person.email, person.id);
    await recordAuditEvent(tx, {
      action: "auth.account_unlocked",
      outcome: "success",
      actor: auditActorOf(actor),
      client: auditClientOf(actor),
      target: { type: "user", id: person.id, displayName: person.display_name },
      partyOrgs: [actor.orgSlug],
    });
    return { userId: person.id };
  });
}
