import "server-only";
import { AppError, isAppError, translatingFailures } from "../errors/app-error";
import type { z } from "zod";
import type { Queryable, Row, Transaction } from "./database";

// SQLSTATE classes that mean the database could not do the work now, not that the statement was wrong: connection
// exceptions, insufficient resources, operator intervention (shutdown), serialization failures and deadlocks.
const UNAVAILABLE_CLASSES = ["08", "53", "57"];
const TRY_AGAIN = new Set(["40001", "40P01"]);
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND"]);

/** A driver's failure as an AppError; the SQL and the driver's message stay internal. */
export function databaseFailure(error: unknown): AppError {
  if (isAppError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const detail = `database: ${typeof code === "string" ? `${code} ` : ""}${error instanceof Error ? error.message : String(error)}`;
  if (typeof code === "string" && (TRY_AGAIN.has(code) || NETWORK.has(code) || UNAVAILABLE_CLASSES.some((prefix) => code.startsWith(prefix)))) {
    return new AppError("database_unavailable", detail);
  }
  return new AppError("internal", detail);
}

/** Runs one driver call, translating its failure. */
export function databaseCall<T>(work: () => Promise<T>): Promise<T> {
  return translatingFailures(work, databaseFailure);
}

/** Wraps a driver's query runner so that every failure is translated, once, here. */
export function translatedQueryable(runner: { query<T extends object>(sql: string, params: unknown[]): Promise<T[]>; exec(sql: string): Promise<void> }): Queryable {
  return {
    query: <T extends object = Row>(sql: string, params: readonly unknown[] = []) => databaseCall(() => runner.query<T>(sql, [...params])),
    async queryRows<S extends z.ZodType<object>>(schema: S, sql: string, params: readonly unknown[] = []) {
      const rows = await databaseCall(() => runner.query<object>(sql, [...params]));
      return rows.map((row) => {
        const parsed = schema.safeParse(row);
        if (!parsed.success) throw new AppError("internal", `database row of an unexpected shape: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
        return parsed.data;
      });
    },
    exec: (sql) => databaseCall(() => runner.exec(sql)),
  };
}

/** The only place a Transaction is made: the drivers call it on the handle of a transaction they opened. */
export function asTransaction(queryable: Queryable): Transaction {
  return queryable as Transaction;
}
