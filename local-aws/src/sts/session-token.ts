import { z } from "zod";
import type { MasterKey } from "../state/master-key";
import { PolicyDocumentSchema } from "../world/schema";

const PURPOSE = "sts-session";

/**
 * Everything a temporary credential stands for, sealed into its own session token with the master key, so that
 * sessions need no table and survive a restart with --state. Identity policies are not sealed: they are read from
 * the world on each request, as AWS evaluates a role's current policies.
 */
export const SessionSchema = z
  .object({
    v: z.literal(1),
    kind: z.enum(["role", "user"]),
    accessKeyId: z.string(),
    secretAccessKey: z.string(),
    account: z.string(),
    /** Role name for role sessions, user name for GetSessionToken sessions. */
    name: z.string(),
    roleSessionName: z.string().optional(),
    issuedAt: z.number(),
    expiresAt: z.number(),
    mfaAt: z.number().optional(),
    tags: z.record(z.string(), z.string()),
    transitiveTagKeys: z.array(z.string()),
    sourceIdentity: z.string().optional(),
    policy: PolicyDocumentSchema.optional(),
    chained: z.boolean(),
  })
  .strict();

export type Session = z.infer<typeof SessionSchema>;

export function sealSession(masterKey: MasterKey, session: Session): string {
  return masterKey.wrap(Buffer.from(JSON.stringify(session)), PURPOSE).toString("base64");
}

/** Null for anything that is not a token this master key sealed. */
export function openSession(masterKey: MasterKey, token: string): Session | null {
  const plaintext = masterKey.unwrap(Buffer.from(token, "base64"), PURPOSE);
  if (!plaintext) return null;
  try {
    const parsed = SessionSchema.safeParse(JSON.parse(plaintext.toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
