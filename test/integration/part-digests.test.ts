// The sender's client proves what it read (issue 13), over HTTP against the production build, local-aws and both
// databases: every part carries the SHA-256 of the plaintext the client read and the server keeps it only if it
// encrypted exactly those bytes; completion declares the whole file's SHA-256, which is sealed in the manifest that
// downloads are verified against. Nothing refused leaves a row or a blob behind.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  CompletedUploadSchema,
  CreatedUploadSchema,
  ErrorBodySchema,
  PART_SHA256_HEADER,
  UPLOADS_PATH,
  UploadStatusSchema,
  completePath,
  partPath,
  partRange,
  partsPath,
  type CreatedUpload,
} from "../../lib/contract/transfer";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

const PART_BYTES = 64 * 1024;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

for (const database of ["pglite", "postgresql"] as const) {
  describe(`part and file digests (${database})`, () => {
    let postgres: PostgresServer | undefined;
    let databaseUrl: string | undefined;
    let stack: Stack;
    let alice: WebClient;
    let bob: WebClient;

    before(async () => {
      if (database === "postgresql") {
        postgres = await startPostgres();
        databaseUrl = postgres.createDatabase("digests");
      }
      stack = await startStack({
        databaseUrl,
        configure: (config) => {
          config.uploads = { partBytes: PART_BYTES };
        },
      });
      [alice, bob] = await Promise.all([WebClient.signedIn(stack.appUrl, "alice@acme.example"), WebClient.signedIn(stack.appUrl, "bob@globex.example")]);
    });

    after(async () => {
      await stack?.stop();
      await postgres?.stop();
    });

    // The blob directory appears with the first blob stored.
    const listed = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
    const blobs = () => listed(join(stack.dataDir, "blobs")).filter((name) => name !== ".incoming");
    const incoming = () => listed(join(stack.dataDir, "blobs", ".incoming"));

    async function create(size: number): Promise<CreatedUpload> {
      const response = await alice.fetch(UPLOADS_PATH, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ recipientOrg: "globex", fileName: "digests.bin", contentType: "application/octet-stream", message: "", size }),
      });
      assert.equal(response.status, 201);
      return CreatedUploadSchema.parse(await response.json());
    }

    const put = (exchangeId: string, part: number, bytes: Uint8Array, digest: string | null) =>
      alice.fetch(partPath(exchangeId, part), {
        method: "PUT",
        headers: { "content-type": "application/octet-stream", ...(digest === null ? {} : { [PART_SHA256_HEADER]: digest }) },
        body: bytes as BodyInit,
      });

    const complete = (exchangeId: string, body: unknown) =>
      alice.fetch(completePath(exchangeId), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

    async function status(exchangeId: string) {
      const response = await alice.fetch(partsPath(exchangeId));
      assert.equal(response.status, 200);
      return UploadStatusSchema.parse(await response.json());
    }

    async function refusal(response: Response, status: number, code: string) {
      assert.equal(response.status, status);
      const body = ErrorBodySchema.parse(await response.json());
      assert.equal(body.error.code, code);
      return body.error;
    }

    function slice(content: Buffer, upload: CreatedUpload, part: number): Buffer {
      const { start, end } = partRange({ size: content.length, partBytes: upload.partBytes, partCount: upload.partCount }, part);
      return content.subarray(start, end);
    }

    test("a part whose declared SHA-256 differs from its bytes is refused, not retryable, and leaves nothing", async () => {
      const content = randomBytes(PART_BYTES * 2 + 100);
      const upload = await create(content.length);
      const blobsBefore = blobs().length;

      const wrong = await put(upload.exchangeId, 1, slice(content, upload, 1), sha256(slice(content, upload, 2)));
      const error = await refusal(wrong, 422, "part_digest_mismatch");
      assert.equal(error.retryable, false);
      assert.doesNotMatch(error.message, /[0-9a-f]{64}/, "the message names no digest");
      assert.deepEqual((await status(upload.exchangeId)).parts, []);
      assert.equal(blobs().length, blobsBefore, "no blob kept");
      assert.deepEqual(incoming(), [], "no partial blob kept");

      // A part already stored stays when a bad copy of it is refused.
      const good = await put(upload.exchangeId, 1, slice(content, upload, 1), sha256(slice(content, upload, 1)));
      assert.equal(good.status, 200, await good.clone().text());
      assert.deepEqual(await good.json(), { partNumber: 1, bytes: PART_BYTES, sha256: sha256(slice(content, upload, 1)) });
      const tampered = Buffer.from(slice(content, upload, 1));
      tampered[7] = (tampered[7] ?? 0) ^ 1;
      await refusal(await put(upload.exchangeId, 1, tampered, sha256(slice(content, upload, 1))), 422, "part_digest_mismatch");
      assert.deepEqual((await status(upload.exchangeId)).parts, [{ partNumber: 1, bytes: PART_BYTES, sha256: sha256(slice(content, upload, 1)) }]);
      assert.equal(blobs().length, blobsBefore + 1);

      if (databaseUrl) {
        const audited = execFileSync("psql", [databaseUrl, "-At", "-c", `SELECT count(*) FROM audit_events WHERE action = 'upload.failed' AND reason = 'part_digest_mismatch' AND target_id = '${upload.exchangeId}'`], { encoding: "utf8" }).trim();
        assert.equal(audited, "2", "each refused part is audited");
      }
    });

    test("a part without its SHA-256, or with a malformed one, is refused before anything is stored", async () => {
      const content = randomBytes(PART_BYTES);
      const upload = await create(content.length);
      const blobsBefore = blobs().length;
      for (const digest of [null, "", sha256(content).toUpperCase().slice(2), `${sha256(content)}0`]) {
        const error = await refusal(await put(upload.exchangeId, 1, content, digest), 400, "invalid_input");
        assert.match(error.message, new RegExp(PART_SHA256_HEADER));
      }
      assert.deepEqual((await status(upload.exchangeId)).parts, []);
      assert.equal(blobs().length, blobsBefore);
    });

    test("completion needs the whole file's SHA-256; without it the upload stays open", async () => {
      const content = randomBytes(PART_BYTES + 1);
      const upload = await create(content.length);
      for (let part = 1; part <= upload.partCount; part += 1) assert.equal((await put(upload.exchangeId, part, slice(content, upload, part), sha256(slice(content, upload, part)))).status, 200);
      for (const body of [{}, { sha256: null }, { sha256: "x".repeat(64) }, { sha256: sha256(content), extra: 1 }]) await refusal(await complete(upload.exchangeId, body), 400, "invalid_input");
      const noJson = await alice.fetch(completePath(upload.exchangeId), { method: "POST" });
      await refusal(noJson, 415, "unsupported_media_type");
      assert.equal((await status(upload.exchangeId)).parts.length, 2, "still an upload in progress");
      const completed = await complete(upload.exchangeId, { sha256: sha256(content) });
      assert.equal(completed.status, 200, await completed.clone().text());
      assert.equal(CompletedUploadSchema.parse(await completed.json()).sha256, sha256(content));
    });

    test("the declared whole-file SHA-256 is sealed in the manifest: the download carries it, and content that differs from it ends short", async () => {
      const content = randomBytes(PART_BYTES * 3 + 5);
      const sendAll = async (upload: CreatedUpload) => {
        for (let part = upload.partCount; part >= 1; part -= 1) assert.equal((await put(upload.exchangeId, part, slice(content, upload, part), sha256(slice(content, upload, part)))).status, 200);
      };

      const honest = await create(content.length);
      await sendAll(honest);
      const completed = CompletedUploadSchema.parse(await (await complete(honest.exchangeId, { sha256: sha256(content) })).json());
      assert.deepEqual(completed, { exchangeId: honest.exchangeId, size: content.length, partCount: 4, sha256: sha256(content) });
      const download = await bob.fetch(`/api/exchanges/${honest.exchangeId}/content`);
      assert.equal(download.status, 200);
      assert.equal(download.headers.get("x-keybridge-sha256"), sha256(content));
      assert.equal(sha256(Buffer.from(await download.arrayBuffer())), sha256(content));

      // A client that declares a digest other than its parts' (every part checked, the whole claimed falsely): the
      // recipient gets an incomplete transfer, never a file whose digest differs from the one shown.
      const liar = await create(content.length);
      await sendAll(liar);
      const claimed = sha256(Buffer.from("something else"));
      assert.equal((await complete(liar.exchangeId, { sha256: claimed })).status, 200);
      const cut = await bob.fetch(`/api/exchanges/${liar.exchangeId}/content`);
      if (cut.status === 200) {
        assert.equal(cut.headers.get("x-keybridge-sha256"), claimed);
        const declared = Number(cut.headers.get("content-length"));
        let received = 0;
        let failed = false;
        try {
          const reader = (cut.body as ReadableStream<Uint8Array>).getReader();
          for (let read = await reader.read(); !read.done; read = await reader.read()) received += read.value.byteLength;
        } catch {
          failed = true;
        }
        assert.ok(failed || received < declared, `the download ended short (${received} of ${declared} bytes)`);
        assert.ok(received < content.length);
      } else {
        await refusal(cut, 502, "integrity_failure");
      }
    });

    test("a one-part file's declared SHA-256 must be its part's", async () => {
      const content = randomBytes(1000);
      const upload = await create(content.length);
      assert.equal((await put(upload.exchangeId, 1, content, sha256(content))).status, 200);
      await refusal(await complete(upload.exchangeId, { sha256: sha256(Buffer.from("other")) }), 422, "file_digest_mismatch");
      assert.equal((await complete(upload.exchangeId, { sha256: sha256(content) })).status, 200);
    });

    test("a burst of 100 copies of one part, half with a wrong digest: only good copies are kept, and exactly one remains", async () => {
      const content = randomBytes(PART_BYTES);
      const upload = await create(content.length);
      const blobsBefore = blobs().length;
      const statuses = await Promise.all(
        Array.from({ length: 100 }, async (_, index) => {
          const response = await put(upload.exchangeId, 1, content, index % 2 === 0 ? sha256(content) : sha256(Buffer.from(String(index))));
          await response.arrayBuffer();
          return response.status;
        }),
      );
      const counts = statuses.reduce<Record<number, number>>((tally, code) => ({ ...tally, [code]: (tally[code] ?? 0) + 1 }), {});
      assert.equal(counts[422], 50, JSON.stringify(counts));
      // Good copies are stored (200) or lose a race for the row only if the app says so; none is refused for its digest.
      assert.equal((counts[200] ?? 0) + (counts[422] ?? 0), 100, JSON.stringify(counts));
      assert.deepEqual((await status(upload.exchangeId)).parts, [{ partNumber: 1, bytes: PART_BYTES, sha256: sha256(content) }]);
      assert.equal(blobs().length, blobsBefore + 1, "the replaced and refused copies left no blob");
      assert.deepEqual(incoming(), []);
    });
  });
}
