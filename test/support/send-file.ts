import assert from "node:assert/strict";
import { completePath, PART_SHA256_HEADER, partPath, UPLOADS_PATH } from "../../lib/contract/transfer";
import { sha256 } from "./bytes";
import type { WebClient } from "./web-client";

export interface SentFile {
  exchangeId: string;
  sha256: string;
}

export interface SendOptions {
  recipientOrg?: string;
  fileName?: string;
  message?: string;
  /** Only these people of the recipient organization may download (default: all of them). */
  recipientUserIds?: string[];
  maxDownloads?: number | null;
  /** Declared at completion instead of the content's real SHA-256: a sender's client that lies or is wrong. */
  declaredSha256?: string;
  headers?: Record<string, string>;
}

/** An upload exactly as the browser makes one: create, each part with its SHA-256, complete with the whole file's. */
export async function sendFile(client: WebClient, content: Buffer, options: SendOptions = {}): Promise<SentFile> {
  const headers = { "content-type": "application/json", ...options.headers };
  const created = await client.fetch(UPLOADS_PATH, {
    method: "POST",
    headers,
    body: JSON.stringify({
      recipientOrg: options.recipientOrg ?? "globex",
      fileName: options.fileName ?? "sent.bin",
      message: options.message ?? "",
      size: content.length,
      recipientUserIds: options.recipientUserIds ?? [],
      maxDownloads: options.maxDownloads ?? null,
    }),
  });
  const layout = (await created.json()) as { exchangeId: string; partBytes: number; partCount: number };
  assert.equal(created.status, 201, JSON.stringify(layout));
  for (let part = 1; part <= layout.partCount; part += 1) {
    const bytes = content.subarray((part - 1) * layout.partBytes, part * layout.partBytes);
    const stored = await client.fetch(partPath(layout.exchangeId, part), {
      method: "PUT",
      headers: { ...options.headers, "content-type": "application/octet-stream", [PART_SHA256_HEADER]: sha256(bytes) },
      body: bytes as BodyInit,
    });
    assert.equal(stored.status, 200, await stored.text());
  }
  const digest = sha256(content);
  const completed = await client.fetch(completePath(layout.exchangeId), { method: "POST", headers, body: JSON.stringify({ sha256: options.declaredSha256 ?? digest }) });
  assert.equal(completed.status, 200, await completed.text());
  return { exchangeId: layout.exchangeId, sha256: digest };
}
