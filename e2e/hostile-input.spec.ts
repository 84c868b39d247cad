// Names and messages that are HTML or script, end to end in Chromium: shown as the literal text everywhere they
// appear (Sent, the exchange page, Bob's Inbox, the link page, the audit dashboard's search), and no script ever runs.
import type { Page } from "@playwright/test";
import { expect, test } from "./support/personas";

test.use({ baseURL: process.env.KEYBRIDGE_E2E_URL });

const FILE_NAME = `<img src=x onerror=alert(1)>.txt`;
const MESSAGE = `<script>alert(1)</script> <a href="javascript:alert(1)">open me</a> javascript:alert(1)`;
const NOTE = `<img src=x onerror=alert(2)> javascript:alert(2)`;

/** Records and dismisses every dialog (alert, confirm, prompt) the page opens: the test expects none. */
function watchDialogs(page: Page, dialogs: string[]): Page {
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  return page;
}

test("HTML and script in file names, messages and link notes render as text and never run", async ({ signedIn }) => {
  const dialogs: string[] = [];

  const alice = watchDialogs(await signedIn("alice"), dialogs);
  await alice.goto("/upload");
  await alice.getByLabel("Send to").selectOption({ label: "Globex Industries" });
  await alice.getByLabel(/^Message/).fill(MESSAGE);
  await alice.getByTestId("file-input").setInputFiles({ name: FILE_NAME, mimeType: "text/plain", buffer: Buffer.from("hostile names\n") });
  await alice.getByRole("button", { name: /^Send 1 file/ }).click();
  const item = alice.getByTestId("upload-item");
  await expect(item).toHaveAttribute("data-phase", "done", { timeout: 60_000 });
  await expect(item).toContainText(FILE_NAME);
  await item.getByTestId("upload-exchange-link").click();
  await expect(alice.getByTestId("exchange-file-name")).toHaveText(FILE_NAME);
  const exchangeId = new URL(alice.url()).pathname.split("/").pop() ?? "";
  await expect(alice.getByTestId("exchange-message")).toHaveText(MESSAGE);
  await expect(alice.locator("a[href^='javascript:']")).toHaveCount(0);
  await alice.getByTestId("link-note-input").fill(NOTE);
  await alice.getByTestId("create-link").click();
  const linkUrl = (await alice.getByTestId("created-link-url").textContent()) ?? "";
  expect(linkUrl).toMatch(/\/l\/[A-Za-z0-9_-]{43}$/);
  await alice.goto("/sent");
  await expect(alice.getByTestId("sent-table")).toContainText(FILE_NAME);

  const bob = watchDialogs(await signedIn("bob"), dialogs);
  await bob.goto("/inbox");
  await expect(bob.getByTestId("received-table")).toContainText(FILE_NAME);
  await bob.goto(new URL(linkUrl).pathname);
  await expect(bob.getByTestId("link-file-name")).toHaveText(FILE_NAME);
  await expect(bob.getByTestId("link-note")).toHaveText(NOTE);

  const adam = watchDialogs(await signedIn("adam"), dialogs);
  // The audit trail keeps file names encrypted; searching it by the hostile name finds the exchange and echoes the text.
  await adam.goto(`/audit?q=${encodeURIComponent(FILE_NAME)}`);
  await expect(adam.getByLabel("Search", { exact: true })).toHaveValue(FILE_NAME);
  await expect(adam.getByTestId("audit-table")).toContainText(`Exchange ${exchangeId.slice(0, 8)}`);

  for (const page of [alice, bob, adam]) await expect(page.locator("img[src='x']")).toHaveCount(0);
  expect(dialogs).toEqual([]);
});
