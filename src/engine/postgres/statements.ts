import { databaseVerbOrder, verbOrder, type DatabaseVerb, type Verb } from "../../model/verbs.js";
import type { RoleSetting } from "../../model/role-settings.js";
import type { ObjectKind } from "../../syntax/ast.js";
import type { RoutineName } from "../../model/ir.js";
import { commentText, quoteDollar, quoteIdent, quoteLiteral, quoteQualified, quoteRoutine, sqlInteger } from "./quote.js";

/**
 * Every PostgreSQL statement rolec writes with names it knows in advance, one function per kind
 * of statement. The compiled script (through its templates' helpers), and plan, apply and
 * migrate (through plan-statements.ts) all take their text from here, so the script and a plan
 * cannot say the same change in two ways. What the script must find in the database as it runs
 * (grants made by other grantors, undeclared memberships) it writes with `format()` inside DO
 * blocks; those follow the same forms. Every name and literal goes through quote.ts.
 */

/** PUBLIC, as a grantee: the keyword, never a quoted name (the checker refuses a role named public). */
export const publicGrantee = "PUBLIC";

/**
 * A verb, on the whole object (`columns: null`) or on some of its columns. PostgreSQL 17's
 * MAINTAIN is never granted, but a plan revokes it where a database holds it.
 */
export interface PrivilegeSpec {
  readonly verb: Verb | "maintain";
  readonly columns: readonly string[] | null;
}

export interface ObjectRef {
  readonly kind: ObjectKind;
  readonly schema: string;
  readonly name: string;
}

export interface RoleAttributes {
  readonly name: string;
  readonly login: boolean;
  readonly connectionLimit: number;
  /** INHERIT, unless the role is declared `noinherit`. */
  readonly inherit: boolean;
}

export function createRole(name: string): string {
  return `CREATE ROLE ${quoteIdent(name)};`;
}

/** What the language says of every role: login or not, INHERIT or NOINHERIT, the connection limit. */
export function setRoleAttributes(role: RoleAttributes): string {
  return `ALTER ROLE ${quoteIdent(role.name)} WITH ${role.login ? "LOGIN" : "NOLOGIN"} ${role.inherit ? "INHERIT" : "NOINHERIT"} CONNECTION LIMIT ${sqlInteger(role.connectionLimit)};`;
}

/**
 * On PostgreSQL 16 and later, every membership the role holds takes the INHERIT option its
 * INHERIT or NOINHERIT now says (each is granted again with it); earlier versions keep no such
 * option. For a statement that must work on any version, as a migration's.
 */
export function setMembershipsInherit(role: string, inherit: boolean): string {
  const body =
    ` DECLARE parent name; BEGIN IF pg_catalog.current_setting('server_version_num')::int >= 160000 THEN` +
    ` FOR parent IN SELECT p.rolname FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles p ON p.oid = m.roleid JOIN pg_catalog.pg_roles c ON c.oid = m.member WHERE c.rolname = ${quoteLiteral(role)} LOOP` +
    ` EXECUTE pg_catalog.format(${quoteLiteral(`GRANT %I TO %I WITH INHERIT ${inherit ? "TRUE" : "FALSE"}`)}, parent, ${quoteLiteral(role)}); END LOOP; END IF; END `;
  return `DO ${quoteDollar(body)};`;
}

/** The role-attribute columns of pg_roles, with the keyword that sets each; superuser is never declared. */
const rolePowerColumns = [
  ["superuser", "rolsuper", "SUPERUSER"],
  ["createrole", "rolcreaterole", "CREATEROLE"],
  ["createdb", "rolcreatedb", "CREATEDB"],
  ["replication", "rolreplication", "REPLICATION"],
  ["bypassrls", "rolbypassrls", "BYPASSRLS"],
] as const;

/**
 * Gives the role exactly the declared attributes and takes the others away, superuser always.
 * Needs a superuser when replication or bypassrls is set or taken.
 */
export function setRolePowers(name: string, powers: readonly string[]): string {
  const words = rolePowerColumns.map(([power, , keyword]) => (powers.includes(power) ? keyword : `NO${keyword}`));
  return `ALTER ROLE ${quoteIdent(name)} WITH ${words.join(" ")};`;
}

/** A condition on a pg_roles row, true when its attributes are not exactly `powers`. */
export function rolePowersDiffer(powers: readonly string[]): string {
  const columns = rolePowerColumns.map(([, column]) => column);
  const wanted = rolePowerColumns.map(([power]) => (powers.includes(power) ? "true" : "false"));
  return `(${columns.join(", ")}) IS DISTINCT FROM (${wanted.join(", ")})`;
}

/**
 * The role's settings in every database become exactly the declared ones: the others are reset
 * (settings for one database, `ALTER ROLE ... IN DATABASE`, are left alone). Each value is a
 * string literal, as PostgreSQL takes every parameter's value.
 */
export function setRoleSettings(name: string, settings: readonly RoleSetting[]): string {
  const role = quoteIdent(name);
  const sets = settings.map((s) => `ALTER ROLE ${role} SET ${s.parameter.split(".").map(quoteIdent).join(".")} TO ${s.values.map(quoteLiteral).join(", ")};`);
  return [`ALTER ROLE ${role} RESET ALL;`, ...sets].join("\n");
}

/**
 * A role's settings in the database the statement runs in (ALTER ROLE ... IN DATABASE), which,
 * like GRANT, names the database only by name: format() in a DO block names the current one.
 */
export function setRoleDatabaseSettings(name: string, settings: readonly RoleSetting[]): string {
  const role = quoteLiteral(name);
  const lines = [`EXECUTE pg_catalog.format('ALTER ROLE %I IN DATABASE %I RESET ALL', ${role}, pg_catalog.current_database());`];
  for (const s of settings) {
    const parameter = quoteLiteral(s.parameter.split(".").map(quoteIdent).join("."));
    const values = quoteLiteral(s.values.map(quoteLiteral).join(", "));
    lines.push(`EXECUTE pg_catalog.format('ALTER ROLE %I IN DATABASE %I SET %s TO %s', ${role}, pg_catalog.current_database(), ${parameter}, ${values});`);
  }
  return `DO ${quoteDollar(` BEGIN ${lines.join(" ")} END `)};`;
}

/** When the role's password stops being accepted: a canonical moment (valid-until.ts) or infinity. */
export function setRoleValidUntil(name: string, validUntil: string): string {
  return `ALTER ROLE ${quoteIdent(name)} VALID UNTIL ${quoteLiteral(validUntil)};`;
}

export function commentOnRole(name: string, doc: string | null): string {
  return `COMMENT ON ROLE ${quoteIdent(name)} IS ${doc !== null ? quoteLiteral(doc) : "NULL"};`;
}

/**
 * `inherit`: PostgreSQL 16 and later keep an INHERIT option per membership, which follows the
 * member's NOINHERIT; undefined writes none (earlier versions, which know only `WITH ADMIN OPTION`).
 * `admin`: the member may grant the role on (`with admin option`).
 */
export function grantMembership(parent: string, child: string, options: { readonly inherit?: boolean; readonly admin?: boolean } = {}): string {
  const head = `GRANT ${quoteIdent(parent)} TO ${quoteIdent(child)}`;
  if (options.inherit === undefined) return `${head}${options.admin ? " WITH ADMIN OPTION" : ""};`;
  return `${head} WITH ${options.admin ? "ADMIN TRUE, " : ""}INHERIT ${options.inherit ? "TRUE" : "FALSE"};`;
}

/** `grantor`: PostgreSQL 16 and later keep one membership per grantor, each revoked as granted. */
export function revokeMembership(parent: string, child: string, options: { grantor?: string; adminOptionOnly?: boolean } = {}): string {
  return `REVOKE ${options.adminOptionOnly ? "ADMIN OPTION FOR " : ""}${quoteIdent(parent)} FROM ${quoteIdent(child)}${grantedBy(options.grantor)} CASCADE;`;
}

/** `grantOption`: the grantees may grant the privileges on (`with grant option`); never for PUBLIC. */
export function grantPrivileges(privileges: readonly PrivilegeSpec[], object: ObjectRef, grantees: readonly string[], options: { grantOption?: boolean } = {}): string {
  return `GRANT ${privilegeList(privileges)} ON ${objectClause(object)} TO ${granteeList(grantees)}${options.grantOption ? " WITH GRANT OPTION" : ""};`;
}

/**
 * Always CASCADE: what the grantees granted on from a grant option goes too (revoke-cascade.ts
 * lists it in a plan). `privileges: "all"` is REVOKE ALL, which also takes every column grant.
 */
export function revokePrivileges(privileges: readonly PrivilegeSpec[] | "all", object: ObjectRef, grantees: readonly string[], options: { grantOptionOnly?: boolean } = {}): string {
  const what = privileges === "all" ? "ALL" : privilegeList(privileges);
  return `REVOKE ${options.grantOptionOnly ? "GRANT OPTION FOR " : ""}${what} ON ${objectClause(object)} FROM ${granteeList(grantees)} CASCADE;`;
}

/** EXECUTE, the one privilege of a function or procedure; ROUTINE names either, aggregates too. */
export function grantExecute(routine: RoutineName, grantees: readonly string[], options: { grantOption?: boolean } = {}): string {
  return `GRANT EXECUTE ON ROUTINE ${quoteRoutine(routine)} TO ${granteeList(grantees)}${options.grantOption ? " WITH GRANT OPTION" : ""};`;
}

/** Always CASCADE, as for objects. `all` is REVOKE ALL, the same privilege under another name. */
export function revokeExecute(routine: RoutineName, grantees: readonly string[], options: { grantOptionOnly?: boolean } = {}): string {
  return `REVOKE ${options.grantOptionOnly ? "GRANT OPTION FOR " : ""}EXECUTE ON ROUTINE ${quoteRoutine(routine)} FROM ${granteeList(grantees)} CASCADE;`;
}

/** A type or domain, by the keyword its statements use: DOMAIN for a domain (ON TYPE would take one too). */
export interface TypeRef {
  readonly kind: "type" | "domain";
  readonly schema: string;
  readonly name: string;
}

function typeClause(type: TypeRef): string {
  return `${type.kind === "domain" ? "DOMAIN" : "TYPE"} ${quoteQualified(type.schema, type.name)}`;
}

/** USAGE, the one privilege of a type or domain: using it in a table, a function or another type. */
export function grantTypeUsage(type: TypeRef, grantees: readonly string[], options: { grantOption?: boolean } = {}): string {
  return `GRANT USAGE ON ${typeClause(type)} TO ${granteeList(grantees)}${options.grantOption ? " WITH GRANT OPTION" : ""};`;
}

/** Always CASCADE, as for objects. */
export function revokeTypeUsage(type: TypeRef, grantees: readonly string[], options: { grantOptionOnly?: boolean } = {}): string {
  return `REVOKE ${options.grantOptionOnly ? "GRANT OPTION FOR " : ""}USAGE ON ${typeClause(type)} FROM ${granteeList(grantees)} CASCADE;`;
}

const schemaPrivilegeWords = { usage: "USAGE", create: "CREATE", all: "ALL" } as const;

export function grantSchemaPrivilege(privilege: "usage" | "create", schema: string, grantees: readonly string[], grantOption = false): string {
  const word = schemaPrivilegeWords[privilege];
  if (word === undefined) throw new Error(`bug: unknown schema privilege ${JSON.stringify(privilege)}`);
  return `GRANT ${word} ON SCHEMA ${quoteIdent(schema)} TO ${granteeList(grantees)}${grantOption ? " WITH GRANT OPTION" : ""};`;
}

export function revokeSchemaPrivilege(privilege: keyof typeof schemaPrivilegeWords, schema: string, grantees: readonly string[], options: { grantOptionOnly?: boolean } = {}): string {
  const word = schemaPrivilegeWords[privilege];
  if (word === undefined) throw new Error(`bug: unknown schema privilege ${JSON.stringify(privilege)}`);
  // REVOKE CREATE ... FROM PUBLIC is how the script leaves PUBLIC's USAGE alone; no CASCADE is needed there.
  const cascade = grantees.length === 1 && grantees[0] === publicGrantee && privilege === "create" ? "" : " CASCADE";
  return `REVOKE ${options.grantOptionOnly ? "GRANT OPTION FOR " : ""}${word} ON SCHEMA ${quoteIdent(schema)} FROM ${granteeList(grantees)}${cascade};`;
}

/**
 * GRANT and REVOKE name a database only by its name, which the script and a migration do not
 * know: they run in whichever database they are fed to. So these statements name the current
 * database through format() in a DO block, the grantee list passed as a literal of quoted names.
 */
function onCurrentDatabase(statement: string, grantees: readonly string[]): string {
  const body = ` BEGIN EXECUTE pg_catalog.format(${quoteLiteral(statement)}, pg_catalog.current_database(), ${quoteLiteral(granteeList(grantees))}); END `;
  return `DO ${quoteDollar(body)};`;
}

const databasePrivilegeWords: Record<DatabaseVerb | "all", string> = { connect: "CONNECT", temporary: "TEMPORARY", create: "CREATE", all: "ALL" };

function databasePrivilegeList(privileges: readonly (DatabaseVerb | "all")[]): string {
  return [...privileges]
    .sort((a, b) => databaseVerbOrder.indexOf(a as DatabaseVerb) - databaseVerbOrder.indexOf(b as DatabaseVerb))
    .map((p) => {
      const word = databasePrivilegeWords[p];
      if (word === undefined) throw new Error(`bug: unknown database privilege ${JSON.stringify(p)}`);
      return word;
    })
    .join(", ");
}

export function grantDatabasePrivileges(privileges: readonly DatabaseVerb[], grantees: readonly string[], grantOption = false): string {
  return onCurrentDatabase(`GRANT ${databasePrivilegeList(privileges)} ON DATABASE %I TO %s${grantOption ? " WITH GRANT OPTION" : ""}`, grantees);
}

/** Always CASCADE, as for objects: what the grantees granted on from a grant option goes too. */
export function revokeDatabasePrivileges(privileges: readonly DatabaseVerb[] | "all", grantees: readonly string[], options: { grantOptionOnly?: boolean } = {}): string {
  const what = privileges === "all" ? "ALL" : databasePrivilegeList(privileges);
  return onCurrentDatabase(`REVOKE ${options.grantOptionOnly ? "GRANT OPTION FOR " : ""}${what} ON DATABASE %I FROM %s CASCADE`, grantees);
}

/** Privileges a default ACL can hold: the only words that reach the SQL unquoted. */
const defaultPrivilegeWords = new Set(["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN", "USAGE", "EXECUTE", "CREATE"]);

const defaultObjectWords: Record<string, string> = { tables: "TABLES", sequences: "SEQUENCES", functions: "FUNCTIONS", types: "TYPES", schemas: "SCHEMAS" };

/** ALTER DEFAULT PRIVILEGES' word for a kind of object. */
export function defaultObjectsWord(objects: string): string {
  const word = defaultObjectWords[objects];
  if (word === undefined) throw new Error(`bug: rolec does not write default privileges on ${JSON.stringify(objects)}`);
  return word;
}

/** `ALTER DEFAULT PRIVILEGES FOR ROLE owner [IN SCHEMA schema]`, the head of both statements below. */
function alterDefaultPrivileges(owner: string, schema: string | null, privileges: readonly string[], objects: string): { head: string; what: string; on: string } {
  for (const privilege of privileges) if (!defaultPrivilegeWords.has(privilege)) throw new Error(`bug: unknown default privilege ${JSON.stringify(privilege)}`);
  const on = defaultObjectsWord(objects);
  const where = schema === null ? "" : ` IN SCHEMA ${quoteIdent(schema)}`;
  return { head: `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(owner)}${where}`, what: privileges.length === 0 ? "ALL" : privileges.join(", "), on };
}

export function grantDefaultPrivileges(owner: string, schema: string | null, privileges: readonly string[], objects: string, grantees: readonly string[], grantOption = false): string {
  const { head, what, on } = alterDefaultPrivileges(owner, schema, privileges, objects);
  return `${head} GRANT ${what} ON ${on} TO ${granteeList(grantees)}${grantOption ? " WITH GRANT OPTION" : ""};`;
}

/** Every privilege when `privileges` is empty. CASCADE: what a grantee would grant on from a grant option goes too. */
export function revokeDefaultPrivileges(owner: string, schema: string | null, privileges: readonly string[], objects: string, grantees: readonly string[]): string {
  const { head, what, on } = alterDefaultPrivileges(owner, schema, privileges, objects);
  return `${head} REVOKE ${what} ON ${on} FROM ${granteeList(grantees)} CASCADE;`;
}

/**
 * A statement run as another role: a REVOKE only removes the current role's own grants, so a
 * grant someone other than the owner made is revoked as that someone.
 */
export function asRole(role: string, statement: string): string {
  return [`-- granted by ${commentText(role)}, so revoked as that role`, `SET LOCAL ROLE ${quoteIdent(role)};`, statement, "RESET ROLE;"].join("\n");
}

/** A line that says, in a plan or migration, what a statement above takes with it. */
export function noteLine(text: string): string {
  return `-- ${commentText(text)}`;
}

/** The only privilege words that reach the SQL unquoted. */
const privilegeWords = new Set<string>([...verbOrder, "maintain"]);

export function privilegeList(privileges: readonly PrivilegeSpec[]): string {
  if (privileges.length === 0) throw new Error("bug: an empty privilege list");
  return privileges
    .map((p) => {
      if (!privilegeWords.has(p.verb)) throw new Error(`bug: unknown verb ${JSON.stringify(p.verb)}`);
      return p.columns ? `${p.verb.toUpperCase()} (${p.columns.map(quoteIdent).join(", ")})` : p.verb.toUpperCase();
    })
    .join(", ");
}

export function objectKeyword(kind: ObjectKind): string {
  return kind === "sequence" ? "SEQUENCE" : "TABLE";
}

function objectClause(object: ObjectRef): string {
  return `${objectKeyword(object.kind)} ${quoteQualified(object.schema, object.name)}`;
}

/**
 * The script's REVOKE on every object names PUBLIC and all the declared roles, in one array that
 * is never changed once built: it is quoted once. Keyed by the array itself; short lists, which
 * plans build afresh for each statement, are not worth keeping.
 */
const quotedLists = new WeakMap<readonly string[], string>();

/** Grantees, PUBLIC as the keyword and every other name quoted. */
export function granteeList(grantees: readonly string[]): string {
  if (grantees.length === 0) throw new Error("bug: an empty grantee list");
  const known = quotedLists.get(grantees);
  if (known !== undefined) return known;
  const text = grantees.map((g) => (g === publicGrantee ? "PUBLIC" : quoteIdent(g))).join(", ");
  if (grantees.length > 8) quotedLists.set(grantees, text);
  return text;
}

function grantedBy(grantor: string | undefined): string {
  return grantor === undefined ? "" : ` GRANTED BY ${quoteIdent(grantor)}`;
}
