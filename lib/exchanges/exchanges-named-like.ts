import "server-only";
import type { Actor } from "../auth";
import { listInbox, listSent } from "./list-exchanges";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids of the actor's organization's recent exchanges whose file name contains `text` (case-insensitive). Names are
 * encrypted, so this decrypts them as the actor's own role, exactly as the Sent and Inbox pages do (and is audited
 * the same way): a person can find by name only what they may read by name.
 */
export async function exchangesNamedLike(actor: Actor, text: string | undefined): Promise<string[]> {
  const needle = text?.trim().toLowerCase();
  if (!needle || UUID.test(needle)) return [];
  const [sent, received] = await Promise.all([listSent(actor), listInbox(actor)]);
  return [...sent, ...received].filter((exchange) => exchange.fileName?.toLowerCase().includes(needle)).map((exchange) => exchange.id);
}
