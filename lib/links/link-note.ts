import "server-only";
import { decryptSmallSecret, encryptSmallSecret, type KmsSession } from "../aws";
import { exchangeEncryptionContext, type ExchangeParties } from "../crypto";

// The note is a small secret like the file name: kms:Encrypt under the exchange's metadata context, so the sender's
// role can write it and only the two parties' roles can read it; the key policy needs no new rule.
const NOTE_PREFIX = "keybridge-link-note:";

export function sealLinkNote(session: KmsSession, exchange: ExchangeParties, linkId: string, note: string): Promise<Buffer> {
  // The link id inside the plaintext stops a note from being moved to another link of the same exchange unnoticed.
  return encryptSmallSecret(session, Buffer.from(`${NOTE_PREFIX}${linkId}:${note}`, "utf8"), exchangeEncryptionContext(exchange, "metadata"));
}

export async function openLinkNote(session: KmsSession, exchange: ExchangeParties, linkId: string, ciphertext: Uint8Array): Promise<string> {
  const plaintext = (await decryptSmallSecret(session, ciphertext, exchangeEncryptionContext(exchange, "metadata"))).toString("utf8");
  const prefix = `${NOTE_PREFIX}${linkId}:`;
  if (!plaintext.startsWith(prefix)) throw new Error("link note belongs to another link");
  return plaintext.slice(prefix.length);
}
