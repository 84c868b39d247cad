import "server-only";
import pg from "pg";
import type { Database, Queryable, Row } from "./database";

pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export async function openPostgresDatabase(connectionString: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  await pool.query("SELECT 1");
  const wrap = (runner: Pick<pg.Pool, "query">): Queryable => ({
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      const result = await runner.query(sql, params as unknown[]);
      return result.rows as T[];
    },
    async exec(sql: string) {
      await runner.query(sql);
    },
  });
  return {
    ...wrap(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(wrap(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
