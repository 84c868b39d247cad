import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { WebClient } from "./web-client";

const ROOT = resolve(__dirname, "../..");

/** The built server actions' ids by exported name (Next's server reference manifest of this dist dir). */
export function builtActionIds(): Map<string, string> {
  const manifestPath = join(ROOT, process.env.KEYBRIDGE_DIST_DIR ?? ".next", "server/server-reference-manifest.json");
  if (!existsSync(manifestPath)) throw new Error(`no ${manifestPath}: build first`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { node: Record<string, { exportedName?: string }> };
  const ids = new Map<string, string>();
  for (const [id, entry] of Object.entries(manifest.node)) if (entry.exportedName) ids.set(entry.exportedName, id);
  return ids;
}

export interface ActionOutcome {
  ok: boolean;
  code?: string;
  message?: string;
  value?: Record<string, unknown>;
}

/** The ActionResult row of a React Flight response, with references to long text rows filled in. */
export function actionResult(body: Buffer): ActionOutcome | undefined {
  const rows = new Map<string, unknown>();
  let at = 0;
  while (at < body.length) {
    const colon = body.indexOf(":", at);
    if (colon < 0) break;
    const id = body.subarray(at, colon).toString("utf8").trim();
    if (body[colon + 1] === 0x54 /* T */) {
      const comma = body.indexOf(",", colon);
      const length = parseInt(body.subarray(colon + 2, comma).toString("utf8"), 16);
      rows.set(id, body.subarray(comma + 1, comma + 1 + length).toString("utf8"));
      at = comma + 1 + length;
    } else {
      const end = body.indexOf("\n", colon) < 0 ? body.length : body.indexOf("\n", colon);
      const line = body.subarray(colon + 1, end).toString("utf8");
      rows.set(id, /^[[{"]/.test(line) ? JSON.parse(line) : line);
      at = end + 1;
    }
  }
  const resolveRefs = (value: unknown): unknown => {
    if (typeof value === "string") return value.startsWith("$$") ? value.slice(1) : /^\$[0-9a-f]+$/.test(value) ? rows.get(value.slice(1)) : value;
    if (Array.isArray(value)) return value.map(resolveRefs);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolveRefs(inner)]));
    return value;
  };
  const result = [...rows.values()].find((row) => typeof row === "object" && row !== null && typeof (row as { ok?: unknown }).ok === "boolean");
  return result ? (resolveRefs(result) as ActionOutcome) : undefined;
}

/**
 * Calls a `(previousState, formData)` server action as the browser's JavaScript does (POST with Next-Action, same
 * Origin, React's encodeReply of the form fields), on `path`, a page that uses the action.
 */
export async function callFormAction(client: WebClient, id: string, path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<ActionOutcome> {
  const body = new FormData();
  for (const [field, value] of Object.entries(fields)) body.append(`_1_${field}`, value);
  body.append("0", JSON.stringify(["$undefined", "$K1"]));
  const response = await client.fetch(path, { method: "POST", headers: { origin: new URL(client.baseUrl).origin, "next-action": id, accept: "text/x-component", ...headers }, body });
  const result = actionResult(Buffer.from(await response.arrayBuffer()));
  if (!result) throw new Error(`no action result from ${path} (HTTP ${response.status})`);
  return result;
}
