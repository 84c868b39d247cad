// Issue 3 end to end in Debian's Chromium: an Acme member signs in with TOTP and drops three files (one of 50 MB)
// on the upload page; a Globex member signs in, finds them in the Inbox, downloads each, and gets the same bytes.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { DEMO_PASSWORD } from "../scripts/demo-users";
import { nextTotpCode } from "../test/support/totp-codes";
import { sha256OfFile, throttleUploads, writeRandomFile, type LocalFile } from "./support/local-files";
import { demoUser, expect, test } from "./support/personas";

const APP_URL = process.env.KEYBRIDGE_E2E_URL;
const SCREENSHOTS = join("test-results", "screenshots");

test.use({ baseURL: APP_URL });

function writeTextFile(dir: string, name: string, text: string): LocalFile {
  const path = join(dir, name);
  writeFileSync(path, text);
  const bytes = Buffer.from(text);
  return { name, path, size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/**
 * Drops files on the drop zone with a real DataTransfer. The files are staged through a throwaway file input so
 * that the browser gets disk-backed File objects (a 50 MB file is never copied through the test protocol).
 */
async function dropFiles(page: Page, files: LocalFile[]): Promise<void> {
  await page.evaluate(() => {
    const input = document.createElement("input");
    input.type = "file";
    input.multiple = true;
    input.id = "e2e-drop-staging";
    input.hidden = true;
    document.body.append(input);
  });
  await page.setInputFiles("#e2e-drop-staging", files.map((file) => file.path));
  const dataTransfer = await page.evaluateHandle(() => {
    const input = document.getElementById("e2e-drop-staging") as HTMLInputElement;
    const transfer = new DataTransfer();
    for (const file of Array.from(input.files ?? [])) transfer.items.add(file);
    input.remove();
    return transfer;
  });
  const zone = page.getByTestId("drop-zone");
  await zone.dispatchEvent("dragenter", { dataTransfer });
  await zone.dispatchEvent("dragover", { dataTransfer });
  await expect(zone).toHaveClass(/drop-zone-active/);
  await zone.dispatchEvent("drop", { dataTransfer });
  await dataTransfer.dispose();
}

/** Records every progress text each upload row shows, so that the test can check progress was visible mid-way. */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Array<{ name: string; value: number; text: string }> = [];
    (window as unknown as { __progressSeen: typeof seen }).__progressSeen = seen;
    const sample = () => {
      for (const item of Array.from(document.querySelectorAll('[data-testid="upload-item"]'))) {
        const bar = item.querySelector("progress");
        const text = item.querySelector('[data-testid="upload-progress-text"]');
        const name = item.querySelector(".upload-name")?.textContent ?? "";
        if (bar && text) seen.push({ name, value: bar.value, text: text.textContent ?? "" });
      }
    };
    new MutationObserver(sample).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

test.describe("exchange between organizations", () => {
  let dir: string;
  let files: LocalFile[];

  test.beforeAll(() => {
    expect(APP_URL, "KEYBRIDGE_E2E_URL is set by e2e/global-setup.ts").toBeTruthy();
    mkdirSync(SCREENSHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), "keybridge-e2e-"));
    const run = randomBytes(3).toString("hex");
    files = [
      writeTextFile(dir, `meeting-notes-${run}.txt`, `Quarterly review notes (run ${run})\n${"Line of notes about the agreement.\n".repeat(120)}`),
      writeRandomFile(dir, `figures-${run}.bin`, 300 * 1024 + 17),
      writeRandomFile(dir, `site-survey-${run}.bin`, 50 * 1024 * 1024),
    ];
  });

  test.afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("Acme uploads three files by drag-and-drop; Globex downloads the same bytes", async ({ signedIn }) => {
    // --- Alice at Acme sends the files -------------------------------------------------------------------------
    const page = await signedIn("alice");
    await page.goto("/inbox");
    await expect(page.getByRole("banner")).toContainText("Acme Corporation");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Upload" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Upload" })).toBeVisible();

    await page.getByLabel("Send to").selectOption({ label: "Globex Industries" });
    await page.getByLabel(/Message/).fill("Survey data and notes for the Globex team.");
    await dropFiles(page, files);

    const items = page.getByTestId("upload-item");
    await expect(items).toHaveCount(3);
    for (const file of files) await expect(items.filter({ hasText: file.name })).toHaveAttribute("data-phase", "ready");

    await recordProgress(page);
    // Loopback is so fast that 50 MB would be gone before anyone saw it move; DevTools throttling slows the upload.
    await throttleUploads(page, 25 * 1024 * 1024);
    await page.getByRole("button", { name: "Send 3 files to Globex Industries" }).click();

    const big = items.filter({ hasText: files[2]!.name });
    await expect(big.getByTestId("upload-progress")).toBeVisible();
    await expect(big.getByTestId("upload-progress-text")).toContainText(/\d+%\s*[\d.]+ MB of 50\.0 MB\s*[\d.]+ [KM]B\/s\s*.+ left/);
    await expect(big.getByTestId("upload-cancel")).toBeEnabled();
    await page.screenshot({ path: join(SCREENSHOTS, "upload-in-progress.png"), fullPage: true });
    for (const file of files) {
      const item = items.filter({ hasText: file.name });
      await expect(item).toHaveAttribute("data-phase", "done", { timeout: 120_000 });
      await expect(item.getByTestId("upload-status")).toContainText("Sent");
      await expect(item.getByTestId("upload-error")).toHaveCount(0);
      await expect(item.getByTestId("upload-exchange-link")).toBeVisible();
    }
    // The message stays for the next files.
    await expect(page.getByLabel(/Message/)).toHaveValue("Survey data and notes for the Globex team.");

    // Progress was shown while the 50 MB file was on its way: a percentage, bytes so far, a speed and time left.
    const seen = await page.evaluate(() => (window as unknown as { __progressSeen: Array<{ name: string; value: number; text: string }> }).__progressSeen);
    const bigProgress = seen.filter((entry) => entry.name === files[2]!.name);
    expect(bigProgress.some((entry) => entry.value > 0 && entry.value < 100 && /\d+%.*of 50\.0 MB/.test(entry.text)), JSON.stringify(bigProgress.slice(0, 5))).toBe(true);
    expect(bigProgress.some((entry) => /MB\/s.*left/.test(entry.text)), "speed and time left were shown").toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, "upload.png"), fullPage: true });

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sent" }).click();
    for (const file of files) await expect(page.getByTestId("exchange-row").filter({ hasText: file.name })).toContainText("Globex Industries");

    // --- Bob at Globex receives them, in a browser context of his own -------------------------------------------
    const bob = await signedIn("bob");
    await bob.goto("/inbox");
    await expect(bob.getByRole("banner")).toContainText("Globex Industries");
    const table = bob.getByRole("table", { name: /Files received by Globex Industries/ });
    for (const file of files) {
      const row = table.getByTestId("exchange-row").filter({ hasText: file.name });
      await expect(row).toHaveCount(1);
      await expect(row).toContainText("Acme Corporation");
      await expect(row).toContainText("Alice Anders");
    }
    await bob.screenshot({ path: join(SCREENSHOTS, "inbox.png"), fullPage: true });

    for (const file of files) {
      await bob.getByRole("link", { name: file.name, exact: true }).click();
      await expect(bob.getByTestId("exchange-file-name")).toHaveText(file.name);
      // Uploads go in parts (issue 7), which keep no whole-file SHA-256 on the server: the downloaded bytes are
      // compared with the file's own digest below instead.
      await expect(bob.getByTestId("exchange-message")).toHaveText("Survey data and notes for the Globex team.");
      const downloadEvent = bob.waitForEvent("download");
      await bob.getByTestId("download-link").click();
      const download = await downloadEvent;
      expect(download.suggestedFilename()).toBe(file.name);
      expect(await download.failure()).toBeNull();
      const downloadedPath = await download.path();
      expect(await sha256OfFile(downloadedPath)).toBe(file.sha256);
      if (file === files[0]) await bob.screenshot({ path: join(SCREENSHOTS, "exchange.png"), fullPage: true });
      await bob.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" }).click();
      await expect(bob.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
    }
  });

  test("an upload cancelled half-way leaves nothing behind and can be retried", async ({ signedIn }) => {
    const page = await signedIn("adam");
    await page.goto("/upload");
    const file = writeRandomFile(dir, `cancel-me-${randomBytes(3).toString("hex")}.bin`, 20 * 1024 * 1024);
    // The keyboard-accessible picker, this time.
    await page.getByTestId("file-input").setInputFiles(file.path);
    await throttleUploads(page, 4 * 1024 * 1024);
    await page.getByTestId("send-files").click();

    const item = page.getByTestId("upload-item").filter({ hasText: file.name });
    await expect(item.getByTestId("upload-progress-text")).toContainText(/[1-9]\d*%/);
    await item.getByRole("button", { name: `Cancel upload of ${file.name}` }).click();
    await expect(item).toHaveAttribute("data-phase", "cancelled");
    await expect(item.getByTestId("upload-status")).toHaveText("Cancelled");

    // The server discarded it: Sent does not list it (a fresh page load asks the server).
    const sent = await page.context().newPage();
    await sent.goto("/sent");
    await expect(sent.getByRole("heading", { level: 1, name: "Sent" })).toBeVisible();
    await expect(sent.getByTestId("exchange-row").filter({ hasText: file.name })).toHaveCount(0);
    await sent.close();

    await throttleUploads(page, -1);
    await item.getByRole("button", { name: `Retry ${file.name}` }).click();
    await expect(item).toHaveAttribute("data-phase", "done", { timeout: 120_000 });
    await item.getByTestId("upload-exchange-link").click();
    await expect(page.getByTestId("exchange-file-name")).toHaveText(file.name);
    await expect(page.getByTestId("sender-note")).toContainText("Only people at Globex Industries can decrypt");
    await expect(page.getByTestId("download-link")).toHaveCount(0);
  });

  test("sign-in explains each error, and an auditor is told they cannot upload", async ({ page }) => {
    const aria = demoUser("aria@acme.example");
    await page.goto("/upload");
    // Signed-out visitors go to sign-in and come back to where they were going.
    await page.waitForURL(/\/signin\?callbackUrl=%2Fupload$/);

    await page.getByLabel("Email address").fill(aria.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByTestId("signin-error")).toContainText("email address or password is not right");
    await expect(page.getByLabel("Password")).toHaveValue("");

    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    // The server answers mfa_required: the code field appears and takes the focus.
    const code = page.getByLabel("Authenticator code");
    await expect(code).toBeFocused();
    await expect(code).toHaveAttribute("autocomplete", "one-time-code");
    await expect(code).toHaveAttribute("inputmode", "numeric");
    await expect(page.getByTestId("signin-error")).toHaveCount(0);

    // A code from ten minutes ago is outside any acceptance window.
    const stale = new TOTP({ secret: Secret.fromBase32(aria.totpSecret) }).generate({ timestamp: Date.now() - 600_000 });
    await code.fill(stale);
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await expect(page.getByTestId("signin-error")).toContainText("code is not right");

    await code.fill(await nextTotpCode(aria.totpSecret));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await page.waitForURL("**/upload");
    await expect(page.getByTestId("upload-auditor")).toContainText("Auditors cannot send files");
    await expect(page.getByTestId("drop-zone")).toHaveCount(0);

    // Sign-out ends the session: the pages send the visitor back to sign in.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/signin**");
    await page.goto("/inbox");
    await page.waitForURL(/\/signin\?callbackUrl=%2Finbox$/);
  });
});
