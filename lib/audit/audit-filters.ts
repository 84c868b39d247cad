import { z } from "zod";
import { AUDIT_ACTIONS } from "./actions";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Search params arrive as string | string[] | undefined; an empty form field means "no filter".
const single = (value: unknown) => (Array.isArray(value) ? value[0] : value) || undefined;
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(single, schema.optional());

/** A date (YYYY-MM-DD) or a datetime-local value (YYYY-MM-DDTHH:MM), read as UTC like every date the app shows. */
const dateInput = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/, "use YYYY-MM-DD or YYYY-MM-DDTHH:MM");

/** Cursor of keyset pagination: the last row's (occurred_at, seq), opaque to people. */
const cursor = z.string().regex(/^\d{13}\.\d{1,15}$/, "not a page cursor");

/** Every filter of the dashboard, its export and its timeline, as they appear in the URL (so a view can be shared). */
export const AuditFiltersSchema = z.object({
  from: optional(dateInput),
  to: optional(dateInput),
  actor: optional(z.string().regex(UUID, "not a user id")),
  org: optional(z.string().regex(/^[a-z][a-z0-9-]{1,31}$/)),
  action: optional(z.enum(AUDIT_ACTIONS)),
  outcome: optional(z.enum(["success", "denied", "failed"])),
  exchange: optional(z.string().regex(UUID, "not an exchange id")),
  /** An exchange id, a person's name or a sign-in email; file names too for those allowed to see them. */
  // Control characters match nothing anyone typed, and PostgreSQL refuses NUL in text: they are dropped.
  // What is left may be nothing, which is no filter at all (so the URL the dashboard links to keeps no empty q).
  q: optional(z.string().trim().max(200).transform((value) => value.replace(/[\u0000-\u001f\u007f]/g, "").trim() || undefined)),
  after: optional(cursor),
});

export type AuditFilters = z.infer<typeof AuditFiltersSchema>;

/** Parses search params; a malformed value is dropped (and reported) instead of failing the whole page. */
export function parseAuditFilters(params: Record<string, string | string[] | undefined>): { filters: AuditFilters; invalid: string[] } {
  const parsed = AuditFiltersSchema.safeParse(params);
  if (parsed.success) return { filters: parsed.data, invalid: [] };
  const invalid = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
  const cleaned = Object.fromEntries(Object.entries(params).filter(([key]) => !invalid.includes(key)));
  return { filters: AuditFiltersSchema.parse(cleaned), invalid };
}

/** The query string for filters (drops empty ones), used for links that keep the current view. */
export function auditFiltersQuery(filters: AuditFilters, overrides: Partial<Record<keyof AuditFilters, string | undefined>> = {}): string {
  const entries = Object.entries({ ...filters, ...overrides }).filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[1] !== "");
  return new URLSearchParams(entries).toString();
}

export function encodeCursor(occurredAt: Date, seq: number): string {
  return `${occurredAt.getTime()}.${seq}`;
}

export function decodeCursor(value: string): { occurredAt: Date; seq: number } {
  const [time, seq] = value.split(".");
  return { occurredAt: new Date(Number(time)), seq: Number(seq) };
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The UTC instant a filter date means; `to` dates without a time include the whole day. */
export function filterInstant(value: string, edge: "from" | "to"): Date {
  if (value.length === 10) return new Date(`${value}T${edge === "from" ? "00:00:00.000" : "23:59:59.999"}Z`);
  return new Date(`${value}${value.length === 16 ? ":00" : ""}${edge === "to" ? ".999" : ".000"}Z`);
}
