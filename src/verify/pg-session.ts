import pg from "pg";
import type { SqlSession } from "./session.js";

/** A session on a PostgreSQL server through node-postgres; one connection, so SET ROLE and savepoints hold. */
export async function openPgServer(connectionString: string): Promise<SqlSession> {
  const client = new pg.Client({ connectionString });
  // An idle connection can report an error (e.g. the server shutting down); surface it on the next query instead of crashing.
  client.on("error", () => undefined);
  await client.connect();
  return {
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
    close: () => client.end(),
  };
}
