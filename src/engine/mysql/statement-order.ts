/**
 * The order in which MySQL/MariaDB changes run, the same in the compiled script and in a plan
 * (and so in apply and in a migration). MySQL commits every GRANT and REVOKE as it runs, so there
 * is no transaction to hide the moment between two statements: everything that gives comes
 * before anything that takes away, and a role never holds less than both its old and its new
 * privileges. Unlike PostgreSQL, a table-wide REVOKE there leaves column grants alone, except on
 * MariaDB for the declared column grants of the same verb, which the revoke's own statement
 * grants again at once (mysql-statements.ts, and the script's converge procedure).
 *
 * The script renders one section per step up to `converge`, in this order; its `converge`
 * procedure then runs the steps after it in their order here (its phases 0 to 5), and a plan
 * sorts its changes by the same list.
 */
export const mysqlSteps = [
  "roles",
  "memberships",
  "object privileges",
  "append-only",
  // The converge procedure's phases:
  "unguard",
  "default roles",
  "memberships taken away",
  "object privileges taken away",
  "database-wide and global taken away",
] as const;

export type MysqlStep = (typeof mysqlSteps)[number];

/** The steps the script writes as sections of its own; the rest are its converge procedure's. */
export const mysqlScriptSections: readonly (MysqlStep | "converge")[] = [...mysqlSteps.slice(0, mysqlSteps.indexOf("unguard")), "converge"];

export function mysqlRank(step: MysqlStep): number {
  return mysqlSteps.indexOf(step);
}
