import { createCipheriv, createHash } from "node:crypto";
import type { WebClient } from "./web-client";

export interface CreatedPartedUpload {
  exchangeId: string;
  partsUrl: string;
  partBytes: number;
  partCount: number;
}

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

export async function createPartedUpload(client: WebClient, input: { recipientOrg: string; fileName: string; size: number }): Promise<CreatedPartedUpload> {
  const response = await client.fetch("/api/uploads", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...input, contentType: "application/octet-stream", message: "", transfer: "parts" }),
  });
  const body = (await response.json()) as CreatedPartedUpload & { error?: unknown };
  if (response.status !== 201) throw new Error(`creating a parted upload: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

export function partRange(upload: { partBytes: number; partCount: number }, size: number, partNumber: number): { offset: number; length: number } {
  const offset = (partNumber - 1) * upload.partBytes;
  return { offset, length: Math.min(upload.partBytes, size - offset) };
}

export async function putPart(client: WebClient, exchangeId: string, partNumber: number, bytes: Uint8Array, signal?: AbortSignal): Promise<Response> {
  return client.fetch(`/api/uploads/${exchangeId}/parts/${partNumber}`, { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: bytes as BodyInit, signal });
}

export async function storedParts(client: WebClient, exchangeId: string): Promise<number[]> {
  const response = await client.fetch(`/api/uploads/${exchangeId}/parts`);
  if (response.status !== 200) throw new Error(`listing parts: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { storedParts: number[] }).storedParts;
}

/** Sends the given parts, `concurrency` at a time, each from `bytesOf`; throws on the first refusal. */
export async function sendParts(client: WebClient, exchangeId: string, parts: number[], bytesOf: (partNumber: number) => Buffer, concurrency = 3): Promise<void> {
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

export async function completeUpload(client: WebClient, exchangeId: string): Promise<Response> {
  return client.fetch(`/api/uploads/${exchangeId}/complete`, { method: "POST" });
}
