import type { z } from "zod";

export type Row = Record<string, unknown>;

export interface Queryable {
  /** Rows typed as the caller says, unchecked: for ad-hoc projections (counts, ids) read right where they are asked for. */
  query<T extends object = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * Rows checked against `schema` as they leave the driver: a row of another shape (a migration missed, a value a
   * database writer put there) is an internal error here, not a wrong type further on.
   */
  queryRows<S extends z.ZodType<object>>(schema: S, sql: string, params?: readonly unknown[]): Promise<Array<z.output<S>>>;
  /** Runs multi-statement SQL without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

declare const insideTransaction: unique symbol;

/**
 * A handle only `Database.transaction` gives out: a function that takes one (recordAuditEvent) runs in the same
 * transaction as the change it goes with, which the type checker, not a comment, enforces.
 */
export interface Transaction extends Queryable {
  readonly [insideTransaction]: true;
}

export interface Database extends Queryable {
  /** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
