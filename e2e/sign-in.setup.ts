// Signs each persona in once through the real sign-in page (password, then a TOTP code) and saves the browser state,
// so that the specs start signed in instead of each waiting for a fresh TOTP step.
import { expect, test as setup } from "@playwright/test";
import { DEMO_PASSWORD } from "../scripts/demo-users";
import { nextTotpCode } from "../test/support/totp-codes";
import { PERSONAS, demoUser, statePath, type Persona } from "./support/personas";

setup.use({ baseURL: process.env.KEYBRIDGE_E2E_URL });

for (const persona of Object.keys(PERSONAS) as Persona[]) {
  setup(`sign in ${persona}`, async ({ page }) => {
    const user = demoUser(PERSONAS[persona]);
    await page.goto("/signin");
    await page.getByLabel("Email address").fill(user.email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByLabel("Authenticator code").fill(await nextTotpCode(user.totpSecret));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await page.waitForURL("**/inbox");
    await expect(page.getByRole("banner")).toContainText(user.displayName);
    await page.context().storageState({ path: statePath(persona) });
  });
}
