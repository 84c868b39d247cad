import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { newestBlob } from "../support/blob-files";
import { generatedStream, hashBody, sha256, waitFor } from "../support/bytes";
import { completeUpload, createPartedUpload, putPart, storedParts } from "../support/parted-upload";
import { startStack, type Stack } from "../support/stack";
import { WebClient } from "../support/web-client";

let stack: Stack;
let alice: WebClient;
let bob: WebClient;

before(async () => {
  stack = await startStack({
    configure: (config) => {
      const acme = config.organizations.find((org) => org.slug === "acme");
      if (acme) acme.sendsTo = ["globex", "initech"];
    },
  });
  alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
  bob = await WebClient.signedIn(stack.appUrl, "bob@globex.example");
});

after(async () => {
  await stack?.stop();
});

const FRAME = 1024 * 1024;
for (const size of [0, 1, 4096, FRAME - 1, FRAME, FRAME + 1]) {
  test(`a ${size}-byte file goes from Acme to Globex and back out byte for byte`, async () => {
    const content = randomBytes(size);
    const uploaded = await alice.upload({ recipientOrg: "globex", fileName: `file-${size}.bin`, content, size });
    assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
    assert.equal(uploaded.body.sha256, sha256(content));
    assert.equal(uploaded.body.size, size);

    const download = await bob.fetch(`/api/exchanges/${uploaded.body.exchangeId}/content`);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get("content-length"), String(size));
    assert.equal(download.headers.get("cache-control"), "no-store");
    assert.equal(download.headers.get("x-content-type-options"), "nosniff");
    assert.match(download.headers.get("content-disposition") ?? "", new RegExp(`^attachment; filename="file-${size}\\.bin"`));
    const body = Buffer.from(await download.arrayBuffer());
    assert.equal(body.equals(content), true);
  });
}

test("a 200 MB file streams through encryption and decryption with equal SHA-256", async () => {
  const size = 200 * 1024 * 1024;
  const { stream, digest } = generatedStream(size);
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: "large.bin", content: stream, size });
  assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
  assert.equal(uploaded.body.sha256, await digest);
  const download = await bob.fetch(`/api/exchanges/${uploaded.body.exchangeId}/content`);
  assert.equal(download.status, 200);
  assert.deepEqual(await hashBody(download), { bytes: size, sha256: await digest });
});

test("an upload is one GenerateDataKey for its part and one for its manifest by Acme's uploader role, a download one Decrypt of each by Globex's role, naming the person", async () => {
  const content = randomBytes(5000);
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: "traced.txt", content, size: content.length });
  assert.equal(uploaded.status, 200);
  const exchangeId = uploaded.body.exchangeId as string;
  const download = await bob.fetch(`/api/exchanges/${exchangeId}/content`);
  assert.equal(download.status, 200);
  await download.arrayBuffer();

  const forExchange = (name: string) =>
    stack.awsEvents().filter((event) => event.eventName === name && JSON.stringify(event.requestParameters ?? {}).includes(exchangeId));
  const layouts = (events: ReturnType<typeof forExchange>) => events.map((event) => String(event.requestParameters?.encryptionContext?.layout)).sort();
  const generate = await waitFor(() => (forExchange("GenerateDataKey").length >= 2 ? forExchange("GenerateDataKey") : undefined), "GenerateDataKey events");
  assert.deepEqual(layouts(generate), ["manifest", "part"]);
  const [gdk] = generate;
  assert.equal(gdk?.userIdentity?.arn, "arn:aws:sts::111111111111:assumed-role/keybridge-acme-uploader/alice@acme.example");
  assert.equal(gdk?.userIdentity?.sessionContext?.sourceIdentity, "alice@acme.example");
  assert.match(JSON.stringify(gdk?.userIdentity?.sessionContext ?? {}), /kb-org/);
  assert.equal(gdk?.errorCode, undefined);

  const decrypts = await waitFor(() => {
    const found = forExchange("Decrypt").filter((event) => event.requestParameters?.encryptionContext?.purpose === "file-content");
    return found.length >= 2 ? found : undefined;
  }, "Decrypt events");
  assert.deepEqual(layouts(decrypts), ["manifest", "part"]);
  for (const decrypt of decrypts) assert.equal(decrypt.userIdentity?.arn, "arn:aws:sts::222222222222:assumed-role/keybridge-globex-downloader/bob@globex.example");
});

test("the sender's organization sees its sent exchange but cannot download it", async () => {
  const content = randomBytes(100);
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: "sent.txt", content, size: content.length });
  assert.equal(uploaded.status, 200);
  const sent = await alice.fetch(`/api/exchanges/${uploaded.body.exchangeId}/content`);
  assert.equal(sent.status, 403);
  assert.equal(((await sent.json()) as { error: { code: string } }).error.code, "forbidden");
});

test("Globex cannot read an exchange addressed to Initech, and Initech's role is refused by the key policy", async () => {
  const content = randomBytes(100);
  const uploaded = await alice.upload({ recipientOrg: "initech", fileName: "for-initech.txt", content, size: content.length });
  assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
  const byGlobex = await bob.fetch(`/api/exchanges/${uploaded.body.exchangeId}/content`);
  assert.equal(byGlobex.status, 404);

  const ivan = await WebClient.signedIn(stack.appUrl, "ivan@initech.example");
  const byInitech = await ivan.fetch(`/api/exchanges/${uploaded.body.exchangeId}/content`);
  assert.equal(byInitech.status, 403);
  assert.equal(((await byInitech.json()) as { error: { code: string } }).error.code, "key_service_denied");
  const denied = await waitFor(
    () => stack.awsEvents().find((event) => event.eventName === "Decrypt" && event.errorCode && String(event.userIdentity?.arn).includes("keybridge-initech")),
    "Initech's denied Decrypt in the local-aws event log",
  );
  assert.match(String(denied.errorCode), /AccessDenied/);
});

test("a part with fewer bytes than its place in the layout is refused and kept nowhere; the right bytes then complete it", async () => {
  const upload = await createPartedUpload(alice, { fileName: "short.bin", size: 1000 });
  const put = await putPart(alice, upload.exchangeId, 1, randomBytes(10));
  assert.equal(put.status, 400);
  assert.equal(((await put.json()) as { error: { code: string } }).error.code, "upload_incomplete");
  assert.deepEqual(await storedParts(alice, upload.exchangeId), []);
  const content = randomBytes(1000);
  assert.equal((await putPart(alice, upload.exchangeId, 1, content)).status, 200);
  assert.equal((await completeUpload(alice, upload.exchangeId, sha256(content))).status, 200);
});

test("a blob damaged at rest is refused before its first byte", async () => {
  const size = 3 * 1024 * 1024 + 5;
  const content = randomBytes(size);
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: "tampered.bin", content, size });
  assert.equal(uploaded.status, 200);
  const blob = newestBlob(stack.dataDir);
  const stored = readFileSync(blob);
  const middle = Math.floor(stored.length / 2);
  stored.writeUInt8(stored.readUInt8(middle) ^ 0x01, middle);
  writeFileSync(blob, stored);

  const download = await bob.fetch(`/api/exchanges/${uploaded.body.exchangeId}/content`);
  assert.equal(download.status, 502);
  assert.equal(download.headers.get("content-disposition"), null);
  const body = (await download.json()) as { error: { code: string } };
  assert.equal(body.error.code, "integrity_failure");
});
