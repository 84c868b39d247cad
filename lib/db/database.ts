export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
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
