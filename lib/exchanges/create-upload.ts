import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { recordAuditEvent } from "../audit";
import { auditActorOf, auditClientOf, type Actor } from "../auth";
import { awsFailureToAppError, type KmsSession } from "../aws";
import { getConfig, getOrganization } from "../config";
import { getDatabase } from "../db";
import { AppError, isAppError } from "../errors/app-error";
import { errorCodesOf, kmsSessionFor, requestIdsOf } from "./acting-role";
import { decideExchangeAccess } from "./access-policy";
import { auditFailure } from "./audit-failure";
import { sealMetadata } from "./metadata";
import { partCountFor } from "./parts/part-layout";
import { assertUploadNetwork } from "./upload-network";

export const CreateUploadSchema = z.object({
  recipientOrg: z.string().min(1).max(32),
  fileName: z.string().trim().min(1, "a file name is required").max(1000, "the file name is longer than 1,000 characters"),
  contentType: z.string().max(255).default("application/octet-stream"),
  message: z.string().max(2000, "the message is longer than 2,000 characters").default(""),
  size: z.number().int().min(0),
  /** "parts": sent as separately encrypted parts that can be resumed (the browser); "single": one request body. */
  transfer: z.enum(["single", "parts"]).default("single"),
});

export type CreateUploadInput = z.infer<typeof CreateUploadSchema>;

/**
 * Starts an exchange: checks the sender may send to the recipient from where they are, encrypts the file's name,
 * type and message with kms:Encrypt as the sender's role, and records the exchange as waiting for its content.
 */
export interface CreatedUpload {
  exchangeId: string;
  /** Set for parted uploads. */
  parts: { partBytes: number; partCount: number } | null;
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
      { senderOrg: actor.orgSlug, senderUserId: actor.userId, recipientOrg: input.recipientOrg, status: "uploading" },
      org.sendsTo,
    );
    if (!decision.allowed) throw new AppError(decision.code, decision.reason);
    assertUploadNetwork(actor, org);
    const uploads = getConfig().uploads;
    if (input.size > uploads.maxBytes) throw new AppError("too_large", `${input.size} bytes declared`);
    const parts = input.transfer === "parts" ? { partBytes: uploads.partBytes, partCount: partCountFor(input.size, uploads.partBytes) } : null;

    session = await kmsSessionFor(actor);
    const ciphertext = await sealMetadata(session, parties, { fileName: input.fileName, contentType: input.contentType, message: input.message }).catch((error: unknown) => {
      throw isAppError(error) ? error : awsFailureToAppError(error, errorCodesOf(session));
    });
    const kms = session;
    const db = await getDatabase();
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO exchanges (id, sender_org, sender_user_id, sender_display_name, recipient_org, status, metadata_ciphertext, declared_size, part_bytes, part_count)
         VALUES ($1, $2, $3, $4, $5, 'uploading', $6, $7, $8, $9)`,
        [exchangeId, actor.orgSlug, actor.userId, actor.displayName, input.recipientOrg, ciphertext, input.size, parts?.partBytes ?? null, parts?.partCount ?? null],
      );
      await recordAuditEvent(tx, {
        action: "upload.started",
        outcome: "success",
        actor: auditActorOf(actor),
        client: auditClientOf(actor),
        target: { type: "exchange", id: exchangeId },
        partyOrgs,
        aws: { requestIds: requestIdsOf(kms), roleSessionArn: kms.roleSessionArn },
        details: { declaredBytes: input.size, parts: parts?.partCount ?? null },
      });
    });
    return { exchangeId, parts };
  } catch (error) {
    const failure = isAppError(error) ? error : awsFailureToAppError(error, errorCodesOf(session));
    await auditFailure(actor, "upload.started", failure, { exchangeId, partyOrgs, session });
    throw failure;
  }
}
