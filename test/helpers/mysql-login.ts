import { openMysql, quoteMysqlGrantee } from "../../src/engine/mysql/index.js";

/**
 * Logs in to the MySQL/MariaDB server as an account (given a password, and unlocked, for the
 * occasion) and runs one statement: the first value it returns, "ok" when it returns no row, or
 * the server's error message.
 */
export async function asMysqlAccount(url: string, account: { user: string; host: string }, sql: string): Promise<string> {
  const password = "rolec-test-password-1";
  const root = await openMysql(url);
  try {
    await root.query(`ALTER USER ${quoteMysqlGrantee(account.user, account.host)} IDENTIFIED BY '${password}' ACCOUNT UNLOCK`);
  } finally {
    await root.close();
  }
  const session = await openMysql(url, { user: account.user, password });
  try {
    const rows = await session.query<Record<string, unknown>>(sql);
    return rows.length === 0 ? "ok" : String(Object.values(rows[0]!)[0]);
  } catch (error) {
    return (error as Error).message;
  } finally {
    await session.close();
  }
}
