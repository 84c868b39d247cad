import type { WebClient } from "./web-client";

function decodeEntities(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * Submits a server-rendered form the way a browser without JavaScript does (Next's server actions work as plain
 * multipart form posts too): its hidden fields plus `fields`, to the page it is on. Returns the re-rendered page.
 */
export async function submitForm(client: WebClient, path: string, html: string, testId: string, fields: Record<string, string> = {}): Promise<{ status: number; html: string }> {
  const start = html.indexOf(`data-testid="${testId}"`);
  if (start < 0) throw new Error(`no form ${testId} on ${path}`);
  const formStart = html.lastIndexOf("<form", start);
  const formEnd = html.indexOf("</form>", start);
  const form = html.slice(formStart, formEnd);
  const body = new FormData();
  for (const match of form.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g)) body.append(decodeEntities(match[1] as string), decodeEntities(match[2] ?? ""));
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  const origin = new URL(client.baseUrl).origin;
  const response = await client.fetch(path, { method: "POST", body, headers: { origin } });
  return { status: response.status, html: await response.text() };
}
