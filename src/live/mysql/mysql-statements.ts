import { mysqlInteger, quoteMysqlGrantee, quoteMysqlIdent, quoteMysqlQualified } from "../../emit/mysql/quote.js";
import { mysqlAppendOnlyTriggers, renderMysqlAppendOnlyGuard } from "../../emit/mysql/render-mysql.js";
import type { Model } from "../../model/ir.js";
import type { PrivilegeFact } from "../permission-state.js";
import type { PlanChange } from "../plan.js";
import type { PlannedStatement } from "../postgres/plan-statements.js";
import type { MysqlPlan } from "./plan-mysql.js";

/**
 * The SQL for each change of a MySQL/MariaDB plan, every name through the quoting helpers. A
 * change may take several statements (one per line's end `;`): apply runs them one at a time.
 */
export function mysqlStatements(plan: MysqlPlan, model: Model): PlannedStatement[] {
  return plan.changes.map((change) => ({ change, sql: statementsFor(change, plan, model).join("\n") }));
}

/**
 * What runs after a plan's statements, when it had any (apply, and a migration's end). MariaDB does
 * not always pass a change to a role's column privileges on to the roles that hold it through
 * another role: they can lack a column grant just made, or keep one just revoked, though the grant
 * tables are right. Reading the grant tables again makes the server enforce what they say
 * (test/live/mysql-role-chains.test.ts).
 */
export const mysqlClosingStatement = {
  why: "MariaDB may not pass column privileges on to roles held through other roles until it reads the grant tables again.",
  sql: "FLUSH PRIVILEGES;",
} as const;

function statementsFor(change: PlanChange, plan: MysqlPlan, model: Model): string[] {
  const grantee = (key: string): string => {
    const g = plan.grantees.get(key);
    if (!g) throw new Error(`bug: no account or role known as ${key}`);
    return g.user === "PUBLIC" && g.host === null ? "PUBLIC" : quoteMysqlGrantee(g.user, g.host);
  };
  switch (change.kind) {
    case "create-role": {
      const who = grantee(change.role);
      if (plan.grantees.get(change.role)!.host === null) return [`CREATE ROLE IF NOT EXISTS ${who};`];
      const limit = change.desired.connectionLimit > 0 ? [`ALTER USER ${who} WITH MAX_USER_CONNECTIONS ${mysqlInteger(change.desired.connectionLimit)};`] : [];
      return [`CREATE USER IF NOT EXISTS ${who} ACCOUNT LOCK;`, ...limit];
    }
    case "alter-role":
      if (change.field === "connection limit") return [`ALTER USER ${grantee(change.role)} WITH MAX_USER_CONNECTIONS ${mysqlInteger(change.desired.connectionLimit)};`];
      if (change.field === "login") return [`ALTER USER ${grantee(change.role)} ACCOUNT LOCK;`];
      throw new Error(`bug: MySQL plans do not alter ${change.field}`);
    case "grant-membership":
      return [`GRANT ${quoteMysqlIdent(change.parent)} TO ${grantee(change.role)};`];
    case "revoke-membership":
      return [`REVOKE ${quoteMysqlIdent(change.parent)} FROM ${grantee(change.role)};`];
    case "revoke-admin-option":
      // MySQL 8 has no REVOKE ADMIN OPTION FOR a role: the membership is granted again without it.
      return plan.mariadb
        ? [`REVOKE ADMIN OPTION FOR ${quoteMysqlIdent(change.parent)} FROM ${grantee(change.role)};`]
        : [`REVOKE ${quoteMysqlIdent(change.parent)} FROM ${grantee(change.role)};`, `GRANT ${quoteMysqlIdent(change.parent)} TO ${grantee(change.role)};`];
    case "set-default-role":
      if (plan.mariadb) return [`SET DEFAULT ROLE ${change.to.length > 0 ? quoteMysqlIdent(change.to[0]!) : "NONE"} FOR ${grantee(change.role)};`];
      return [`SET DEFAULT ROLE ${change.to.length > 0 ? "ALL" : "NONE"} TO ${grantee(change.role)};`];
    case "grant":
      return [`GRANT ${privilege(change.fact)} ON ${quoteMysqlQualified(change.fact.schema, change.fact.name)} TO ${grantee(change.role)};`];
    case "revoke": {
      const on = quoteMysqlQualified(change.fact.schema, change.fact.name);
      const keep = plan.regrants.get(change) ?? [];
      const regrant = keep.length > 0 ? [`GRANT ${change.fact.verb.toUpperCase()} (${keep.map((k) => quoteMysqlIdent(k.column!)).join(", ")}) ON ${on} TO ${grantee(change.role)};`] : [];
      return [`REVOKE ${privilege(change.fact)} ON ${on} FROM ${grantee(change.role)};`, ...regrant];
    }
    case "revoke-table-grant-option":
      return [`REVOKE GRANT OPTION ON ${quoteMysqlQualified(change.schema, change.table)} FROM ${grantee(change.role)};`];
    case "revoke-wide": {
      const on = change.database === null ? "*.*" : `${quoteMysqlIdent(change.database)}.*`;
      return [
        ...(change.privileges.length > 0 ? [`REVOKE ALL PRIVILEGES ON ${on} FROM ${grantee(change.role)};`] : []),
        ...(change.grantOption ? [`REVOKE GRANT OPTION ON ${on} FROM ${grantee(change.role)};`] : []),
      ];
    }
    case "guard-append-only":
      return [renderMysqlAppendOnlyGuard(model, [{ schema: change.schema, name: change.table }]).trim()];
    case "unguard": {
      const names = mysqlAppendOnlyTriggers(change.table);
      return (change.triggers ?? [names.update, names.delete]).map((name) => `DROP TRIGGER IF EXISTS ${quoteMysqlQualified(change.schema, name)};`);
    }
    case "set-inherit":
    case "grant-schema":
    case "revoke-schema":
    case "revoke-grant-option":
    case "cascade-revoke":
    case "regrant":
    case "revoke-default":
      throw new Error(`bug: a MySQL plan has a PostgreSQL change (${change.kind})`);
  }
}

function privilege(fact: PrivilegeFact): string {
  return `${fact.verb.toUpperCase()}${fact.column !== null ? ` (${quoteMysqlIdent(fact.column)})` : ""}`;
}
