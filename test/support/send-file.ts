import assert from "node:assert/strict";
import { sha256 } from "./bytes";
import type { UploadInput, WebClient } from "./web-client";

export interface SentFile {
  exchangeId: string;
  sha256: string;
}

export type SendOptions = Partial<Omit<UploadInput, "content" | "size">>;

/** An upload exactly as the browser makes one, to Globex unless told otherwise; fails the test on any refusal. */
export async function sendFile(client: WebClient, content: Buffer, options: SendOptions = {}): Promise<SentFile> {
  const sent = await client.upload({ recipientOrg: "globex", fileName: "sent.bin", ...options, content, size: content.length });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  assert.ok(sent.exchangeId);
  return { exchangeId: sent.exchangeId, sha256: sha256(content) };
}
