import assert from "node:assert/strict";
import { test } from "node:test";
import { clientAddress, PEER_ADDRESS_HEADER } from "./client-address";

function headers(peer: string | null, forwardedFor?: string): Headers {
  const result = new Headers();
  if (peer !== null) result.set(PEER_ADDRESS_HEADER, peer);
  if (forwardedFor) result.set("x-forwarded-for", forwardedFor);
  return result;
}

const cases: Array<[string, Headers, string[], string | null]> = [
  ["socket peer without proxies", headers("203.0.113.9"), [], "203.0.113.9"],
  ["IPv4-mapped peer", headers("::ffff:198.51.100.7"), [], "198.51.100.7"],
  ["forwarded-for ignored from an untrusted peer", headers("203.0.113.9", "10.0.0.1"), [], "203.0.113.9"],
  ["trusted proxy: right-most untrusted hop", headers("10.0.0.2", "198.51.100.1, 203.0.113.5"), ["10.0.0.0/8"], "203.0.113.5"],
  ["trusted proxy chain is skipped", headers("10.0.0.2", "203.0.113.5, 10.0.0.9"), ["10.0.0.0/8"], "203.0.113.5"],
  ["spoofed left-most entry is not believed", headers("10.0.0.2", "127.0.0.1, 203.0.113.5"), ["10.0.0.0/8"], "203.0.113.5"],
  ["garbage hop fails closed", headers("10.0.0.2", "not-an-ip"), ["10.0.0.0/8"], null],
  ["no peer header (started without server.ts)", headers(null, "203.0.113.5"), [], null],
  ["IPv6 peer", headers("2001:db8::1"), [], "2001:db8::1"],
];

for (const [name, input, proxies, expected] of cases) {
  test(`client address: ${name}`, () => {
    assert.equal(clientAddress(input, proxies), expected);
  });
}
