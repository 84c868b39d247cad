import assert from "node:assert/strict";
import { test } from "node:test";
import { networkList } from "./cidr";
import { dropUntrustedForwarding } from "./forwarded-headers";

const sent = () => ({ host: "app.internal", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.7", "x-forwarded-port": "443", forwarded: "host=evil.example" });

test("forwarding headers from a peer that is not a trusted proxy are dropped; the rest stay", () => {
  const headers = sent();
  dropUntrustedForwarding(headers, "203.0.113.9", networkList(["10.0.0.0/8"]));
  assert.deepEqual(headers, { host: "app.internal" });
});

test("with no trusted proxies configured, even loopback's are dropped", () => {
  const headers = sent();
  dropUntrustedForwarding(headers, "::ffff:127.0.0.1", networkList([]));
  assert.deepEqual(headers, { host: "app.internal" });
});

test("a trusted proxy's forwarding headers are kept, IPv4-mapped peers included", () => {
  const headers = sent();
  dropUntrustedForwarding(headers, "::ffff:10.1.2.3", networkList(["10.0.0.0/8"]));
  assert.deepEqual(headers, sent());
});

test("an unknown peer is not trusted", () => {
  const headers = sent();
  dropUntrustedForwarding(headers, undefined, networkList(["0.0.0.0/0"]));
  assert.deepEqual(headers, { host: "app.internal" });
});
