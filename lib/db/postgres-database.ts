import "server-only";
import pg from "pg";
import type { Database, Queryable, Row } from "./database";
import { asTransaction, databaseCall, translatedQueryable } from "./database-errors";

pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export async function openPostgresDatabase(connectionString: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  await databaseCall(() => pool.query("SELECT 1"));
  const wrap = (runner: Pick<pg.Pool, "query">): Queryable =>
    translatedQueryable({
      query: async <T extends object>(sql: string, params: unknown[]) => (await runner.query<T & Row>(sql, params)).rows,
      exec: async (sql: string) => {
        await runner.query(sql);
      },
    });
  return {
    ...wrap(pool),
    async transaction(work) {
      const client = await databaseCall(() => pool.connect());
      try {
        await databaseCall(() => client.query("BEGIN"));
        const result = await work(asTransaction(wrap(client)));
        await databaseCall(() => client.query("COMMIT"));
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
