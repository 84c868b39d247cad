import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { CreateUploadRequestSchema } from "../contract/transfer";
import { recordAuditEvent } from "../audit";
import { type Actor } from "../auth";
import type { KmsSession } from "../aws";
import { getConfig, getOrganization } from "../config";
import { getDatabase, type Queryable } from "../db";
import { asAppError, AppError } from "../errors/app-error";
import { kmsSessionFor } from "./acting-role";
import { decideExchangeAccess } from "./access-policy";
import { auditFailure } from "./audit-failure";
import { sealMetadata } from "./metadata";
import { partCountFor } from "./parts/part-layout";
import { assertUploadNetwork } from "./upload-network";
import { assertUploadQuota } from "./upload-quota";
import { personEvent } from "./person-event";

/** What the route parsed with the transfer contract's CreateUploadRequestSchema, defaults applied. */
export type CreateUploadInput = z.output<typeof CreateUploadRequestSchema>;

/**
 * Starts an exchange: checks the sender may send to the recipient from where they are, encrypts the file's name,
 * type and message with kms:Encrypt as the sender's role, and records the exchange as waiting for its content.
 */
export interface CreatedUpload {
  exchangeId: string;
  /** How the file is cut into parts: every upload is parted, an empty or small file into one part. */
  parts: { partBytes: number; partCount: number };
}

export async function createUpload(actor: Actor, input: CreateUploadInput): Promise<CreatedUpload> {
  const exchangeId = randomUUID();
  const parties = { id: exchangeId, senderOrg: actor.orgSlug, recipientOrg: input.recipientOrg };
  const partyOrgs = [actor.orgSlug, input.recipientOrg];
  let session: KmsSession | undefined;
  try {
    const org = getOrganization(actor.orgSlug);
    if (!org) throw new AppError("internal", `organization ${actor.orgSlug} is not configured`);
    const decision = decideExchangeAccess(
      { userId: actor.userId, orgSlug: actor.orgSlug, role: actor.role, hasFreshMfa: false },
      "create",
      { senderOrg: actor.orgSlug, senderUserId: actor.userId, recipientOrg: input.recipientOrg, recipientUserIds: null, status: "uploading" },
      org.sendsTo,
    );
    if (!decision.allowed) throw new AppError(decision.code, decision.reason);
    assertUploadNetwork(actor, org);
    const uploads = getConfig().uploads;
    if (input.size > uploads.maxBytes) throw new AppError("too_large", `${input.size} bytes declared`);
    const parts = { partBytes: uploads.partBytes, partCount: partCountFor(input.size, uploads.partBytes) };

    const db = await getDatabase();
    const recipientUserIds = await namedRecipients(db, input.recipientOrg, input.recipientUserIds);
    session = await kmsSessionFor(actor);
    const sealed = {
      fileName: input.fileName,
      contentType: input.contentType,
      message: input.message,
      sender: { userId: actor.userId, displayName: actor.displayName },
      size: input.size,
      audience: { userIds: recipientUserIds, maxDownloads: input.maxDownloads },
    };
    const ciphertext = await sealMetadata(session, parties, sealed);
    const kms = session;
    await db.transaction(async (tx) => {
      await assertUploadQuota(tx, actor.userId, input.size);
      await tx.query(
        `INSERT INTO exchanges (id, sender_org, sender_user_id, sender_display_name, recipient_org, status, metadata_ciphertext, declared_size, part_bytes, part_count, recipient_user_ids, max_downloads)
         VALUES ($1, $2, $3, $4, $5, 'uploading', $6, $7, $8, $9, $10, $11)`,
        [exchangeId, actor.orgSlug, actor.userId, actor.displayName, input.recipientOrg, ciphertext, input.size, parts.partBytes, parts.partCount, recipientUserIds, input.maxDownloads],
      );
      await recordAuditEvent(
        tx,
        personEvent(actor, "upload.started", { type: "exchange", id: exchangeId }, partyOrgs, {
          session: kms,
          details: { declaredBytes: input.size, parts: parts.partCount, namedRecipients: recipientUserIds?.length ?? null, maxDownloads: input.maxDownloads },
        }),
      );
    });
    return { exchangeId, parts };
  } catch (error) {
    const failure = asAppError(error);
    await auditFailure(actor, "upload.started", failure, { exchangeId, partyOrgs, session });
    throw failure;
  }
}

/** The named recipients, checked to be people of the recipient organization who can download (not auditors); null for all. */
async function namedRecipients(db: Queryable, recipientOrg: string, requested: readonly string[]): Promise<string[] | null> {
  const ids = [...new Set(requested)].sort();
  if (ids.length === 0) return null;
  const members = await db.query<{ id: string }>("SELECT id FROM users WHERE id = ANY($1::uuid[]) AND org_slug = $2 AND role <> 'auditor'", [ids, recipientOrg]);
  if (members.length !== ids.length) throw new AppError("invalid_input", "a named recipient is not a member of the recipient organization", "Each named recipient must be a member of the recipient organization who can download files.");
  return ids;
}
