import type { SqlSession } from "../../src/engine/index.js";

/**
 * Runs `sql` as `role` in a transaction that is rolled back, as the tests prove privileges with
 * real statements: "allowed", "denied" (SQLSTATE 42501), or what else went wrong.
 */
export async function runAs(session: SqlSession, role: string, sql: string): Promise<string> {
  await session.exec(`BEGIN; SET LOCAL ROLE "${role.replaceAll('"', '""')}"`);
  try {
    await session.query(sql);
    return "allowed";
  } catch (error) {
    const code = (error as { code?: string }).code;
    return code === "42501" ? "denied" : `failed: ${String(error)}`;
  } finally {
    await session.exec("ROLLBACK");
  }
}
