// Bounded requests (issue 12): a body that is too large is refused before it is read, whatever the endpoint, and a
// client that sends too slowly is cut off; both against the production build behind server.ts.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { HUGE, postHuge } from "../support/huge-body";
import { createPartedUpload, putPart } from "../support/parted-upload";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

const RSS_GROWTH_LIMIT = 16 * 1024 * 1024;

function rssOf(pid: number): number {
  const line = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!line) throw new Error(`no VmRSS for ${pid}`);
  return Number(line[1]) * 1024;
}

/** Runs `work` while sampling the app's RSS; returns the work's result and the peak growth over the start. */
async function measuringRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; growth: number; baseline: number }> {
  const baseline = rssOf(pid);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
  try {
    const result = await work();
    await new Promise((resolve) => setTimeout(resolve, 200));
    peak = Math.max(peak, rssOf(pid));
    return { result, growth: peak - baseline, baseline };
  } finally {
    clearInterval(sampler);
  }
}

const errorOf = (body: string) => (JSON.parse(body) as { error?: { code: string; message: string } }).error;

describe("large bodies before authentication", () => {
  let stack: Stack;
  let csrfCookie: string;

  before(async () => {
    stack = await startStack();
    const anonymous = new WebClient(stack.appUrl);
    await anonymous.fetch("/api/auth/csrf");
    csrfCookie = anonymous.cookieHeader();
  });

  after(async () => {
    await stack?.stop();
  });

  // The JSON route checks the session before it reads: a chunked body may meet its 401 (and a closed connection)
  // before the body limit is reached. Either way nothing was buffered.
  const endpoints: Array<{ name: string; path: string; headers: () => Record<string, string>; chunkedMayAnswer?: number }> = [
    { name: "next-auth credentials callback", path: "/api/auth/callback/credentials", headers: () => ({ "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie }) },
    { name: "sign-in page as a server action", path: "/signin", headers: () => ({ "content-type": "multipart/form-data; boundary=keybridge", "next-action": "7f".repeat(21), accept: "text/x-component" }) },
    { name: "JSON route, not signed in", path: "/api/uploads", headers: () => ({ "content-type": "application/json" }), chunkedMayAnswer: 401 },
  ];

  for (const endpoint of endpoints) {
    for (const declareLength of [true, false]) {
      test(`${endpoint.name}: 256 MB ${declareLength ? "with Content-Length" : "chunked"} is refused with 413 and the server's memory stays flat`, async () => {
        const { result, growth, baseline } = await measuringRss(stack.appPid, () => postHuge(stack.appUrl, endpoint.path, endpoint.headers(), declareLength));
        console.log(`# ${endpoint.name} (${declareLength ? "declared" : "chunked"}): ${result.status}, ${result.bytesSent} bytes sent, RSS ${(baseline / 1048576).toFixed(1)} MiB + ${(growth / 1048576).toFixed(1)} MiB`);
        if (declareLength || result.status !== endpoint.chunkedMayAnswer) {
          assert.equal(result.status, 413, result.body.slice(0, 300));
          assert.equal(errorOf(result.body)?.code, "request_too_large");
        }
        assert.equal(result.connection, "close", "the connection is not reused after an unread body");
        assert.ok(growth < RSS_GROWTH_LIMIT, `RSS grew by ${growth} bytes`);
        assert.ok(result.bytesSent < HUGE, "the server answered before the body was sent");
      });
    }
  }

  test("the server still answers after the refusals, and a small form still works", async () => {
    const client = new WebClient(stack.appUrl);
    assert.equal(await client.signIn("alice@acme.example"), null);
  });

  test("X-Forwarded-Host from a peer that is not a trusted proxy is ignored by the same-site check", async () => {
    const crossSite = (extra: Record<string, string>) =>
      fetch(new URL("/api/uploads", stack.appUrl), { method: "POST", headers: { origin: "http://evil.example", "content-type": "application/json", ...extra }, body: "{}" });
    assert.equal((await crossSite({})).status, 403);
    const spoofed = await crossSite({ "x-forwarded-host": "evil.example" });
    assert.equal(spoofed.status, 403, "a client naming its own site as the forwarded host is still cross-site");
    assert.equal(((await spoofed.json()) as { error: { code: string } }).error.code, "forbidden");
  });
});

describe("X-Forwarded-Host from a trusted proxy", () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack({ configure: (config) => (config.trustedProxies = ["127.0.0.1/32"]) });
  });

  after(async () => {
    await stack?.stop();
  });

  test("is believed: the proxy's public host is the site a same-origin write comes from", async () => {
    const write = (host: string) =>
      fetch(new URL("/api/uploads", stack.appUrl), { method: "POST", headers: { origin: `https://${host}`, "x-forwarded-host": host, "x-forwarded-proto": "https", "content-type": "application/json" }, body: "{}" });
    // Past the same-site check, the request meets the session check.
    assert.equal((await write("files.example.com")).status, 401);
  });
});

/** Opens a raw connection, sends `head`, then one byte of `trickle` every `everyMs`; resolves when the server closes. */
function trickle(baseUrl: string, head: string, trickleBytes: string, everyMs: number): Promise<{ response: string; bytesTrickled: number; seconds: number }> {
  const url = new URL(baseUrl);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let response = "";
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding("utf8");
    socket.on("data", (text: string) => (response += text));
    socket.on("error", () => undefined);
    socket.once("connect", () => {
      socket.write(head);
      timer = setInterval(() => {
        if (sent >= trickleBytes.length || socket.destroyed) return;
        socket.write(trickleBytes[sent] as string);
        sent += 1;
      }, everyMs);
    });
    socket.once("close", () => {
      clearInterval(timer);
      resolve({ response, bytesTrickled: sent, seconds: (Date.now() - started) / 1000 });
    });
    socket.once("timeout", () => reject(new Error("client-side timeout")));
  });
}

describe("slow clients are cut off", () => {
  const BOUND_SECONDS = 2;
  let stack: Stack;
  let alice: WebClient;

  before(async () => {
    stack = await startStack({
      configure: (config) => {
        config.http = { headersTimeoutSeconds: BOUND_SECONDS, requestTimeoutSeconds: BOUND_SECONDS, uploadRateWindowSeconds: BOUND_SECONDS, uploadMinBytes: 64 * 1024 };
      },
    });
    alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
  });

  after(async () => {
    await stack?.stop();
  });

  // Each trickle would take 100 s to finish; the server must close every one long before.
  const TRICKLE = "x".repeat(400);
  const EVERY_MS = 250;

  test("100 connections trickling a small body or their headers are all closed by the server", async () => {
    const host = new URL(stack.appUrl).host;
    const bodies = Array.from({ length: 50 }, () =>
      trickle(stack.appUrl, `POST /api/auth/callback/credentials HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${TRICKLE.length}\r\n\r\n`, TRICKLE, EVERY_MS),
    );
    const headers = Array.from({ length: 50 }, () => trickle(stack.appUrl, `GET /signin HTTP/1.1\r\nHost: ${host}\r\n`, `X-Slow: ${TRICKLE}`, EVERY_MS));
    const results = await Promise.all([...bodies, ...headers]);
    const slowest = Math.max(...results.map((result) => result.seconds));
    console.log(`# 100 trickling connections closed by the server; the last after ${slowest.toFixed(1)} s (bound ${BOUND_SECONDS} s, checked every second)`);
    for (const result of results) {
      assert.ok(result.bytesTrickled < TRICKLE.length, `a trickle of ${result.bytesTrickled} bytes ran to the end`);
      assert.match(result.response, /^HTTP\/1\.1 408 /);
    }
    for (const result of results.slice(0, 50)) assert.equal(errorOf(result.response.slice(result.response.indexOf("\r\n\r\n") + 4))?.code, "request_timeout");
  });

  test("an upload part arriving below the minimum rate is cut; one at a normal rate is stored", async () => {
    const { exchangeId } = await createPartedUpload(alice, { fileName: "slow.bin", size: 1024 * 1024 });
    const host = new URL(stack.appUrl).host;
    const result = await trickle(
      stack.appUrl,
      `PUT /api/uploads/${exchangeId}/parts/1 HTTP/1.1\r\nHost: ${host}\r\nCookie: ${alice.cookieHeader()}\r\nContent-Type: application/octet-stream\r\nX-Keybridge-Part-Sha256: ${"0".repeat(64)}\r\nContent-Length: ${1024 * 1024}\r\n\r\n`,
      TRICKLE,
      EVERY_MS,
    );
    console.log(`# slow part cut after ${result.seconds.toFixed(1)} s and ${result.bytesTrickled} bytes`);
    assert.ok(result.bytesTrickled < TRICKLE.length);
    assert.match(result.response, /^HTTP\/1\.1 408 /);

    const stored = await alice.fetch(`/api/uploads/${exchangeId}/parts`);
    assert.deepEqual(((await stored.json()) as { storedParts: number[] }).storedParts, []);
    const fast = await putPart(alice, exchangeId, 1, randomBytes(1024 * 1024));
    assert.equal(fast.status, 200, await fast.clone().text());
  });
});
