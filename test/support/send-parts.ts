import assert from "node:assert/strict";
import { sha256 } from "./bytes";
import type { WebClient } from "./web-client";

/** Starts an upload to Globex under the current transfer contract (lib/contract/transfer.ts). */
export async function startUpload(client: WebClient, fileName: string, size: number): Promise<{ exchangeId: string; partBytes: number; partCount: number }> {
  const response = await client.fetch("/api/uploads", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ recipientOrg: "globex", fileName, size }) });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as { exchangeId: string; partBytes: number; partCount: number };
}

/** One part, with the plaintext digest header the server requires. */
export function putPart(client: WebClient, exchangeId: string, partNumber: number, bytes: Uint8Array): Promise<Response> {
  return client.fetch(`/api/uploads/${exchangeId}/parts/${partNumber}`, {
    method: "PUT",
    headers: { "content-type": "application/octet-stream", "x-keybridge-part-sha256": sha256(bytes) },
    body: bytes as BodyInit,
  });
}

export function finishUpload(client: WebClient, exchangeId: string, content: Uint8Array): Promise<Response> {
  return client.fetch(`/api/uploads/${exchangeId}/complete`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sha256: sha256(content) }) });
}

/** Sends `content` part by part and completes it; returns the exchange id. */
export async function sendExchange(client: WebClient, fileName: string, content: Buffer): Promise<string> {
  const upload = await startUpload(client, fileName, content.length);
  for (let part = 1; part <= upload.partCount; part += 1) {
    const stored = await putPart(client, upload.exchangeId, part, content.subarray((part - 1) * upload.partBytes, part * upload.partBytes));
    assert.equal(stored.status, 200, await stored.clone().text());
  }
  const completed = await finishUpload(client, upload.exchangeId, content);
  assert.equal(completed.status, 200, await completed.clone().text());
  return upload.exchangeId;
}
