import type { MysqlSession } from "../../../src/engine/mysql/index.js";

/**
 * MariaDB's grant tables, read with queries written here (not rolec's reader), and what they let
 * an account or role do: the union over every authorization it has active of global (mysql.user),
 * database (mysql.db, whose Db may be a LIKE pattern), table (tables_priv), column
 * (columns_priv) and routine (procs_priv) privileges. Active at login: the account, its default role and every role granted
 * to that, transitively, and PUBLIC; for a role: the role, its roles, and PUBLIC.
 */

export interface Principal {
  readonly user: string;
  /** Null for a role. */
  readonly host: string | null;
}

interface Row {
  readonly User: string;
  readonly Host: string;
}
type UserRow = Row & {
  is_role: string;
  default_role: string;
  max_user_connections: number;
  ssl_type: string;
  issuer: string;
  subject: string;
  cipher: string;
  max_questions: number;
  max_updates: number;
  max_connections: number;
  password_lifetime: string | null;
} & Record<string, unknown>;
type DbRow = Row & { Db: string } & Record<string, unknown>;
type TableRow = Row & { Db: string; Table_name: string; Table_priv: string; Column_priv: string };
type ColumnRow = Row & { Db: string; Table_name: string; Column_name: string; Column_priv: string };
type RoleRow = Row & { Role: string; Admin_option: string };
type ProcRow = Row & { Db: string; Routine_name: string; Routine_type: string; Proc_priv: string };

export interface GrantTables {
  readonly users: readonly UserRow[];
  readonly dbs: readonly DbRow[];
  readonly tables: readonly TableRow[];
  readonly columns: readonly ColumnRow[];
  readonly roles: readonly RoleRow[];
  readonly procs: readonly ProcRow[];
}

/** The language's server verbs, by the mysql.user column that shows each. */
export const serverPrivilegeColumns = { process: "Process_priv", replication_client: "Repl_client_priv", replication_slave: "Repl_slave_priv", show_databases: "Show_db_priv" } as const;

/** Privileges on routines as procs_priv spells them, by the column mysql.user and mysql.db keep them in. */
export const routinePrivileges = { Execute: "Execute_priv", "Alter Routine": "Alter_routine_priv", Grant: "Grant_priv" } as const;
export type RoutinePrivilege = keyof typeof routinePrivileges;

/** Privilege names as tables_priv spells them, by the column mysql.user and mysql.db keep them in. */
export const tablePrivileges = {
  Select: "Select_priv",
  Insert: "Insert_priv",
  Update: "Update_priv",
  Delete: "Delete_priv",
  References: "References_priv",
  Trigger: "Trigger_priv",
  Create: "Create_priv",
  Drop: "Drop_priv",
  Alter: "Alter_priv",
  Index: "Index_priv",
  "Create View": "Create_view_priv",
  "Show view": "Show_view_priv",
  "Delete versioning rows": "Delete_history_priv",
  Grant: "Grant_priv",
} as const;
export type TablePrivilege = keyof typeof tablePrivileges;

export async function readGrantTables(session: MysqlSession): Promise<GrantTables> {
  const privColumns = [...new Set([...Object.values(tablePrivileges), ...Object.values(routinePrivileges)])].join(", ");
  // Server privileges are global only: mysql.db has no column for them.
  const userColumns = [privColumns, ...Object.values(serverPrivilegeColumns)].join(", ");
  const [users, dbs, tables, columns, roles, procs] = await Promise.all([
    // The account options; MariaDB keeps the password's lifetime in mysql.global_priv's JSON only.
    session.query<UserRow>(
      `SELECT u.User, u.Host, is_role, default_role, max_user_connections, ssl_type, CONVERT(x509_issuer USING utf8mb4) AS issuer,
              CONVERT(x509_subject USING utf8mb4) AS subject, CONVERT(ssl_cipher USING utf8mb4) AS cipher, max_questions, max_updates, max_connections,
              JSON_VALUE(g.Priv, '$.password_lifetime') AS password_lifetime, ${userColumns.split(", ").map((c) => `u.${c}`).join(", ")}
       FROM mysql.user u LEFT JOIN mysql.global_priv g ON g.User = u.User AND g.Host = u.Host`,
    ),
    session.query<DbRow>(`SELECT User, Host, Db, ${privColumns} FROM mysql.db`),
    session.query<TableRow>("SELECT User, Host, Db, Table_name, Table_priv, Column_priv FROM mysql.tables_priv"),
    session.query<ColumnRow>("SELECT User, Host, Db, Table_name, Column_name, Column_priv FROM mysql.columns_priv"),
    session.query<RoleRow>("SELECT User, Host, Role, Admin_option FROM mysql.roles_mapping"),
    session.query<ProcRow>("SELECT User, Host, Db, Routine_name, Routine_type, Proc_priv FROM mysql.procs_priv"),
  ]);
  return { users, dbs, tables, columns, roles, procs };
}

/** The grant tables as a session reads them now. */
export async function readGrants(session: MysqlSession): Promise<Grants> {
  return new Grants(await readGrantTables(session));
}

const roleId = (name: string) => ({ user: name, host: "" });

/** Whether a database name matches a mysql.db pattern: % and _ are wildcards, a backslash escapes. */
export function databaseMatches(pattern: string, name: string): boolean {
  let regex = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\" && i + 1 < pattern.length) regex += escapeRegex(pattern[++i]!);
    else if (c === "%") regex += "[\\s\\S]*";
    else if (c === "_") regex += "[\\s\\S]";
    else regex += escapeRegex(c);
  }
  return new RegExp(`^${regex}$`, "u").test(name);
}

function escapeRegex(c: string): string {
  return c.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

export class Grants {
  constructor(private readonly g: GrantTables) {}

  /** The roles granted to an account or role, directly. */
  granted(user: string, host: string): RoleRow[] {
    return this.g.roles.filter((r) => r.User === user && r.Host === host);
  }

  /** Roles reachable from these, themselves included. */
  closure(roles: Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const stack = [...roles];
    while (stack.length > 0) {
      const role = stack.pop()!;
      if (seen.has(role)) continue;
      seen.add(role);
      for (const r of this.granted(role, "")) stack.push(r.Role);
    }
    return seen;
  }

  user(p: Principal): UserRow | undefined {
    return this.g.users.find((u) => u.User === p.user && u.Host === (p.host ?? ""));
  }

  /** What is active when the account logs in, or when the role is the one set. */
  active(p: Principal): { user: string; host: string }[] {
    const publicIds = [roleId("PUBLIC"), ...[...this.closure(this.granted("PUBLIC", "").map((r) => r.Role))].map(roleId)];
    if (p.host === null) return [...[...this.closure([p.user])].map(roleId), ...publicIds];
    const defaultRole = this.user(p)?.default_role ?? "";
    return [{ user: p.user, host: p.host }, ...[...this.closure(defaultRole ? [defaultRole] : [])].map(roleId), ...publicIds];
  }

  /** Every role the principal could set, transitively (not only the active ones). */
  reachable(p: Principal): Set<string> {
    return this.closure(this.granted(p.user, p.host ?? "").map((r) => r.Role));
  }

  /**
   * Whether the principal holds the privilege on the table: `column` null asks table-wide
   * (global, database or table grants), a name asks about that column (those, or a column grant).
   */
  holds(p: Principal, privilege: TablePrivilege, db: string, table: string, column: string | null): boolean {
    return this.active(p).some((id) => this.holdsAs(id, privilege, db, table, column));
  }

  private holdsAs(id: { user: string; host: string }, privilege: TablePrivilege, db: string, table: string, column: string | null): boolean {
    const flag = tablePrivileges[privilege];
    const mine = (r: Row) => r.User === id.user && r.Host === id.host;
    if (this.g.users.some((u) => mine(u) && u[flag] === "Y")) return true;
    if (this.g.dbs.some((d) => mine(d) && d[flag] === "Y" && databaseMatches(d.Db, db))) return true;
    if (this.g.tables.some((t) => mine(t) && t.Db === db && t.Table_name === table && setHas(t.Table_priv, privilege))) return true;
    return column !== null && this.g.columns.some((c) => mine(c) && c.Db === db && c.Table_name === table && c.Column_name.toLowerCase() === column.toLowerCase() && setHas(c.Column_priv, privilege));
  }

  /** Whether the principal holds a global privilege (a mysql.user column) by any active authorization. */
  holdsGlobal(p: Principal, column: string): boolean {
    return this.active(p).some((id) => this.g.users.some((u) => u.User === id.user && u.Host === id.host && u[column] === "Y"));
  }

  /**
   * Whether the principal holds the privilege on the routine, by any active authorization: global,
   * database-wide, or a procs_priv row, whose routine name matches in any case.
   */
  holdsOnRoutine(p: Principal, privilege: RoutinePrivilege, db: string, kind: "function" | "procedure", name: string): boolean {
    const flag = routinePrivileges[privilege];
    return this.active(p).some((id) => {
      const mine = (r: Row) => r.User === id.user && r.Host === id.host;
      if (this.g.users.some((u) => mine(u) && u[flag] === "Y")) return true;
      if (this.g.dbs.some((d) => mine(d) && d[flag] === "Y" && databaseMatches(d.Db, db))) return true;
      return this.g.procs.some(
        (r) => mine(r) && r.Db === db && r.Routine_type === kind.toUpperCase() && r.Routine_name.toLowerCase() === name.toLowerCase() && setHas(r.Proc_priv, privilege),
      );
    });
  }
}

function setHas(set: string, privilege: string): boolean {
  return set.split(",").some((p) => p.toLowerCase() === privilege.toLowerCase());
}
