import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getDatabase } from "../db";
import { hashPassword } from "./password";
import { sealSecret } from "./secret-box";

export const NewUserSchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  displayName: z.string().trim().min(1).max(100),
  orgSlug: z.string(),
  role: z.enum(["member", "admin", "auditor"]),
  password: z.string().min(12, "passwords have at least 12 characters").max(1024),
  totpSecret: z.string().regex(/^[A-Z2-7]{16,}$/).optional(),
});

export type NewUser = z.infer<typeof NewUserSchema>;

/** Creates the user unless the email exists already (also when two seeders race); returns the user's id either way. */
export async function ensureUser(input: NewUser): Promise<string> {
  const user = NewUserSchema.parse(input);
  const db = await getDatabase();
  const [existing] = await db.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [user.email]);
  if (existing) return existing.id;
  const id = randomUUID();
  await db.query(
    `INSERT INTO users (id, org_slug, email, display_name, role, password_hash, totp_secret_sealed) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (email) DO NOTHING`,
    [id, user.orgSlug, user.email, user.displayName, user.role, await hashPassword(user.password), user.totpSecret ? sealSecret(user.totpSecret, id) : null],
  );
  const [stored] = await db.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [user.email]);
  if (!stored) throw new Error(`user ${user.email} was not stored`);
  return stored.id;
}
