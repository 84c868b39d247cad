import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { createLogger, loggablePath, runWithRequestId } from ".";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger(destination), lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

test("secrets are redacted wherever they sit in a logged object", () => {
  const { logger, lines } = capture();
  logger.info({ password: "hunter2-password", user: { token: "link-token-value", totpSecret: "JBSWY3DPEHPK3PXP" }, request: { headers: { cookie: "next-auth.session-token=abc" } }, code: "123456" }, "sign-in");
  const [line] = lines();
  const text = JSON.stringify(line);
  for (const secret of ["hunter2-password", "link-token-value", "JBSWY3DPEHPK3PXP", "session-token=abc", "123456"]) assert.ok(!text.includes(secret), `${secret} in ${text}`);
  assert.equal(line?.password, "[redacted]");
  assert.equal(line?.msg, "sign-in");
});

test("each line carries the id of the request it was written for, and none outside one", () => {
  const { logger, lines } = capture();
  runWithRequestId("7d9c1c0e-1111-4222-8333-944445555666", () => logger.info("inside"));
  logger.info("outside");
  const [inside, outside] = lines();
  assert.equal(inside?.requestId, "7d9c1c0e-1111-4222-8333-944445555666");
  assert.equal(outside?.requestId, undefined);
  assert.equal(inside?.level, "info");
});

test("a share link's token and any query string never reach a logged path", () => {
  assert.equal(loggablePath("/l/Zm9vYmFyYmF6cXV4?from=mail"), "/l/[token]");
  assert.equal(loggablePath("/api/links/Zm9vYmFyYmF6cXV4/content"), "/api/links/[token]/content");
  assert.equal(loggablePath("/audit?q=contract.pdf"), "/audit");
  assert.equal(loggablePath("/exchanges/2b1e6c2a-0000-4000-8000-000000000000"), "/exchanges/2b1e6c2a-0000-4000-8000-000000000000");
});
