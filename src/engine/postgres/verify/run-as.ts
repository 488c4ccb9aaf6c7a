import { quoteIdent } from "../quote.js";
import { errorMessage, sqlState, type SqlSession } from "../../session.js";

/**
 * Runs one statement as a role inside a savepoint of the caller's transaction, and undoes it:
 * "allowed", "denied" (SQLSTATE 42501), or what else went wrong, in words.
 */
export async function runAsRole(role: string, sql: string, session: SqlSession): Promise<string> {
  await session.exec("SAVEPOINT rolec_run_as");
  try {
    await session.exec(`SET LOCAL ROLE ${quoteIdent(role)}`);
    await session.query(sql);
    return "allowed";
  } catch (error) {
    const state = sqlState(error);
    return state === "42501" ? "denied" : `failed with ${state ?? "an error"}: ${errorMessage(error)}`;
  } finally {
    await session.exec("ROLLBACK TO SAVEPOINT rolec_run_as; RESET ROLE");
  }
}

/** A privilege function's answer in a report. */
export function grantedWord(value: boolean): string {
  return value ? "granted" : "not granted";
}
