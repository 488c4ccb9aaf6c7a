import type { PlannedStatement } from "../../plan.js";
import * as sql from "../statements.js";
import type { ObjectRef, PrivilegeSpec } from "../statements.js";
import { renderAppendOnlyGuard, renderUnguard } from "../script/render-postgres.js";
import type { Model } from "../../../model/ir.js";
import { verbOrder, type Verb } from "../../../model/verbs.js";
import type { PrivilegeFact, SchemaPrivilegeFact } from "../../../model/permission-state.js";
import type { Plan, PlanChange } from "../../plan.js";
import type { AclGrant } from "../../plan.js";


/**
 * The SQL for each change of a PostgreSQL plan, every name and literal through the quoting
 * helpers. A revoke of a grant someone other than the owner made runs as that grantor, since a
 * REVOKE only removes the current role's own grants.
 */
export function postgresStatements(plan: Plan, model: Model, serverVersion: number): PlannedStatement[] {
  return plan.changes.map((change) => ({ change, sql: statementFor(change, model, serverVersion) }));
}

function statementFor(change: PlanChange, model: Model, serverVersion: number): string {
  switch (change.kind) {
    case "create-role": {
      const r = change.desired;
      return [sql.createRole(r.name), sql.setRoleAttributes(r), ...(r.powers.length > 0 ? [sql.setRolePowers(r.name, r.powers)] : []), ...(r.validUntil !== undefined ? [sql.setRoleValidUntil(r.name, r.validUntil)] : []), ...(r.settings.length > 0 ? [sql.setRoleSettings(r.name, r.settings)] : []), ...((r.databaseSettings ?? []).length > 0 ? [sql.setRoleDatabaseSettings(r.name, r.databaseSettings!)] : []), ...(r.comment !== null ? [sql.commentOnRole(r.name, r.comment)] : [])].join("\n");
    }
    case "alter-role":
      switch (change.field) {
        case "login":
        case "connection limit":
          return sql.setRoleAttributes(change.desired);
        case "inherit":
          // On PostgreSQL 16 and later the memberships' own option follows (the block asks the server its version, as a migration runs anywhere).
          return [sql.setRoleAttributes(change.desired), sql.setMembershipsInherit(change.desired.name, change.desired.inherit)].join("\n");
        case "settings":
          return sql.setRoleSettings(change.desired.name, change.desired.settings);
        case "settings in database":
          return sql.setRoleDatabaseSettings(change.desired.name, change.desired.databaseSettings ?? []);
        case "powers":
          return sql.setRolePowers(change.desired.name, change.desired.powers);
        case "valid until":
          return sql.setRoleValidUntil(change.desired.name, change.desired.validUntil!);
        case "comment":
          return sql.commentOnRole(change.desired.name, change.desired.comment);
      }
      throw new Error("bug: unknown role field");
    case "grant-membership":
      return sql.grantMembership(change.parent, change.role, { ...(serverVersion >= 160000 ? { inherit: change.inherit } : {}), admin: change.admin });
    case "grant-admin-option":
      return sql.grantMembership(change.parent, change.role, { admin: true });
    case "set-inherit":
      return sql.grantMembership(change.parent, change.role, { inherit: change.inherit });
    case "revoke-membership":
      return sql.revokeMembership(change.parent, change.role, grantor(change.grantor));
    case "revoke-admin-option":
      return sql.revokeMembership(change.parent, change.role, { ...grantor(change.grantor), adminOptionOnly: true });
    case "grant":
    case "regrant":
      return "verb" in change.fact ? sql.grantPrivileges([spec(change.fact)], objectOf(change.fact), [change.fact.grantee], { grantOption: change.fact.grantable }) : sql.grantSchemaPrivilege(schemaPrivilege(change.fact), change.fact.schema, [change.fact.grantee], change.fact.grantable);
    case "revoke":
      return asGrantor(change.fact.grantor, change.owner, sql.revokePrivileges([spec(change.fact)], objectOf(change.fact), [change.fact.grantee]));
    case "revoke-grant-option":
      return asGrantor(change.fact.grantor, change.owner, sql.revokePrivileges([spec(change.fact)], objectOf(change.fact), [change.fact.grantee], { grantOptionOnly: true }));
    case "grant-schema":
      return sql.grantSchemaPrivilege(schemaPrivilege(change.fact), change.fact.schema, [change.fact.grantee], change.fact.grantable);
    case "cascade-revoke":
      // Nothing to run: the revoke it follows takes it. The comment says so in a migration file.
      return sql.noteLine(`taken by the CASCADE of the revoke above: ${cascadedText(change.role, change.grant)}`);
    case "revoke-default": {
      const f = change.fact;
      return sql.revokeDefaultPrivileges(f.owner, f.schema, [f.privilege], f.objects, [f.grantee]);
    }
    case "grant-default": {
      const f = change.fact;
      return sql.grantDefaultPrivileges(f.owner, f.schema, [f.privilege], f.objects, [f.grantee], f.grantable);
    }
    case "grant-routine":
      return sql.grantExecute(change.routine, [change.role], { grantOption: change.grantOption === true });
    case "revoke-routine":
      return asGrantor(change.fact.grantor, change.owner, sql.revokeExecute(change.routine, [change.fact.grantee], { grantOptionOnly: change.grantOptionOnly }));
    case "grant-type":
      return sql.grantTypeUsage(change.type, [change.role], { grantOption: change.grantOption === true });
    case "revoke-type":
      return asGrantor(change.fact.grantor, change.owner, sql.revokeTypeUsage(change.type, [change.fact.grantee], { grantOptionOnly: change.grantOptionOnly }));
    case "grant-database":
      return sql.grantDatabasePrivileges([change.privilege], [change.role], change.grantOption === true);
    case "revoke-database":
      return asGrantor(change.fact.grantor, change.owner, sql.revokeDatabasePrivileges([change.fact.privilege], [change.fact.grantee], { grantOptionOnly: change.grantOptionOnly }));
    case "revoke-schema":
      return asGrantor(change.fact.grantor, change.owner, sql.revokeSchemaPrivilege(schemaPrivilege(change.fact), change.fact.schema, [change.fact.grantee], { grantOptionOnly: change.grantOptionOnly }));
    case "guard-append-only":
      return renderAppendOnlyGuard(model, [{ schema: change.schema, name: change.table }]).trim();
    case "unguard":
      return renderUnguard(model, [{ schema: change.schema, name: change.table }]).trim();
    case "set-default-role":
    case "revoke-table-grant-option":
    case "revoke-routine-privileges":
    case "grant-server":
    case "revoke-wide":
      throw new Error(`bug: a PostgreSQL plan has a MySQL change (${change.kind})`);
  }
}

function grantor(name: string | undefined): { grantor?: string } {
  return name === undefined ? {} : { grantor: name };
}

function spec(fact: PrivilegeFact): PrivilegeSpec {
  if (fact.verb !== "maintain" && !verbOrder.includes(fact.verb as Verb)) throw new Error(`bug: a PostgreSQL plan has a MySQL privilege (${fact.verb})`);
  return { verb: fact.verb as PrivilegeSpec["verb"], columns: fact.column !== null ? [fact.column] : null };
}

function objectOf(fact: PrivilegeFact): ObjectRef {
  return { kind: fact.kind, schema: fact.schema, name: fact.name };
}

function schemaPrivilege(fact: SchemaPrivilegeFact): "usage" | "create" {
  if (fact.privilege !== "usage" && fact.privilege !== "create") throw new Error(`bug: unknown schema privilege ${JSON.stringify(fact.privilege)}`);
  return fact.privilege;
}

function cascadedText(role: string, g: AclGrant): string {
  const on = g.name === null ? `schema ${g.schema}` : `${g.schema}.${g.name}`;
  return `${g.grantOptionOnly ? "GRANT OPTION for " : ""}${g.privilege.toUpperCase()}${g.column !== null ? ` (${g.column})` : ""} on ${on} from ${role}, granted by ${g.grantor}`;
}

/** A grant made by someone other than the owner is revoked as that someone. */
function asGrantor(grantor: string | undefined, owner: string, statement: string): string {
  if (grantor === undefined || grantor === "" || grantor === owner) return statement;
  return sql.asRole(grantor, statement);
}
