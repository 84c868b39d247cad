import type { IncomingHttpHeaders } from "node:http";
import type { NetworkList } from "./cidr";

/**
 * What a reverse proxy says about the original request. Next builds redirects and `request.url` from them and
 * checks server actions' Origin against X-Forwarded-Host, so only a trusted proxy may set them.
 */
const FORWARDING_HEADERS = ["x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-forwarded-for", "forwarded"] as const;

/** Deletes the forwarding headers unless the TCP peer is one of the configured trusted proxies. */
export function dropUntrustedForwarding(headers: IncomingHttpHeaders, peer: string | undefined, trustedProxies: NetworkList): void {
  if (peer && trustedProxies.contains(peer)) return;
  for (const name of FORWARDING_HEADERS) delete headers[name];
}
