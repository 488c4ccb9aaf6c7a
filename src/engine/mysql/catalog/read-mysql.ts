import type { AccountOptions, AccountRequirement } from "../../../model/account-options.js";
import type { MysqlSession } from "../session/mysql-session.js";
import { readMysqlRoutinePrivileges, readMysqlRoutines, type MysqlRoutinePrivilegeRow, type MysqlRoutineRow } from "./read-mysql-routines.js";
import { storedPrivileges } from "./stored-privileges.js";

/** An account or a role, as the grant tables hold it: a role has host '' on MariaDB and (usually) '%' on MySQL 8. */
export interface MysqlPrincipalRow {
  readonly user: string;
  readonly host: string;
  readonly isRole: boolean;
  readonly locked: boolean;
  readonly maxUserConnections: number;
  /** What its connections and password must be (REQUIRE, the hourly limits, the password's lifetime). */
  readonly account: AccountOptions;
  /** The roles activated at login: MariaDB keeps one, MySQL 8 any number. */
  readonly defaultRoles: readonly string[];
  /** Global privileges (`*.*`), as GRANT names them, and whether they come WITH GRANT OPTION. */
  readonly globalPrivileges: readonly string[];
  readonly globalGrantOption: boolean;
  /** MariaDB: mysql.global_priv's access mask, which holds global privileges no column shows; null on MySQL 8. */
  readonly globalAccess: bigint | null;
}

export interface MysqlEdgeRow {
  readonly parent: string;
  readonly child: string;
  readonly childHost: string;
  readonly admin: boolean;
}

/** A row of mysql.tables_priv or mysql.columns_priv: privileges as GRANT names them. */
export interface MysqlPrivilegeRow {
  readonly user: string;
  readonly host: string;
  readonly db: string;
  readonly table: string;
  /** Null for a table-wide row. */
  readonly column: string | null;
  readonly privileges: readonly string[];
  readonly grantOption: boolean;
}

/** A database-wide grant (`db`.* or a pattern such as `sales%`.*). */
export interface MysqlDatabaseGrantRow {
  readonly user: string;
  readonly host: string;
  readonly pattern: string;
  readonly privileges: readonly string[];
  readonly grantOption: boolean;
}

export interface MysqlObjectRow {
  readonly db: string;
  readonly name: string;
  readonly kind: "table" | "view";
}

export interface MysqlTriggerRow {
  readonly db: string;
  readonly table: string;
  readonly name: string;
  readonly event: string;
  readonly timing: string;
  readonly definer: string;
  readonly statement: string;
}

/** A foreign key whose ON DELETE/UPDATE would change a table without firing its triggers. */
export interface MysqlCascadeRow {
  readonly db: string;
  readonly table: string;
  readonly name: string;
  readonly deleteRule: string;
  readonly updateRule: string;
}

export interface MysqlLive {
  readonly mariadb: boolean;
  readonly version: string;
  /** The account reading (and applying): CREATE ROLE makes it an admin member of every role it creates. */
  readonly currentUser: { readonly user: string; readonly host: string } | null;
  readonly principals: readonly MysqlPrincipalRow[];
  readonly edges: readonly MysqlEdgeRow[];
  readonly privileges: readonly MysqlPrivilegeRow[];
  readonly databaseGrants: readonly MysqlDatabaseGrantRow[];
  readonly objects: readonly MysqlObjectRow[];
  readonly triggers: readonly MysqlTriggerRow[];
  readonly cascades: readonly MysqlCascadeRow[];
  /** The functions and procedures of the databases named, and what each account and role holds on them (mysql.procs_priv). */
  readonly routines: readonly MysqlRoutineRow[];
  readonly routinePrivileges: readonly MysqlRoutinePrivilegeRow[];
  /** How many queries the read took. */
  readonly queries: number;
}

/** The columns of mysql.user and mysql.db that hold a privilege, with the name GRANT gives it. */
const privilegeColumns: readonly (readonly [column: string, privilege: string, global: boolean])[] = [
  ["Select_priv", "SELECT", false],
  ["Insert_priv", "INSERT", false],
  ["Update_priv", "UPDATE", false],
  ["Delete_priv", "DELETE", false],
  ["Create_priv", "CREATE", false],
  ["Drop_priv", "DROP", false],
  ["Reload_priv", "RELOAD", true],
  ["Shutdown_priv", "SHUTDOWN", true],
  ["Process_priv", "PROCESS", true],
  ["File_priv", "FILE", true],
  ["References_priv", "REFERENCES", false],
  ["Index_priv", "INDEX", false],
  ["Alter_priv", "ALTER", false],
  ["Show_db_priv", "SHOW DATABASES", true],
  ["Super_priv", "SUPER", true],
  ["Create_tmp_table_priv", "CREATE TEMPORARY TABLES", false],
  ["Lock_tables_priv", "LOCK TABLES", false],
  ["Execute_priv", "EXECUTE", false],
  ["Repl_slave_priv", "REPLICATION SLAVE", true],
  ["Repl_client_priv", "REPLICATION CLIENT", true],
  ["Create_view_priv", "CREATE VIEW", false],
  ["Show_view_priv", "SHOW VIEW", false],
  ["Create_routine_priv", "CREATE ROUTINE", false],
  ["Alter_routine_priv", "ALTER ROUTINE", false],
  ["Create_user_priv", "CREATE USER", true],
  ["Event_priv", "EVENT", false],
  ["Trigger_priv", "TRIGGER", false],
];

/** tables_priv/columns_priv store privilege names capitalised their own way. */
const storedPrivilege: Record<string, string> = {
  Select: "SELECT",
  Insert: "INSERT",
  Update: "UPDATE",
  Delete: "DELETE",
  Create: "CREATE",
  Drop: "DROP",
  References: "REFERENCES",
  Index: "INDEX",
  Alter: "ALTER",
  "Create View": "CREATE VIEW",
  "Show view": "SHOW VIEW",
  Trigger: "TRIGGER",
  "Delete versioning rows": "DELETE HISTORY",
};

/**
 * The account options mysql.user shows on both engines; the password's lifetime is read beside
 * them, from mysql.global_priv on MariaDB. The certificate texts are BLOBs on MySQL 8.
 */
const accountSelect = [
  "u.ssl_type AS ssl_type",
  "CONVERT(u.ssl_cipher USING utf8mb4) AS ssl_cipher",
  "CONVERT(u.x509_issuer USING utf8mb4) AS x509_issuer",
  "CONVERT(u.x509_subject USING utf8mb4) AS x509_subject",
  "u.max_questions AS max_questions",
  "u.max_updates AS max_updates",
  "u.max_connections AS max_connections",
].join(", ");

const requirementOf: Record<string, AccountRequirement> = { "": "none", ANY: "ssl", X509: "x509", SPECIFIED: "specified" };

function accountOptionsOf(p: Record<string, string | number | null>): AccountOptions {
  const lifetime = Number(p.password_lifetime);
  const specified = String(p.ssl_type ?? "") === "SPECIFIED";
  return {
    require: requirementOf[String(p.ssl_type ?? "")] ?? "none",
    issuer: specified ? String(p.x509_issuer ?? "") : "",
    subject: specified ? String(p.x509_subject ?? "") : "",
    cipher: specified ? String(p.ssl_cipher ?? "") : "",
    maxQueriesPerHour: Number(p.max_questions),
    maxUpdatesPerHour: Number(p.max_updates),
    maxConnectionsPerHour: Number(p.max_connections),
    passwordLifetime: Number.isSafeInteger(lifetime) && lifetime >= 0 ? lifetime : null,
  };
}

const triggerPrefix = "rolec\\_append\\_only\\_%";

/**
 * Reads what a MySQL 8 or MariaDB server holds that a plan needs: every account and role with
 * its global privileges and default roles, role grants, and the table, column and database-wide
 * privileges, objects, routines, rolec's triggers and cascading foreign keys of the databases
 * named. Ten queries (eleven on MySQL 8, which keeps default roles in a table of their own),
 * from the grant tables themselves, whatever the number of objects.
 */
export interface MysqlReadOptions {
  /**
   * The tables whose foreign keys' cascades matter (a plan's append-only tables); undefined, every
   * table's. MariaDB answers information_schema.REFERENTIAL_CONSTRAINTS by opening every table of
   * the databases asked about (1.5 s for 10,000 tables), so with none to ask about it is not asked.
   */
  readonly cascadesOf?: readonly { readonly schema: string; readonly name: string }[];
}

export async function readMysql(session: MysqlSession, databases: readonly string[], options: MysqlReadOptions = {}): Promise<MysqlLive> {
  // `IN (?)` with an empty list is a syntax error; a NUL name matches no database.
  const dbs = databases.length > 0 ? [...databases] : ["\u0000"];
  let queries = 0;
  const query = <T>(sql: string, params?: unknown[]) => {
    queries++;
    return session.query<T>(sql, params);
  };

  const [versionRow] = await query<{ v: string; me: string }>("SELECT VERSION() AS v, CURRENT_USER() AS me");
  const version = versionRow?.v ?? "";
  const at = versionRow?.me.lastIndexOf("@") ?? -1;
  const currentUser = versionRow && at > 0 ? { user: versionRow.me.slice(0, at), host: versionRow.me.slice(at + 1) } : null;
  const mariadb = version.includes("MariaDB");
  const privilegeSelect = privilegeColumns.map(([c]) => `u.${c}`).join(", ");
  const principalRows = await query<Record<string, string | number | null>>(
    mariadb
      ? `SELECT u.User AS user, u.Host AS host, u.is_role = 'Y' AS is_role, u.default_role AS default_role,
                u.max_user_connections AS max_user_connections, u.Grant_priv AS grant_priv, ${privilegeSelect}, ${accountSelect},
                IFNULL(JSON_VALUE(g.Priv, '$.password_lifetime'), -1) AS password_lifetime,
                IFNULL(JSON_VALUE(g.Priv, '$.account_locked'), 'false') IN ('true', '1') AS locked,
                IFNULL(JSON_VALUE(g.Priv, '$.access'), '0') AS access
         FROM mysql.user u LEFT JOIN mysql.global_priv g ON g.User = u.User AND g.Host = u.Host`
      : `SELECT u.User AS user, u.Host AS host, 0 AS is_role, NULL AS default_role,
                u.max_user_connections AS max_user_connections, u.Grant_priv AS grant_priv, ${privilegeSelect}, ${accountSelect},
                IFNULL(u.password_lifetime, -1) AS password_lifetime,
                u.account_locked = 'Y' AS locked, NULL AS access
         FROM mysql.user u`,
  );
  const mysqlDefaults = mariadb
    ? []
    : await query<{ user: string; host: string; role: string }>("SELECT USER AS user, HOST AS host, DEFAULT_ROLE_USER AS role FROM mysql.default_roles");
  const edgeRows = await query<{ parent: string; child: string; host: string; admin: number }>(
    mariadb
      ? "SELECT Role AS parent, User AS child, Host AS host, Admin_option = 'Y' AS admin FROM mysql.roles_mapping"
      : "SELECT FROM_USER AS parent, TO_USER AS child, TO_HOST AS host, WITH_ADMIN_OPTION = 'Y' AS admin FROM mysql.role_edges",
  );
  // Db and Table_name are compared exactly: the grant tables' own collation folds case on some servers.
  const tableRows = await query<{ user: string; host: string; db: string; tbl: string; col: string | null; privs: string }>(
    `SELECT User AS user, Host AS host, Db AS db, Table_name AS tbl, NULL AS col, Table_priv AS privs FROM mysql.tables_priv WHERE BINARY Db IN (?)
     UNION ALL
     SELECT User, Host, Db, Table_name, Column_name, Column_priv FROM mysql.columns_priv WHERE BINARY Db IN (?)`,
    [dbs, dbs],
  );
  // Patterns are matched here, not in SQL: every database-wide row is read (there are few).
  const dbRows = await query<Record<string, string>>(`SELECT User, Host, Db, Grant_priv, ${privilegeColumns.filter(([, , g]) => !g).map(([c]) => c).join(", ")} FROM mysql.db`);
  const objectRows = await query<{ db: string; name: string; type: string }>(
    "SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (?)",
    [dbs],
  );
  const triggerRows = await query<{ db: string; tbl: string; name: string; event: string; timing: string; definer: string; statement: string }>(
    `SELECT EVENT_OBJECT_SCHEMA AS db, EVENT_OBJECT_TABLE AS tbl, TRIGGER_NAME AS name, EVENT_MANIPULATION AS event,
            ACTION_TIMING AS timing, DEFINER AS definer, ACTION_STATEMENT AS statement
     FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA IN (?) AND TRIGGER_NAME LIKE ?`,
    [dbs, triggerPrefix],
  );
  const cascadeRows = options.cascadesOf?.length === 0 ? [] : await query<{ db: string; tbl: string; name: string; deleteRule: string; updateRule: string }>(
    `SELECT CONSTRAINT_SCHEMA AS db, TABLE_NAME AS tbl, CONSTRAINT_NAME AS name, DELETE_RULE AS deleteRule, UPDATE_RULE AS updateRule
     FROM information_schema.REFERENTIAL_CONSTRAINTS
     WHERE CONSTRAINT_SCHEMA IN (?) AND (DELETE_RULE IN ('CASCADE', 'SET NULL', 'SET DEFAULT') OR UPDATE_RULE IN ('CASCADE', 'SET NULL', 'SET DEFAULT'))`,
    [dbs],
  );
  // The same session, its queries counted.
  const counted: MysqlSession = { query, close: () => session.close() };
  const routines = await readMysqlRoutines(counted, dbs);
  const routinePrivileges = await readMysqlRoutinePrivileges(counted, dbs);

  const wanted = new Set(databases);
  const defaultsOf = (user: string, host: string) => mysqlDefaults.filter((d) => d.user === user && d.host === host).map((d) => d.role).sort();
  const principals: MysqlPrincipalRow[] = principalRows.map((p) => ({
    user: String(p.user),
    host: String(p.host),
    isRole: Number(p.is_role) === 1,
    locked: Number(p.locked) === 1,
    maxUserConnections: Number(p.max_user_connections),
    account: accountOptionsOf(p),
    defaultRoles: mariadb ? (p.default_role ? [String(p.default_role)] : []) : defaultsOf(String(p.user), String(p.host)),
    globalPrivileges: privilegeColumns.filter(([c]) => p[c] === "Y").map(([, name]) => name),
    globalGrantOption: p.grant_priv === "Y",
    globalAccess: p.access === null || p.access === undefined ? null : BigInt(String(p.access)),
  }));
  const privileges: MysqlPrivilegeRow[] = tableRows
    .filter((r) => wanted.has(r.db))
    .map((r) => ({ user: r.user, host: r.host, db: r.db, table: r.tbl, column: r.col, ...storedPrivileges(r.privs, storedPrivilege) }));
  const databaseGrants: MysqlDatabaseGrantRow[] = dbRows
    .map((d) => ({
      user: d.User!,
      host: d.Host!,
      pattern: d.Db!,
      privileges: privilegeColumns.filter(([c, , g]) => !g && d[c] === "Y").map(([, name]) => name),
      grantOption: d.Grant_priv === "Y",
    }))
    .filter((d) => d.privileges.length > 0 || d.grantOption);

  return {
    mariadb,
    version,
    currentUser,
    principals,
    edges: edgeRows.map((e) => ({ parent: e.parent, child: e.child, childHost: e.host, admin: Number(e.admin) === 1 })),
    privileges,
    databaseGrants,
    objects: objectRows.filter((o) => wanted.has(o.db)).map((o) => ({ db: o.db, name: o.name, kind: o.type === "VIEW" ? "view" : "table" })),
    triggers: triggerRows
      .filter((t) => wanted.has(t.db))
      .map((t) => ({ db: t.db, table: t.tbl, name: t.name, event: t.event, timing: t.timing, definer: t.definer, statement: t.statement })),
    cascades: cascadeRows.filter((c) => wanted.has(c.db)).map((c) => ({ db: c.db, table: c.tbl, name: c.name, deleteRule: c.deleteRule, updateRule: c.updateRule })),
    routines: routines.filter((r) => wanted.has(r.db)),
    routinePrivileges: routinePrivileges.filter((r) => wanted.has(r.db)),
    queries,
  };
}

/** Whether a database-wide grant's pattern (`_` and `%` wildcards, `\` escapes) covers a database. */
export function databasePatternMatches(pattern: string, database: string): boolean {
  let regex = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\" && i + 1 < pattern.length) regex += escapeRegex(pattern[++i]!);
    else if (c === "%") regex += "[\\s\\S]*";
    else if (c === "_") regex += "[\\s\\S]";
    else regex += escapeRegex(c);
  }
  return new RegExp(`^${regex}$`, "u").test(database);
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
