// Issue 4 end to end in Debian's Chromium: Alice at Acme uploads a file and shares it by link (limited to one
// download); Gabe at Globex, who has no authenticator yet, enrols one, opens the link, is asked for a code, downloads
// the same bytes, and then finds the link used up. Alice revokes a second link and Gabe sees that it was revoked.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { DEMO_PASSWORD } from "../scripts/demo-users";
import { nextTotpCode } from "../test/support/totp-codes";
import { expect, test } from "./support/personas";

test.use({ baseURL: process.env.KEYBRIDGE_E2E_URL });

async function createLink(page: Page, limit: string | null): Promise<string> {
  const url = page.getByTestId("created-link-url");
  // The panel of the link made before stays until the new one replaces it: wait for a new address, not any.
  const previous = (await url.count()) > 0 ? ((await url.textContent()) ?? "") : null;
  await page.getByTestId("link-limit").fill(limit ?? "");
  await page.getByTestId("create-link").click();
  await expect(url).toBeVisible();
  if (previous !== null) await expect(url).not.toHaveText(previous);
  await expect(page.getByTestId("created-link-qr")).toBeVisible();
  const text = (await url.textContent()) ?? "";
  expect(text).toMatch(/\/l\/[A-Za-z0-9_-]{43}$/);
  return text;
}

test("a link limited to one download: enrol, step up, download, used up; a revoked link says so", async ({ signedIn, browser }) => {
  const dir = mkdtempSync(join(tmpdir(), "keybridge-e2e-links-"));
  try {
    const content = randomBytes(300_000);
    const path = join(dir, "quarterly-report.pdf");
    writeFileSync(path, content);
    const digest = createHash("sha256").update(content).digest("hex");

    // --- Alice uploads and creates two links ------------------------------------------------------------------
    const page = await signedIn("alice");
    await page.goto("/upload");
    await page.getByLabel("Send to").selectOption({ label: "Globex Industries" });
    await page.getByTestId("file-input").setInputFiles(path);
    await page.getByRole("button", { name: /^Send 1 file/ }).click();
    const item = page.getByTestId("upload-item");
    await expect(item).toHaveAttribute("data-phase", "done", { timeout: 60_000 });
    await item.getByTestId("upload-exchange-link").click();
    await expect(page.getByTestId("share-links")).toBeVisible();
    const limitedUrl = await createLink(page, "1");
    const revocableUrl = await createLink(page, null);
    await expect(page.getByTestId("link-item")).toHaveCount(2);

    // --- Gabe enrols an authenticator: without one, the password alone signs him in ----------------------------
    const gabeContext = await browser.newContext({ baseURL: process.env.KEYBRIDGE_E2E_URL, acceptDownloads: true });
    const gabe = await gabeContext.newPage();
    await gabe.goto("/signin");
    await gabe.getByLabel("Email address").fill("gabe@globex.example");
    await gabe.getByLabel("Password").fill(DEMO_PASSWORD);
    await gabe.getByRole("button", { name: "Sign in", exact: true }).click();
    await gabe.waitForURL("**/inbox");
    await gabe.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Security" }).click();
    // Changing factors asks for the password first: a session alone is not enough.
    await gabe.getByLabel("Current password").fill(DEMO_PASSWORD);
    await gabe.getByTestId("totp-start").click();
    await expect(gabe.getByTestId("totp-qr")).toBeVisible();
    const secret = ((await gabe.getByTestId("totp-secret").textContent()) ?? "").trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await gabe.getByTestId("totp-confirm-code").fill(await nextTotpCode(secret));
    await gabe.getByTestId("totp-confirm").click();
    await expect(gabe.getByTestId("recovery-code")).toHaveCount(10);

    // --- Gabe opens the link, is asked for a code, downloads ------------------------------------------------
    await gabe.goto(limitedUrl);
    await expect(gabe.getByTestId("link-file-name")).toHaveText("quarterly-report.pdf");
    await expect(gabe.getByTestId("link-downloads-left")).toHaveText("1");
    await expect(gabe.getByTestId("step-up-form")).toBeVisible();
    await gabe.getByTestId("step-up-code").fill(await nextTotpCode(secret));
    await gabe.getByTestId("step-up-submit").click();
    const downloadButton = gabe.getByTestId("link-download");
    await expect(downloadButton).toBeVisible();
    const [download] = await Promise.all([gabe.waitForEvent("download"), downloadButton.click()]);
    expect(download.suggestedFilename()).toBe("quarterly-report.pdf");
    const saved = join(dir, "downloaded.pdf");
    await download.saveAs(saved);
    expect(createHash("sha256").update(readFileSync(saved)).digest("hex")).toBe(digest);

    // The slot counts once the last byte went out; the page then says the link is used up.
    await expect(async () => {
      await gabe.goto(limitedUrl);
      await expect(gabe.getByTestId("link-used-up")).toBeVisible({ timeout: 1000 });
    }).toPass();
    await expect(gabe.getByTestId("link-used-up")).not.toContainText("quarterly-report");

    // --- Alice sees the receipt and revokes the second link; Gabe is told ------------------------------------
    await page.reload();
    const used = page.getByTestId("link-item").filter({ hasText: "Used up" });
    await expect(used.getByTestId("link-downloads")).toContainText("Gabe Green downloaded");
    const active = page.getByTestId("link-item").filter({ hasText: "Active" });
    await active.getByTestId("revoke-link").click();
    await expect(page.getByTestId("link-item").filter({ hasText: "Revoked" })).toHaveCount(1);
    await gabe.goto(revocableUrl);
    await expect(gabe.getByTestId("link-revoked")).toBeVisible();
    await expect(gabe.getByTestId("link-revoked")).not.toContainText("quarterly-report");
    await gabeContext.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
