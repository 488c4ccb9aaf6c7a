import { defaultAccountOptions, hourlyLimits } from "../../../model/account-options.js";
import * as sql from "../statements.js";
import { mysqlAppendOnlyTriggers, renderMysqlAppendOnlyGuard } from "../script/render-mysql.js";
import { routineKey, type Model, type RoutineName } from "../../../model/ir.js";
import type { PrivilegeFact } from "../../../model/permission-state.js";
import type { PlanChange } from "../../plan.js";
import type { PlannedStatement } from "../../plan.js";
import type { MysqlPlan } from "./plan-mysql.js";

/**
 * The SQL for each change of a MySQL/MariaDB plan, every name through the quoting helpers. A
 * change may take several statements (one per line's end `;`): apply runs them one at a time.
 */
export function mysqlStatements(plan: MysqlPlan, model: Model): PlannedStatement[] {
  return plan.changes.map((change) => ({ change, sql: statementsFor(change, plan, model).join("\n") }));
}

/** What runs after a plan's statements, when it had any (apply, and a migration's end): statements.ts says why. */
export const mysqlClosingStatement = sql.reloadGrantTables;

function statementsFor(change: PlanChange, plan: MysqlPlan, model: Model): string[] {
  const who = (key: string): sql.Grantee => {
    const g = plan.grantees.get(key);
    if (!g) throw new Error(`bug: no account or role known as ${key}`);
    return { name: g.user, host: g.host };
  };
  switch (change.kind) {
    case "create-role": {
      const grantee = who(change.role);
      if (grantee.host === null) return [sql.createRole(change.role)];
      return [sql.createAccount(grantee), sql.setAccountOptions(grantee, change.desired.connectionLimit, change.desired.account ?? defaultAccountOptions)];
    }
    case "alter-role": {
      const account = change.desired.account ?? defaultAccountOptions;
      if (change.field === "connection limit") return [sql.setMaxConnections(who(change.role), change.desired.connectionLimit)];
      if (change.field === "login") return [sql.lockAccount(who(change.role))];
      if (change.field === "require") return [sql.setRequirement(who(change.role), account)];
      if (change.field === "password lifetime") return [sql.setPasswordLifetime(who(change.role), account)];
      const limit = hourlyLimits.find((l) => l.label === change.field);
      if (limit) return [sql.setHourlyLimit(who(change.role), limit, account)];
      throw new Error(`bug: MySQL plans do not alter ${change.field}`);
    }
    case "grant-membership":
      return [sql.grantRole(change.parent, who(change.role), change.admin)];
    case "grant-admin-option":
      return [sql.grantRole(change.parent, who(change.role), true)];
    case "revoke-membership":
      return [sql.revokeRole(change.parent, who(change.role))];
    case "revoke-admin-option":
      return sql.revokeAdminOption(change.parent, who(change.role), plan.mariadb);
    case "set-default-role":
      return [sql.setDefaultRole(who(change.role), change.to, plan.mariadb)];
    case "grant":
      return [sql.grantPrivileges([spec(change.fact)], change.fact.schema, change.fact.name, [who(change.role)])];
    case "revoke": {
      const keep = plan.regrants.get(change) ?? [];
      // MariaDB's table-wide revoke of a per-column verb takes that verb's column grants: the declared ones are granted again at once.
      const regrant = keep.length > 0 ? [sql.grantPrivileges([{ verb: verbOf(change.fact), columns: keep.map((k) => k.column!) }], change.fact.schema, change.fact.name, [who(change.role)])] : [];
      return [sql.revokePrivileges([spec(change.fact)], change.fact.schema, change.fact.name, who(change.role)), ...regrant];
    }
    case "grant-routine":
      return [sql.grantExecute(routineKindOf(change.routine, model), change.routine.schema, change.routine.name, [who(change.role)])];
    case "revoke-routine-privileges":
      return [sql.revokeRoutinePrivileges(change.privileges, change.routineKind === "procedure" ? "PROCEDURE" : "FUNCTION", change.routine.schema, change.routine.name, who(change.role))];
    case "revoke-table-grant-option":
      return [sql.revokeTableGrantOption(change.schema, change.table, who(change.role))];
    case "revoke-wide":
      return sql.revokeWide(change.database, who(change.role), { privileges: change.privileges.length > 0, grantOption: change.grantOption, ...(change.keep ? { keep: change.keep } : {}) });
    case "grant-server":
      return [sql.grantServer(change.privileges, [who(change.role)])];
    case "guard-append-only":
      return [renderMysqlAppendOnlyGuard(model, [{ schema: change.schema, name: change.table }]).trim()];
    case "unguard": {
      const names = mysqlAppendOnlyTriggers(change.table);
      return (change.triggers ?? [names.update, names.delete]).map((name) => sql.dropTrigger(change.schema, name));
    }
    case "set-inherit":
    case "grant-schema":
    case "revoke-schema":
    case "grant-database":
    case "revoke-database":
    case "revoke-routine":
    case "grant-type":
    case "revoke-type":
    case "revoke-grant-option":
    case "cascade-revoke":
    case "regrant":
    case "revoke-default":
    case "grant-default":
      throw new Error(`bug: a MySQL plan has a PostgreSQL change (${change.kind})`);
  }
}

/** The declared routine's kind: a MySQL grant names FUNCTION or PROCEDURE, never argument types. */
function routineKindOf(routine: RoutineName, model: Model): sql.RoutineKeyword {
  const declared = model.routines.find((r) => routineKey(r) === routineKey(routine));
  if (!declared) throw new Error(`bug: EXECUTE on an undeclared routine ${routineKey(routine)}`);
  return declared.kind === "procedure" ? "PROCEDURE" : "FUNCTION";
}

function verbOf(fact: PrivilegeFact): sql.PrivilegeSpec["verb"] {
  if (fact.verb === "maintain") throw new Error("bug: a MySQL plan has PostgreSQL's MAINTAIN");
  return fact.verb;
}

function spec(fact: PrivilegeFact): sql.PrivilegeSpec {
  return { verb: verbOf(fact), columns: fact.column !== null ? [fact.column] : null };
}
