// Issue 5 end to end in Debian's Chromium: after an exchange and a download, each organization's auditor sees the
// download on the exchange's timeline; filters live in the URL; the CSV export holds the download; a KMS Decrypt
// made with Globex's role directly against local-aws (not through the app) is flagged.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KMS } from "@aws-sdk/client-kms";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { APP_ACCESS_KEY_ID, APP_SECRET_ACCESS_KEY, EXCHANGE_KEY_ARN, REGION } from "../test/support/stack";
import { expect, test, webClientAs } from "./support/personas";

const APP_URL = process.env.KEYBRIDGE_E2E_URL as string;
const SCREENSHOTS = join("test-results", "screenshots");

test.use({ baseURL: APP_URL });

/** The stack's local-aws (the global setup exports it); never anything but loopback. */
function localAwsUrl(): string {
  const url = process.env.KEYBRIDGE_E2E_AWS_URL;
  if (!url || new URL(url).hostname !== "127.0.0.1") throw new Error(`refusing AWS endpoint ${url ?? "(unset: run with the e2e global setup)"}`);
  return url;
}

/** Decrypts a metadata-shaped ciphertext with Globex's role straight against local-aws, as a leaked credential would. */
async function decryptOutsideTheApp(exchangeId: string): Promise<string> {
  const endpoint = localAwsUrl();
  const sts = new STSClient({ region: REGION, endpoint, credentials: { accessKeyId: APP_ACCESS_KEY_ID, secretAccessKey: APP_SECRET_ACCESS_KEY } });
  const kmsAs = async (roleArn: string, externalId: string, org: string) => {
    const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, ExternalId: externalId, RoleSessionName: `outside-${org}`, Tags: [{ Key: "kb-org", Value: org }] }));
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error("no credentials");
    return new KMS({ region: REGION, endpoint, credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken } });
  };
  const context = { "exchange-id": exchangeId, "sender-org": "acme", "recipient-org": "globex", purpose: "metadata" };
  const acme = await kmsAs("arn:aws:iam::111111111111:role/keybridge-acme-uploader", "keybridge-acme-7f3c2a", "acme");
  const { CiphertextBlob } = await acme.encrypt({ KeyId: EXCHANGE_KEY_ARN, Plaintext: Buffer.from("outside the app"), EncryptionContext: context });
  const globex = await kmsAs("arn:aws:iam::222222222222:role/keybridge-globex-downloader", "keybridge-globex-41d9e6", "globex");
  const decrypted = await globex.decrypt({ KeyId: EXCHANGE_KEY_ARN, CiphertextBlob, EncryptionContext: context });
  return decrypted.$metadata.requestId as string;
}

test("auditors of both organizations follow an exchange and its download, filter, export, and see key use outside the app", async ({ signedIn }) => {
  const alice = webClientAs("alice", APP_URL);
  const bob = webClientAs("bob", APP_URL);
  const content = randomBytes(4096);
  const uploaded = await alice.upload({ recipientOrg: "globex", fileName: "audit-e2e.pdf", content, size: content.length });
  expect(uploaded.status).toBe(200);
  const exchangeId = uploaded.body.exchangeId as string;
  const download = await bob.fetch(`/api/exchanges/${exchangeId}/content`);
  expect(download.status).toBe(200);
  await download.arrayBuffer();

  for (const auditor of ["aria", "greg"] as const) {
    const page = await signedIn(auditor);
    await page.goto("/inbox");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit", exact: true }).click();
    await page.waitForURL("**/audit");
    await expect(page.getByTestId("chain-badge")).toHaveAttribute("data-state", "ok");
    await page.getByTestId("audit-row").filter({ hasText: "Download completed" }).first().getByRole("link").click();
    await page.waitForURL(`**/audit/exchanges/${exchangeId}`);
    const downloaded = page.getByTestId("timeline-item").and(page.locator('[data-action="download.completed"]'));
    await expect(downloaded).toHaveCount(1);
    await expect(downloaded.getByTestId("timeline-who")).toContainText("Bob Brennan (globex, member)");
    await expect(downloaded.getByTestId("timeline-where")).toContainText("127.0.0.1");
    await expect(page.getByTestId("timeline-item").and(page.locator('[data-action="upload.completed"]'))).toHaveCount(1);
  }

  const greg = await signedIn("greg");
  const cspViolations: string[] = [];
  greg.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|unsafe-eval/i.test(message.text())) cspViolations.push(message.text());
  });
  await greg.goto("/audit");
  // The charts are drawn by the chart library in the browser, under the production CSP (no eval, no inline script).
  await expect(greg.getByTestId("audit-charts").locator("svg.recharts-surface")).toHaveCount(4);
  expect(cspViolations).toEqual([]);
  const allRows = await greg.getByTestId("audit-row").count();
  await greg.getByLabel("Action").selectOption("download.completed");
  await greg.getByRole("button", { name: "Apply filters" }).click();
  await greg.waitForURL(/[?&]action=download\.completed/);
  const rows = greg.getByTestId("audit-row");
  await expect(rows.first()).toHaveAttribute("data-action", "download.completed");
  const actions = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute("data-action")));
  expect(new Set(actions)).toEqual(new Set(["download.completed"]));
  expect(actions.length).toBeLessThan(allRows);

  const csvDownload = greg.waitForEvent("download");
  await greg.getByTestId("export-csv").click();
  const csvFile = await csvDownload;
  expect(csvFile.suggestedFilename()).toMatch(/^keybridge-audit-.*\.csv$/);
  const csv = readFileSync(await csvFile.path(), "utf8");
  expect(csv.split("\r\n")[0]).toMatch(/^seq,occurred_at,action,outcome/);
  expect(csv).toMatch(new RegExp(`,download\\.completed,success,.*,exchange,${exchangeId},`));

  const requestId = await decryptOutsideTheApp(exchangeId);
  await greg.goto("/audit");
  // A call younger than the matching grace period is still "being matched": reload until it is judged.
  await expect(async () => {
    await greg.reload();
    await expect(greg.getByTestId("kms-flagged-row").filter({ hasText: requestId })).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  await expect(greg.getByTestId("kms-flagged-row").filter({ hasText: requestId })).toHaveAttribute("data-operation", "Decrypt");
  await expect(greg.getByTestId("kms-match").and(greg.locator('[data-matched="true"]')).first()).toBeVisible();
  await greg.screenshot({ path: join(SCREENSHOTS, "audit.png"), fullPage: true });
});
