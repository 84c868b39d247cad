// Issue 7 end to end in Debian's Chromium: Alice at Acme uploads a 300 MB file in parts, the page is reloaded when
// about a third is stored, she adds the same file again and it resumes from the stored parts (the parts already on
// the server are never sent again), pauses and resumes, finishes; Bob at Globex downloads the same bytes.
// A second test covers a part retried after a 503 (shown with its attempt and countdown) and the Incomplete uploads
// list: a paused upload shows there after a reload, the wrong file is refused with the name of the right one, and
// Discard removes the upload from the server.
// Issue 13: the browser hashes what it reads. After the tab is closed, the same file resumes and the page shows the
// SHA-256 that sha256sum gives; another file with the same name and size is refused, never spliced with the stored parts.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locator, Page } from "@playwright/test";
import { sha256OfFile, throttleUploads, writeRandomFile, type LocalFile } from "./support/local-files";
import { expect, test } from "./support/personas";

const APP_URL = process.env.KEYBRIDGE_E2E_URL;
const PART_PUT = /\/api\/uploads\/[^/]+\/parts\/(\d+)$/;
const SCREENSHOTS = join("test-results", "screenshots");

test.use({ baseURL: APP_URL });

interface PartsList {
  size: number;
  partCount: number;
  storedParts: number[];
  storedBytes?: number;
  parts: Array<{ partNumber: number; bytes: number; sha256: string }>;
}

/** What `sha256sum` prints for the file, as a person checking it by hand would run it. */
const sha256sum = (path: string) => execFileSync("sha256sum", [path], { encoding: "utf8" }).split(" ")[0] ?? "";

/** The server's view of an upload, asked with the page's own session. */
async function partsList(page: Page, exchangeId: string): Promise<PartsList> {
  const response = await page.request.get(`/api/uploads/${exchangeId}/parts`);
  expect(response.status()).toBe(200);
  return (await response.json()) as PartsList;
}

/** Collects the console errors that would mean hash-wasm was blocked by the page's CSP. */
function collectCspErrors(page: Page, into: string[]): void {
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|WebAssembly/i.test(message.text())) into.push(message.text());
  });
}

/** Sends `file` to Globex with the upload throttled, and the row shows it under way; returns the row and its exchange. */
async function startThrottledUpload(page: Page, file: LocalFile) {
  await page.goto("/upload");
  await page.getByLabel("Send to").selectOption({ label: "Globex Industries" });
  await page.getByTestId("file-input").setInputFiles(file.path);
  await throttleUploads(page, 6 * 1024 * 1024);
  await page.getByTestId("send-files").click();
  const item = page.getByTestId("upload-item").filter({ hasText: file.name });
  await expect(item).toHaveAttribute("data-phase", "uploading");
  return { item, exchangeId: (await item.getAttribute("data-exchange-id")) ?? "" };
}

/**
 * Waits, on the server's word, until a part of the upload is stored, pauses it, and reloads the page (so the tab
 * remembers nothing of the file) with the throttle lifted; returns what the server held when paused.
 */
async function pauseOnceAPartIsStoredAndReload(page: Page, item: Locator, exchangeId: string): Promise<PartsList> {
  await expect.poll(async () => (await partsList(page, exchangeId)).storedParts.length, { intervals: [150], timeout: 60_000 }).toBeGreaterThanOrEqual(1);
  await item.getByTestId("upload-pause").click();
  await expect(item).toHaveAttribute("data-phase", "paused");
  const stored = await partsList(page, exchangeId);
  await page.reload();
  await throttleUploads(page, -1);
  return stored;
}

/** Clicks Resume on an upload of the Incomplete uploads list and picks `path` in the file chooser that opens. */
async function resumeListedWith(page: Page, listed: Locator, path: string): Promise<void> {
  const chooser = page.waitForEvent("filechooser");
  await listed.getByTestId("incomplete-resume").click();
  await (await chooser).setFiles(path);
}

/** Records the first progress the upload row shows for `name` (installed before the file is added). */
async function recordFirstProgress(page: Page, name: string): Promise<void> {
  await page.evaluate((fileName) => {
    const seen: Array<{ value: number; text: string }> = [];
    (window as unknown as { __firstProgress: typeof seen }).__firstProgress = seen;
    const sample = () => {
      for (const item of Array.from(document.querySelectorAll('[data-testid="upload-item"]'))) {
        if (item.querySelector(".upload-name")?.textContent !== fileName) continue;
        const bar = item.querySelector("progress");
        const text = item.querySelector('[data-testid="upload-progress-text"]');
        if (bar && text && item.getAttribute("data-phase") === "uploading") seen.push({ value: bar.value, text: text.textContent ?? "" });
      }
    };
    new MutationObserver(sample).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  }, name);
}

test.describe("resumable uploads", () => {
  let dir: string;

  test.beforeAll(() => {
    expect(APP_URL, "KEYBRIDGE_E2E_URL is set by e2e/global-setup.ts").toBeTruthy();
    mkdirSync(SCREENSHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), "keybridge-e2e-resume-"));
  });

  test.afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("a 300 MB upload survives a reload, resumes from the stored parts, pauses, finishes; Globex gets the same bytes", async ({ signedIn }) => {
    const run = randomBytes(3).toString("hex");
    const file = writeRandomFile(dir, `archive-${run}.bin`, 300 * 1000 * 1000);
    const page = await signedIn("alice");
    // Leaving the page mid-upload asks first (beforeunload); the reload below says yes.
    page.on("dialog", (dialog) => void dialog.accept());

    await page.goto("/upload");
    await expect(page.getByTestId("incomplete-uploads")).toBeVisible();
    await page.getByLabel("Send to").selectOption({ label: "Globex Industries" });
    await page.getByTestId("file-input").setInputFiles(file.path);
    await throttleUploads(page, 40 * 1024 * 1024);
    await page.getByTestId("send-files").click();

    const item = page.getByTestId("upload-item").filter({ hasText: file.name });
    await expect(item).toHaveAttribute("data-phase", "uploading");
    const exchangeId = (await item.getAttribute("data-exchange-id")) ?? "";
    expect(exchangeId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(item.getByTestId("upload-progress-text")).toContainText(/\d+%\s*[\d.]+ MB of 286 MB/);

    // Wait, on the server's word, until about a third is stored; then reload (the parts in flight are lost).
    let before: PartsList = { size: 0, partCount: 0, storedParts: [], parts: [] };
    await expect
      .poll(
        async () => {
          before = await partsList(page, exchangeId);
          return before.storedParts.length / before.partCount;
        },
        { intervals: [150], timeout: 60_000 },
      )
      .toBeGreaterThanOrEqual(0.3);
    expect(before.storedParts.length / before.partCount, "reloaded before 65% was stored").toBeLessThan(0.65);
    expect(before.partCount).toBe(Math.ceil(file.size / (16 * 1024 * 1024)));
    await page.reload();

    // The upload is listed as incomplete, with how much is stored.
    const listed = page.locator(`[data-testid="incomplete-upload"][data-exchange-id="${exchangeId}"]`);
    await expect(listed).toContainText(file.name);
    await expect(listed).toContainText("To Globex Industries");
    await expect(listed.getByTestId("incomplete-detail")).toContainText(/stored \(\d+%\)/);
    await page.screenshot({ path: join(SCREENSHOTS, "upload-incomplete.png"), fullPage: true });

    // Add the same file again: it resumes. Count the parts sent from now on.
    const sentAfterReload: number[] = [];
    page.on("request", (request) => {
      const match = request.method() === "PUT" ? PART_PUT.exec(request.url()) : null;
      if (match) sentAfterReload.push(Number(match[1]));
    });
    await recordFirstProgress(page, file.name);
    await throttleUploads(page, 20 * 1024 * 1024);
    await page.getByTestId("file-input").setInputFiles(file.path);
    await expect(item.getByTestId("upload-resume-hint")).toContainText("already stored");
    await page.getByTestId("send-files").click();
    await expect(item.getByTestId("upload-resumed")).toContainText("was already stored");
    await expect(listed).toHaveCount(0);

    // Pause: the parts in flight stop, the stored ones stay; Resume goes on from there.
    await item.getByRole("button", { name: `Pause upload of ${file.name}` }).click();
    await expect(item).toHaveAttribute("data-phase", "paused");
    await expect(item.getByTestId("upload-status")).toHaveText("Paused");
    await expect(item.getByTestId("upload-progress-text")).toContainText("stored on the server");
    await page.screenshot({ path: join(SCREENSHOTS, "upload-paused.png"), fullPage: true });
    await throttleUploads(page, -1);
    await item.getByRole("button", { name: `Resume upload of ${file.name}` }).focus();
    await page.keyboard.press("Enter");
    await expect(item).toHaveAttribute("data-phase", "done", { timeout: 60_000 });
    await expect(item.getByTestId("upload-status")).toContainText("Sent");
    await expect(item.getByTestId("upload-error")).toHaveCount(0);

    // It resumed: the first progress shown was well past zero, and no part the server had was sent again.
    const firstProgress = await page.evaluate(() => (window as unknown as { __firstProgress: Array<{ value: number; text: string }> }).__firstProgress);
    expect(firstProgress.length).toBeGreaterThan(0);
    expect(firstProgress[0]!.value, JSON.stringify(firstProgress.slice(0, 3))).toBeGreaterThan(25);
    expect(sentAfterReload.filter((part) => before.storedParts.includes(part)), "stored parts sent again").toEqual([]);
    expect(new Set(sentAfterReload).size).toBeLessThanOrEqual(before.partCount - before.storedParts.length);
    expect((await page.request.get(`/api/uploads/${exchangeId}/parts`)).status(), "a finished upload takes no more parts").not.toBe(200);

    // --- Bob at Globex downloads it ----------------------------------------------------------------------------
    const bob = await signedIn("bob");
    await bob.goto(`/exchanges/${exchangeId}`);
    await expect(bob.getByTestId("exchange-file-name")).toHaveText(file.name);
    const downloadEvent = bob.waitForEvent("download");
    await bob.getByTestId("download-link").click();
    const download = await downloadEvent;
    expect(download.suggestedFilename()).toBe(file.name);
    expect(await download.failure()).toBeNull();
    expect(await sha256OfFile(await download.path())).toBe(file.sha256);
  });

  test("a part retried after a 503; Incomplete uploads: the wrong file is refused by name, the right one resumes; Discard removes an upload", async ({ signedIn }) => {
    const run = randomBytes(3).toString("hex");
    // Two parts: a short last part that is stored at once, and a full one that the throttle holds back.
    const file = writeRandomFile(dir, `survey-${run}.bin`, 17 * 1024 * 1024);
    const other = join(dir, `other-${run}.txt`);
    writeFileSync(other, "not the file\n");
    const page = await signedIn("adam");
    page.on("dialog", (dialog) => void dialog.accept());

    await page.goto("/upload");
    // The first try of part 2 meets a busy key service: the row says which part is retried, when, and why.
    let refused = 0;
    await page.route(/\/api\/uploads\/[^/]+\/parts\/2$/, async (route) => {
      if (route.request().method() !== "PUT" || refused > 0) return route.fallback();
      refused += 1;
      await route.fulfill({
        status: 503,
        headers: { "content-type": "application/json", "retry-after": "3" },
        body: JSON.stringify({ error: { code: "key_service_unavailable", message: "The key service is unavailable. Try again in a moment.", retryable: true } }),
      });
    });
    await page.getByTestId("file-input").setInputFiles(file.path);
    await throttleUploads(page, 2 * 1024 * 1024);
    await page.getByTestId("send-files").click();
    const item = page.getByTestId("upload-item").filter({ hasText: file.name });
    await expect(item).toHaveAttribute("data-phase", "uploading");
    await expect(item.getByTestId("upload-retries")).toContainText(/Part 2 retrying \(attempt 2 of 6\) in [1-3] s/);
    await expect(item.getByTestId("upload-retries")).toContainText("key service is unavailable");
    await page.unrouteAll();
    const exchangeId = (await item.getAttribute("data-exchange-id")) ?? "";
    // A fresh page (so no memory of the file in this tab's list): the paused upload is listed as incomplete.
    const stored = await pauseOnceAPartIsStoredAndReload(page, item, exchangeId);
    const listed = page.locator(`[data-testid="incomplete-upload"][data-exchange-id="${exchangeId}"]`);
    await expect(listed).toContainText(`${stored.storedParts.length} of ${stored.partCount} parts`);

    // Resume with the wrong file: refused, naming the file it needs.
    await resumeListedWith(page, listed, other);
    await expect(listed.getByTestId("incomplete-problem")).toContainText(`This upload needs “${file.name}”`);
    await page.screenshot({ path: join(SCREENSHOTS, "upload-incomplete-wrong-file.png"), fullPage: true });
    await expect(page.getByTestId("upload-item")).toHaveCount(0);

    // The right file resumes from the stored parts and finishes.
    await resumeListedWith(page, listed, file.path);
    const resumed = page.getByTestId("upload-item").filter({ hasText: file.name });
    await expect(resumed).toHaveAttribute("data-phase", "done", { timeout: 60_000 });
    await expect(resumed).toHaveAttribute("data-exchange-id", exchangeId);
    await expect(listed).toHaveCount(0);

    // Discard: start another, pause it, discard it from the list after a reload; the server no longer has it.
    const discardMe = writeRandomFile(dir, `discard-me-${run}.bin`, 3 * 1024 * 1024);
    await throttleUploads(page, 256 * 1024);
    await page.getByTestId("file-input").setInputFiles(discardMe.path);
    await page.getByTestId("send-files").click();
    const small = page.getByTestId("upload-item").filter({ hasText: discardMe.name });
    await expect(small).toHaveAttribute("data-phase", "uploading");
    await small.getByTestId("upload-pause").click();
    await expect(small).toHaveAttribute("data-phase", "paused");
    const smallId = (await small.getAttribute("data-exchange-id")) ?? "";
    await page.reload();
    const smallListed = page.locator(`[data-testid="incomplete-upload"][data-exchange-id="${smallId}"]`);
    await smallListed.getByTestId("incomplete-discard").click();
    await expect(smallListed.getByTestId("incomplete-discard-confirm")).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(smallListed).toHaveCount(0);
    expect((await page.request.get(`/api/uploads/${smallId}/parts`)).status()).toBe(404);
    await page.reload();
    await expect(smallListed).toHaveCount(0);
  });
  test("after the tab is closed the same file resumes, and the page shows the SHA-256 that sha256sum gives", async ({ signedIn }) => {
    const run = randomBytes(3).toString("hex");
    const page = await signedIn("alice");
    // Three parts of the default 16 MiB: the throttle lets the first be stored while the others are on their way.
    const file = writeRandomFile(dir, `ledger-${run}.bin`, 40 * 1024 * 1024);
    const cspErrors: string[] = [];
    collectCspErrors(page, cspErrors);
    const { exchangeId } = await startThrottledUpload(page, file);
    let stored: PartsList = { size: 0, partCount: 0, storedParts: [], parts: [] };
    await expect
      .poll(
        async () => {
          stored = await partsList(page, exchangeId);
          return stored.parts.length;
        },
        { intervals: [150], timeout: 60_000 },
      )
      .toBeGreaterThanOrEqual(1);
    expect(stored.parts.length).toBeLessThan(stored.partCount);
    expect(cspErrors, "hash-wasm runs under the production CSP").toEqual([]);
    await page.close({ runBeforeUnload: false });

    // A new tab of the same browser: adding the same file resumes from the parts the server holds.
    const tab = await page.context().newPage();
    collectCspErrors(tab, cspErrors);
    const sent: number[] = [];
    tab.on("request", (request) => {
      const match = request.method() === "PUT" ? PART_PUT.exec(request.url()) : null;
      if (match) sent.push(Number(match[1]));
    });
    await tab.goto("/upload");
    await tab.getByLabel("Send to").selectOption({ label: "Globex Industries" });
    await tab.getByTestId("file-input").setInputFiles(file.path);
    const resumed = tab.getByTestId("upload-item").filter({ hasText: file.name });
    await expect(resumed.getByTestId("upload-resume-hint")).toContainText("already stored");
    await tab.getByTestId("send-files").click();
    await expect(resumed).toHaveAttribute("data-phase", "done", { timeout: 60_000 });
    await expect(resumed).toHaveAttribute("data-exchange-id", exchangeId);
    const storedBefore = stored.parts.map((part) => part.partNumber);
    expect(sent.filter((part) => storedBefore.includes(part)), "stored parts sent again").toEqual([]);

    const expected = sha256sum(file.path);
    expect(expected).toBe(file.sha256);
    await expect(resumed.getByTestId("upload-sha256")).toHaveAttribute("data-sha256", expected);
    await tab.screenshot({ path: join(SCREENSHOTS, "upload-resumed-sha256.png"), fullPage: true });
    await tab.goto(`/exchanges/${exchangeId}`);
    await expect(tab.getByTestId("exchange-sha256")).toHaveText(expected);
    expect(cspErrors).toEqual([]);
  });

  test("resuming with another file of the same name and size is refused, and nothing of it is stored", async ({ signedIn }) => {
    const run = randomBytes(3).toString("hex");
    const file = writeRandomFile(dir, `contract-${run}.pdf`, 40 * 1024 * 1024);
    const otherDir = mkdtempSync(join(dir, "other-"));
    const impostor = writeRandomFile(otherDir, file.name, file.size);
    const page = await signedIn("alice");
    page.on("dialog", (dialog) => void dialog.accept());

    const { item, exchangeId } = await startThrottledUpload(page, file);
    const before = await pauseOnceAPartIsStoredAndReload(page, item, exchangeId);
    const sent: number[] = [];
    page.on("request", (request) => {
      const match = request.method() === "PUT" ? PART_PUT.exec(request.url()) : null;
      if (match) sent.push(Number(match[1]));
    });
    const listed = page.locator(`[data-testid="incomplete-upload"][data-exchange-id="${exchangeId}"]`);
    await resumeListedWith(page, listed, impostor.path);
    const refused = page.getByTestId("upload-item").filter({ hasText: file.name });
    await expect(refused).toHaveAttribute("data-phase", "failed", { timeout: 60_000 });
    await expect(refused.getByTestId("upload-error")).toContainText("This is not the file you started sending");
    await expect(refused.getByTestId("upload-retry")).toHaveCount(0);
    await page.screenshot({ path: join(SCREENSHOTS, "upload-resume-other-file.png"), fullPage: true });
    expect(sent, "no part of the other file was sent").toEqual([]);
    expect((await partsList(page, exchangeId)).parts).toEqual(before.parts);

    // The right file still resumes the same upload and finishes with its own digest.
    await page.reload();
    await resumeListedWith(page, listed, file.path);
    const finished = page.getByTestId("upload-item").filter({ hasText: file.name });
    await expect(finished).toHaveAttribute("data-phase", "done", { timeout: 60_000 });
    await expect(finished.getByTestId("upload-sha256")).toHaveAttribute("data-sha256", sha256sum(file.path));
  });
});
