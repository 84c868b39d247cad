import "server-only";
import type { Actor } from "../auth/actor";
import { getDatabase } from "../db";
import { auditScopeOf } from "./audit-access";
import { AppError } from "../errors/app-error";
import { AuditFiltersSchema } from "./audit-filters";
import { AUDIT_CSV_HEADER, auditCsvRow, csvLine } from "./csv";
import { auditEventPages } from "./query-events";

export type AuditExportFormat = "csv" | "jsonl";

export interface AuditExport {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  fileName: string;
}

/**
 * The filtered view as a stream: one keyset page is read and sent each time the client is ready for more (pull),
 * so an export of a million events never holds more than a page in memory, and a client that goes away stops it.
 */
export async function exportAuditEvents(actor: Actor, params: Record<string, string>, format: AuditExportFormat, exchangesNamedLike: readonly string[] = []): Promise<AuditExport> {
  // Unlike the page, which shows what it could parse, an export with a bad filter is refused: it must never
  // quietly contain more than the view it was asked for.
  const parsed = AuditFiltersSchema.safeParse(params);
  if (!parsed.success) throw new AppError("invalid_input", parsed.error.issues.map((issue) => issue.path.join(".")).join(", "));
  const filters = parsed.data;
  const db = await getDatabase();
  const pages = auditEventPages(db, { scope: auditScopeOf(actor), filters: { ...filters, after: undefined }, exchangesNamedLike });
  const encoder = new TextEncoder();
  let headerSent = format !== "csv";
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvLine(AUDIT_CSV_HEADER)));
        return;
      }
      const next = await pages.next();
      if (next.done) {
        controller.close();
        return;
      }
      const lines = next.value.map((event) => (format === "csv" ? auditCsvRow(event) : `${JSON.stringify(event)}\n`));
      controller.enqueue(encoder.encode(lines.join("")));
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return { body, contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8", fileName: `keybridge-audit-${stamp}.${format}` };
}
