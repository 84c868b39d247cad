import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test as base, type BrowserContext, type Page } from "@playwright/test";
import { DEMO_USERS } from "../../scripts/demo-users";
import { WebClient, type DemoEmail } from "../../test/support/web-client";

/** The people the specs act as: e2e/sign-in.setup.ts signs each in once through the real UI and saves the browser state. */
export const PERSONAS = {
  alice: "alice@acme.example",
  adam: "adam@acme.example",
  aria: "aria@acme.example",
  bob: "bob@globex.example",
  greg: "greg@globex.example",
} as const satisfies Record<string, DemoEmail>;

export type Persona = keyof typeof PERSONAS;

/** Gitignored; the setup rewrites it every run, for the stack that run started. */
export const AUTH_DIR = join(__dirname, "..", ".auth");

export function statePath(persona: Persona): string {
  return join(AUTH_DIR, `${persona}.json`);
}

export function demoUser(email: string): (typeof DEMO_USERS)[number] {
  const user = DEMO_USERS.find((candidate) => candidate.email === email);
  if (!user) throw new Error(`no demo user ${email}`);
  return user;
}

/** An HTTP client holding the persona's saved session cookies, for steps that need no browser. */
export function webClientAs(persona: Persona, baseUrl: string): WebClient {
  const { cookies } = JSON.parse(readFileSync(statePath(persona), "utf8")) as { cookies: Array<{ name: string; value: string }> };
  return new WebClient(baseUrl, new Map(cookies.map((cookie) => [cookie.name, cookie.value])));
}

/**
 * `signedIn("bob")` opens a page in a browser context of its own, already signed in as the persona; the contexts are
 * closed when the test ends. Sessions are revocable server-side, so a spec must never sign a persona out. The
 * session's second factor dates from the setup: a download more than mfa.maxAgeSeconds (600 s) later asks for a step-up.
 */
export const test = base.extend<{ signedIn: (persona: Persona) => Promise<Page> }>({
  signedIn: async ({ browser }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (persona) => {
      // Playwright fills in the project's other context options (baseURL, viewport…) as for the page fixture.
      const context = await browser.newContext({ storageState: statePath(persona) });
      contexts.push(context);
      return context.newPage();
    });
    for (const context of contexts) await context.close();
  },
});

export { expect } from "@playwright/test";
