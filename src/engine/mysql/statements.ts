import { verbOrder, type ServerVerb, type Verb } from "../../model/verbs.js";
import { serverPrivilegeOf } from "./server-privileges.js";
import { mysqlInteger, quoteMysqlGrantee, quoteMysqlIdent, quoteMysqlLiteral, quoteMysqlQualified } from "./quote.js";
import { hourlyLimits, requiredTexts, type AccountOptions } from "../../model/account-options.js";

type HourlyLimit = (typeof hourlyLimits)[number];

/**
 * Every MySQL/MariaDB statement rolec writes with names it knows in advance, one function per
 * kind of statement. The compiled script (through its template's helpers) and plan, apply and
 * migrate (through mysql-statements.ts) take their text from here. What the script must find in
 * the grant tables as it runs, its `converge` procedure writes with CONCAT in the same forms.
 * Every name goes through quote.ts.
 */

/** A role (`host: null`) or an account (`name`@`host`). PUBLIC is MariaDB's keyword, never quoted. */
export interface Grantee {
  readonly name: string;
  readonly host: string | null;
}

/**
 * A verb on a whole table (`columns: null`) or on some of its columns. A plan also revokes
 * privileges the language never grants (CREATE, DROP, ALTER, ...), named as the grant tables name them.
 */
export interface PrivilegeSpec {
  readonly verb: Verb | MysqlOnlyPrivilege;
  readonly columns: readonly string[] | null;
}

export type MysqlOnlyPrivilege = "create" | "drop" | "index" | "alter" | "create view" | "show view" | "delete history";

const privilegeWords = new Set<string>([...verbOrder, "create", "drop", "index", "alter", "create view", "show view", "delete history"]);

export function createRole(name: string): string {
  return `CREATE ROLE IF NOT EXISTS ${quoteMysqlIdent(name)};`;
}

/** A new account is locked and has no password until a person gives it one. */
export function createAccount(account: Grantee): string {
  return `CREATE USER IF NOT EXISTS ${grantee(account)} ACCOUNT LOCK;`;
}

export function lockAccount(account: Grantee): string {
  return `ALTER USER ${grantee(account)} ACCOUNT LOCK;`;
}

/** The language's connection_limit: -1 (no limit) is MySQL's 0; the checker refuses a limit of 0. */
export function setMaxConnections(account: Grantee, connectionLimit: number): string {
  return `ALTER USER ${grantee(account)} WITH MAX_USER_CONNECTIONS ${mysqlInteger(maxUserConnections(connectionLimit))};`;
}

/**
 * Everything an account holds beside its privileges, in one statement, so that the script leaves
 * each account exactly as declared: what it does not say goes back to the server's default.
 */
export function setAccountOptions(account: Grantee, connectionLimit: number, options: AccountOptions): string {
  return `ALTER USER ${grantee(account)} REQUIRE ${requireClause(options)} WITH ${hourlyLimits.map((l) => `${l.option.toUpperCase()} ${mysqlInteger(options[l.field])}`).join(" ")} MAX_USER_CONNECTIONS ${mysqlInteger(maxUserConnections(connectionLimit))} PASSWORD EXPIRE ${passwordExpireClause(options)};`;
}

export function setRequirement(account: Grantee, options: AccountOptions): string {
  return `ALTER USER ${grantee(account)} REQUIRE ${requireClause(options)};`;
}

export function setHourlyLimit(account: Grantee, limit: HourlyLimit, options: AccountOptions): string {
  return `ALTER USER ${grantee(account)} WITH ${limit.option.toUpperCase()} ${mysqlInteger(options[limit.field])};`;
}

export function setPasswordLifetime(account: Grantee, options: AccountOptions): string {
  return `ALTER USER ${grantee(account)} PASSWORD EXPIRE ${passwordExpireClause(options)};`;
}

/** `NONE`, `SSL`, `X509`, or the issuer, subject and cipher that are required (SHOW CREATE USER's order). */
function requireClause(options: AccountOptions): string {
  if (options.require !== "specified") return options.require.toUpperCase();
  return requiredTexts(options)
    .map(([word, value]) => `${word} ${quoteMysqlLiteral(value)}`)
    .join(" AND ");
}

/** `DEFAULT` (the server's default_password_lifetime), `NEVER`, or `INTERVAL n DAY`. */
export function passwordExpireClause(options: AccountOptions): string {
  if (options.passwordLifetime === null) return "DEFAULT";
  return options.passwordLifetime === 0 ? "NEVER" : `INTERVAL ${mysqlInteger(options.passwordLifetime)} DAY`;
}

export function maxUserConnections(connectionLimit: number): number {
  return connectionLimit < 0 ? 0 : connectionLimit;
}

/** With `admin`, the member may grant the role to others and take it away (WITH ADMIN OPTION); granting again adds it to a membership there already. */
export function grantRole(parent: string, child: Grantee, admin = false): string {
  return `GRANT ${quoteMysqlIdent(parent)} TO ${grantee(child)}${admin ? " WITH ADMIN OPTION" : ""};`;
}

export function revokeRole(parent: string, child: Grantee): string {
  return `REVOKE ${quoteMysqlIdent(parent)} FROM ${grantee(child)};`;
}

/** MySQL 8 has no REVOKE ADMIN OPTION FOR a role: there the membership is granted again without it. */
export function revokeAdminOption(parent: string, child: Grantee, mariadb: boolean): string[] {
  return mariadb ? [`REVOKE ADMIN OPTION FOR ${quoteMysqlIdent(parent)} FROM ${grantee(child)};`] : [revokeRole(parent, child), grantRole(parent, child)];
}

/** MariaDB activates one default role at login; MySQL 8 every granted role with ALL. */
export function setDefaultRole(account: Grantee, roles: readonly string[], mariadb: boolean): string {
  if (mariadb) return `SET DEFAULT ROLE ${roles.length > 0 ? quoteMysqlIdent(roles[0]!) : "NONE"} FOR ${grantee(account)};`;
  return `SET DEFAULT ROLE ${roles.length > 0 ? "ALL" : "NONE"} TO ${grantee(account)};`;
}

export function grantPrivileges(privileges: readonly PrivilegeSpec[], database: string, table: string, grantees: readonly Grantee[]): string {
  return `GRANT ${privilegeList(privileges)} ON ${quoteMysqlQualified(database, table)} TO ${granteeList(grantees)};`;
}

export function revokePrivileges(privileges: readonly PrivilegeSpec[], database: string, table: string, from: Grantee): string {
  return `REVOKE ${privilegeList(privileges)} ON ${quoteMysqlQualified(database, table)} FROM ${grantee(from)};`;
}

/** A language's server verb → GRANT's name for it (`replication_client` → REPLICATION CLIENT). */
export function serverPrivilegeKeyword(verb: ServerVerb): string {
  return serverPrivilegeOf(verb).keyword;
}

/** Privileges on the whole server (`*.*`). */
export function grantServer(verbs: readonly ServerVerb[], grantees: readonly Grantee[]): string {
  if (verbs.length === 0) throw new Error("bug: an empty server privilege list");
  return `GRANT ${verbs.map(serverPrivilegeKeyword).join(", ")} ON *.* TO ${granteeList(grantees)};`;
}

/** The routine kinds GRANT and REVOKE name. */
export type RoutineKeyword = "FUNCTION" | "PROCEDURE";

/** MySQL/MariaDB know a stored routine by its database, kind and name: no argument types. */
export function grantExecute(kind: RoutineKeyword, database: string, routine: string, grantees: readonly Grantee[]): string {
  return `GRANT EXECUTE ON ${routineKeyword(kind)} ${quoteMysqlQualified(database, routine)} TO ${granteeList(grantees)};`;
}

const routinePrivilegeWords = new Set(["EXECUTE", "ALTER ROUTINE", "GRANT OPTION"]);

/** Some of EXECUTE, ALTER ROUTINE and GRANT OPTION on a routine, as one row of mysql.procs_priv holds them. */
export function revokeRoutinePrivileges(privileges: readonly string[], kind: RoutineKeyword, database: string, routine: string, from: Grantee): string {
  if (privileges.length === 0 || privileges.some((p) => !routinePrivilegeWords.has(p))) throw new Error(`bug: routine privileges ${JSON.stringify(privileges)}`);
  return `REVOKE ${privileges.join(", ")} ON ${routineKeyword(kind)} ${quoteMysqlQualified(database, routine)} FROM ${grantee(from)};`;
}

function routineKeyword(kind: RoutineKeyword): RoutineKeyword {
  if (kind !== "FUNCTION" && kind !== "PROCEDURE") throw new Error(`bug: routine kind ${JSON.stringify(kind)}`);
  return kind;
}

/** A grant option covers every privilege of a table row at once: it goes whole. */
export function revokeTableGrantOption(database: string, table: string, from: Grantee): string {
  return `REVOKE GRANT OPTION ON ${quoteMysqlQualified(database, table)} FROM ${grantee(from)};`;
}

/**
 * A database-wide (`database`.*) or global (`null`: *.*) grant can only be revoked whole; the
 * server privileges a role is given (`keep`) are granted again by the very next statement.
 */
export function revokeWide(database: string | null, from: Grantee, what: { privileges: boolean; grantOption: boolean; keep?: readonly ServerVerb[] }): string[] {
  const on = database === null ? "*.*" : `${quoteMysqlIdent(database)}.*`;
  const keep = what.privileges && database === null && what.keep && what.keep.length > 0 ? [grantServer(what.keep, [from])] : [];
  return [
    ...(what.privileges ? [`REVOKE ALL PRIVILEGES ON ${on} FROM ${grantee(from)};`, ...keep] : []),
    ...(what.grantOption ? [`REVOKE GRANT OPTION ON ${on} FROM ${grantee(from)};`] : []),
  ];
}

/**
 * What runs after the statements that change grants (the script's end, apply, a migration's end).
 * MariaDB does not always pass a change to a role's column privileges on to the roles that hold it
 * through another role: they can lack a column grant just made, or keep one just revoked, though
 * the grant tables are right. Reading the grant tables again makes the server enforce what they
 * say (test/live/mysql-role-chains.test.ts). The script's converge step writes the same statement.
 */
export const reloadGrantTables = {
  why: "MariaDB may not pass column privileges on to roles held through other roles until it reads the grant tables again.",
  sql: "FLUSH PRIVILEGES;",
} as const;

export function dropTrigger(database: string, name: string): string {
  return `DROP TRIGGER IF EXISTS ${quoteMysqlQualified(database, name)};`;
}

export function privilegeList(privileges: readonly PrivilegeSpec[]): string {
  if (privileges.length === 0) throw new Error("bug: an empty privilege list");
  return privileges
    .map((p) => {
      if (!privilegeWords.has(p.verb)) throw new Error(`bug: unknown privilege ${JSON.stringify(p.verb)}`);
      return p.columns ? `${p.verb.toUpperCase()} (${p.columns.map(quoteMysqlIdent).join(", ")})` : p.verb.toUpperCase();
    })
    .join(", ");
}

export function granteeList(grantees: readonly Grantee[]): string {
  if (grantees.length === 0) throw new Error("bug: an empty grantee list");
  return grantees.map(grantee).join(", ");
}

function grantee(g: Grantee): string {
  return g.name === "PUBLIC" && g.host === null ? "PUBLIC" : quoteMysqlGrantee(g.name, g.host);
}
