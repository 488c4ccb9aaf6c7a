import { PGlite } from "@electric-sql/pglite";
import type { SqlSession } from "../../session.js";

/** A fresh in-memory PostgreSQL (PGlite, PostgreSQL compiled to WebAssembly); nothing touches disk. */
export async function openPglite(): Promise<SqlSession> {
  const db = await PGlite.create();
  return {
    exec: async (sql) => {
      await db.exec(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows,
    close: () => db.close(),
  };
}
