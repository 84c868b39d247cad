import { isIP } from "node:net";
import { normalizeAddress, networkList } from "./cidr";

/**
 * The header the Keybridge server sets from the TCP peer address on every request, overwriting any value a client
 * sent. Without it (the app started some other way) the client address is unknown and network rules fail closed.
 */
export const PEER_ADDRESS_HEADER = "x-keybridge-peer-address";

/**
 * The client's address: the TCP peer, unless the peer is a trusted proxy, in which case X-Forwarded-For is walked
 * from the right past trusted proxies (the left-most entries are whatever the client claimed).
 */
export function clientAddress(headers: Headers, trustedProxies: readonly string[]): string | null {
  const peer = headers.get(PEER_ADDRESS_HEADER);
  if (!peer || isIP(normalizeAddress(peer)) === 0) return null;
  const trusted = networkList(trustedProxies);
  if (!trusted.contains(peer)) return normalizeAddress(peer);
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = normalizeAddress(hops[index] ?? "");
    if (isIP(hop) === 0) return null;
    if (!trusted.contains(hop)) return hop;
  }
  return normalizeAddress(peer);
}
