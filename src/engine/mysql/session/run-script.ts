import { errorMessage } from "../../session.js";
import type { MysqlSession } from "./mysql-session.js";
import { splitMysqlScript } from "./split-script.js";

/** Runs a MySQL script statement by statement, as the mysql client would; a failure names the script line. */
export async function runMysqlScript(script: string, session: MysqlSession): Promise<number> {
  const statements = splitMysqlScript(script);
  for (const statement of statements) {
    try {
      await session.query(statement.sql);
    } catch (error) {
      throw new Error(`line ${statement.line}: ${errorMessage(error)}`, { cause: error });
    }
  }
  return statements.length;
}
