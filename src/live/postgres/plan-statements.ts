import { commentText, quoteIdent, quoteLiteral, quoteQualified, sqlInteger } from "../../emit/postgres/quote.js";
import { renderAppendOnlyGuard, renderUnguard } from "../../emit/postgres/render-postgres.js";
import type { Model } from "../../model/ir.js";
import { PUBLIC, type DefaultPrivilegeFact, type PrivilegeFact, type SchemaPrivilegeFact } from "../permission-state.js";
import type { Plan, PlanChange } from "../plan.js";
import type { AclGrant } from "./revoke-cascade.js";

/** A change of the plan with the SQL that makes it. */
export interface PlannedStatement {
  readonly change: PlanChange;
  readonly sql: string;
}

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
      return [
        `CREATE ROLE ${quoteIdent(r.name)} WITH ${r.login ? "LOGIN" : "NOLOGIN"} INHERIT CONNECTION LIMIT ${sqlInteger(r.connectionLimit)};`,
        ...(r.comment !== null ? [`COMMENT ON ROLE ${quoteIdent(r.name)} IS ${quoteLiteral(r.comment)};`] : []),
      ].join("\n");
    }
    case "alter-role": {
      const r = change.desired;
      const role = quoteIdent(r.name);
      switch (change.field) {
        case "login":
          return `ALTER ROLE ${role} WITH ${r.login ? "LOGIN" : "NOLOGIN"};`;
        case "connection limit":
          return `ALTER ROLE ${role} WITH CONNECTION LIMIT ${sqlInteger(r.connectionLimit)};`;
        case "powers":
          return `ALTER ROLE ${role} WITH NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS;`;
        case "inherit":
          return `ALTER ROLE ${role} WITH INHERIT;`;
        case "comment":
          return `COMMENT ON ROLE ${role} IS ${r.comment !== null ? quoteLiteral(r.comment) : "NULL"};`;
      }
      throw new Error("bug: unknown role field");
    }
    case "grant-membership":
      return `GRANT ${quoteIdent(change.parent)} TO ${quoteIdent(change.role)}${serverVersion >= 160000 ? " WITH INHERIT TRUE" : ""};`;
    case "set-inherit":
      return `GRANT ${quoteIdent(change.parent)} TO ${quoteIdent(change.role)} WITH INHERIT TRUE;`;
    case "revoke-membership":
      return `REVOKE ${quoteIdent(change.parent)} FROM ${quoteIdent(change.role)}${grantedBy(change.grantor)} CASCADE;`;
    case "revoke-admin-option":
      return `REVOKE ADMIN OPTION FOR ${quoteIdent(change.parent)} FROM ${quoteIdent(change.role)}${grantedBy(change.grantor)} CASCADE;`;
    case "grant":
      return `GRANT ${privilege(change.fact)} ON ${objectClause(change.fact)} TO ${grantee(change.fact.grantee)};`;
    case "revoke":
      return asGrantor(change.fact.grantor, change.owner, `REVOKE ${privilege(change.fact)} ON ${objectClause(change.fact)} FROM ${grantee(change.fact.grantee)} CASCADE;`);
    case "revoke-grant-option":
      return asGrantor(change.fact.grantor, change.owner, `REVOKE GRANT OPTION FOR ${privilege(change.fact)} ON ${objectClause(change.fact)} FROM ${grantee(change.fact.grantee)} CASCADE;`);
    case "grant-schema":
      return `GRANT USAGE ON SCHEMA ${quoteIdent(change.fact.schema)} TO ${grantee(change.fact.grantee)};`;
    case "regrant":
      return "verb" in change.fact
        ? `GRANT ${privilege(change.fact)} ON ${objectClause(change.fact)} TO ${grantee(change.fact.grantee)};`
        : `GRANT USAGE ON SCHEMA ${quoteIdent(change.fact.schema)} TO ${grantee(change.fact.grantee)};`;
    case "cascade-revoke":
      // Nothing to run: the revoke it follows takes it. The comment says so in a migration file.
      return `-- taken by the CASCADE of the revoke above: ${commentText(cascadedText(change.role, change.grant))}`;
    case "revoke-default":
      return defaultRevoke(change.fact);
    case "revoke-schema":
      return asGrantor(change.fact.grantor, change.owner, schemaRevoke(change.fact, change.grantOptionOnly));
    case "guard-append-only":
      return renderAppendOnlyGuard(model, [{ schema: change.schema, name: change.table }]).trim();
    case "unguard":
      return renderUnguard(model, [{ schema: change.schema, name: change.table }]).trim();
    case "set-default-role":
    case "revoke-table-grant-option":
    case "revoke-wide":
      throw new Error(`bug: a PostgreSQL plan has a MySQL change (${change.kind})`);
  }
}

function grantedBy(grantor: string | undefined): string {
  return grantor === undefined ? "" : ` GRANTED BY ${quoteIdent(grantor)}`;
}

function privilege(fact: PrivilegeFact): string {
  return `${fact.verb.toUpperCase()}${fact.column !== null ? ` (${quoteIdent(fact.column)})` : ""}`;
}

function objectClause(fact: PrivilegeFact): string {
  return `${fact.kind === "sequence" ? "SEQUENCE" : "TABLE"} ${quoteQualified(fact.schema, fact.name)}`;
}

function grantee(name: string): string {
  return name === PUBLIC ? "PUBLIC" : quoteIdent(name);
}

function schemaRevoke(fact: SchemaPrivilegeFact, grantOptionOnly: boolean): string {
  const what = grantOptionOnly ? `GRANT OPTION FOR ${fact.privilege.toUpperCase()}` : fact.privilege.toUpperCase();
  return `REVOKE ${what} ON SCHEMA ${quoteIdent(fact.schema)} FROM ${grantee(fact.grantee)} CASCADE;`;
}

function cascadedText(role: string, g: AclGrant): string {
  const on = g.name === null ? `schema ${g.schema}` : `${g.schema}.${g.name}`;
  return `${g.grantOptionOnly ? "GRANT OPTION for " : ""}${g.privilege.toUpperCase()}${g.column !== null ? ` (${g.column})` : ""} on ${on} from ${role}, granted by ${g.grantor}`;
}

/** Privileges a default ACL can hold for tables and sequences: the only words that reach the SQL unquoted. */
const defaultPrivilegeWords = new Set(["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN", "USAGE"]);

function defaultRevoke(fact: DefaultPrivilegeFact): string {
  if (!defaultPrivilegeWords.has(fact.privilege)) throw new Error(`bug: unknown default privilege ${JSON.stringify(fact.privilege)}`);
  const where = fact.schema === null ? "" : ` IN SCHEMA ${quoteIdent(fact.schema)}`;
  return `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(fact.owner)}${where} REVOKE ${fact.privilege} ON ${fact.objects === "sequences" ? "SEQUENCES" : "TABLES"} FROM ${grantee(fact.grantee)} CASCADE;`;
}

/** A grant made by someone other than the owner is revoked as that someone. */
function asGrantor(grantor: string | undefined, owner: string, statement: string): string {
  if (grantor === undefined || grantor === "" || grantor === owner) return statement;
  return [`-- granted by ${commentText(grantor)}, so revoked as that role`, `SET LOCAL ROLE ${quoteIdent(grantor)};`, statement, "RESET ROLE;"].join("\n");
}
