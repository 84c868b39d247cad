import { createCipheriv, createHash } from "node:crypto";
import { completePath, CreatedUploadSchema, PART_SHA256_HEADER, partPath, partRange, partsPath, UPLOADS_PATH, type CreatedUpload, type PartLayout } from "../../lib/contract/transfer";
import { sha256 } from "./bytes";
import type { WebClient } from "./web-client";


/** Deterministic, distinct bytes for every offset of a large test file, made on demand (AES-256-CTR keystream). */
export function syntheticFile(size: number, seed = "keybridge") {
  const key = createHash("sha256").update(seed).digest();
  const bytesAt = (offset: number, length: number): Buffer => {
    const block = Math.floor(offset / 16);
    const iv = Buffer.alloc(16);
    iv.writeBigUInt64BE(BigInt(block), 8);
    const stream = createCipheriv("aes-256-ctr", key, iv).update(Buffer.alloc(length + (offset % 16)));
    return stream.subarray(offset % 16);
  };
  return {
    size,
    bytesAt,
    sha256(): string {
      const hash = createHash("sha256");
      for (let offset = 0; offset < size; offset += 16 * 1024 * 1024) hash.update(bytesAt(offset, Math.min(16 * 1024 * 1024, size - offset)));
      return hash.digest("hex");
    },
  };
}

/** POST /api/uploads to start an upload; fails the test unless the server answers with a part layout. */
export async function createPartedUpload(client: WebClient, input: { recipientOrg?: string; fileName: string; size: number }): Promise<CreatedUpload & { size: number }> {
  const response = await client.fetch(UPLOADS_PATH, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ recipientOrg: "globex", contentType: "application/octet-stream", message: "", ...input }),
  });
  const body = (await response.json()) as unknown;
  if (response.status !== 201) throw new Error(`creating an upload: ${response.status} ${JSON.stringify(body)}`);
  return { ...CreatedUploadSchema.parse(body), size: input.size };
}

/** The plaintext slice of part `partNumber` of a file laid out as `upload` says (the contract's arithmetic). */
export function partSlice<T extends { subarray(start: number, end: number): T }>(upload: PartLayout, content: T, partNumber: number): T {
  const { start, end } = partRange(upload, partNumber);
  return content.subarray(start, end);
}

/** One part, with the SHA-256 of its plaintext that the server requires (or `sha256`, to declare a wrong one). */
export function putPart(client: WebClient, exchangeId: string, partNumber: number, bytes: Uint8Array, options: { signal?: AbortSignal; sha256?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  return client.fetch(partPath(exchangeId, partNumber), {
    method: "PUT",
    headers: { ...options.headers, "content-type": "application/octet-stream", [PART_SHA256_HEADER]: options.sha256 ?? sha256(bytes) },
    body: bytes as BodyInit,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

export async function storedParts(client: WebClient, exchangeId: string): Promise<number[]> {
  const response = await client.fetch(partsPath(exchangeId));
  if (response.status !== 200) throw new Error(`listing parts: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { storedParts: number[] }).storedParts;
}

/** Sends the given parts, `concurrency` at a time, each from `bytesOf`; throws on the first refusal. */
export async function sendParts(client: WebClient, exchangeId: string, parts: number[], bytesOf: (partNumber: number) => Uint8Array, concurrency = 3): Promise<void> {
  const queue = [...parts];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let partNumber = queue.shift(); partNumber !== undefined; partNumber = queue.shift()) {
        const response = await putPart(client, exchangeId, partNumber, bytesOf(partNumber));
        if (response.status !== 200) throw new Error(`part ${partNumber}: ${response.status} ${await response.text()}`);
      }
    }),
  );
}

/** POST /api/uploads/:id/complete with the whole file's SHA-256, as the client read it. */
export function completeUpload(client: WebClient, exchangeId: string, wholeSha256: string, headers: Record<string, string> = {}): Promise<Response> {
  return client.fetch(completePath(exchangeId), { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ sha256: wholeSha256 }) });
}
