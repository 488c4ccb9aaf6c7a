import type { MysqlSession } from "../session/mysql-session.js";
import { compositeKey } from "../../../model/composite-key.js";
import { storedPrivileges } from "./stored-privileges.js";
import { resolveWrittenType, type ArgType } from "../../../model/argument-types.js";

/** A stored function or procedure: MySQL/MariaDB know it by its database, kind and name alone. */
export interface MysqlRoutineRow {
  readonly db: string;
  readonly name: string;
  readonly kind: "function" | "procedure";
}

/** A routine with its parameters' types as information_schema names them (`int`, `varchar`), the return value left out. */
export interface MysqlRoutineWithArgs extends MysqlRoutineRow {
  readonly args: readonly string[];
}

/** A row of mysql.procs_priv: what one account or role holds on one routine. */
export interface MysqlRoutinePrivilegeRow {
  readonly user: string;
  readonly host: string;
  readonly db: string;
  /** As the GRANT that made the row spelled it: routine names match in any case. */
  readonly name: string;
  readonly kind: "function" | "procedure";
  /** EXECUTE and ALTER ROUTINE, as GRANT names them. */
  readonly privileges: readonly string[];
  readonly grantOption: boolean;
}

/** procs_priv's own spellings → GRANT's. */
const storedRoutinePrivilege: Record<string, string> = { Execute: "EXECUTE", "Alter Routine": "ALTER ROUTINE" };

/** The key a routine is matched by: its database exactly, its kind, and its name in any case. */
export function mysqlRoutineMatchKey(db: string, kind: string, name: string): string {
  return compositeKey(db, kind.toLowerCase(), name.toLowerCase());
}

/** The routines of the databases named, in one query. Packages (MariaDB's Oracle mode) are left out: the language has no word for them. */
export async function readMysqlRoutines(session: MysqlSession, dbs: readonly string[]): Promise<MysqlRoutineRow[]> {
  const routines = await session.query<{ db: string; name: string; kind: string }>(
    "SELECT ROUTINE_SCHEMA AS db, ROUTINE_NAME AS name, ROUTINE_TYPE AS kind FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA IN (?) AND ROUTINE_TYPE IN ('FUNCTION', 'PROCEDURE')",
    [dbs],
  );
  const wanted = new Set(dbs);
  return routines.filter((r) => wanted.has(r.db)).map((r) => ({ db: r.db, name: r.name, kind: r.kind === "PROCEDURE" ? "procedure" : "function" }));
}

/** The routines with their parameters' types, in two queries: what pull and import write; a plan needs no types. */
export async function readMysqlRoutinesWithArgs(session: MysqlSession, dbs: readonly string[]): Promise<MysqlRoutineWithArgs[]> {
  const routines = await readMysqlRoutines(session, dbs);
  const parameters = await session.query<{ db: string; name: string; kind: string; type: string }>(
    `SELECT SPECIFIC_SCHEMA AS db, SPECIFIC_NAME AS name, ROUTINE_TYPE AS kind, DATA_TYPE AS type FROM information_schema.PARAMETERS
     WHERE SPECIFIC_SCHEMA IN (?) AND ORDINAL_POSITION > 0 ORDER BY SPECIFIC_SCHEMA, SPECIFIC_NAME, ORDINAL_POSITION`,
    [dbs],
  );
  const argsOf = new Map<string, string[]>();
  for (const p of parameters) {
    const key = mysqlRoutineMatchKey(p.db, p.kind, p.name);
    argsOf.set(key, [...(argsOf.get(key) ?? []), String(p.type).toLowerCase()]);
  }
  return routines.map((r) => ({ ...r, args: argsOf.get(mysqlRoutineMatchKey(r.db, r.kind, r.name)) ?? [] }));
}

/** Every procs_priv row on the databases named (Db is compared exactly: the grant tables' collation folds case on some servers). */
export async function readMysqlRoutinePrivileges(session: MysqlSession, dbs: readonly string[]): Promise<MysqlRoutinePrivilegeRow[]> {
  const rows = await session.query<{ user: string; host: string; db: string; name: string; kind: string; privs: string }>(
    "SELECT User AS user, Host AS host, Db AS db, Routine_name AS name, Routine_type AS kind, Proc_priv AS privs FROM mysql.procs_priv WHERE BINARY Db IN (?) AND Routine_type IN ('FUNCTION', 'PROCEDURE') ORDER BY User, Host, Db, Routine_name, Routine_type",
    [dbs],
  );
  const wanted = new Set(dbs);
  return rows
    .filter((r) => wanted.has(r.db))
    .map((r) => ({
      user: r.user,
      host: r.host,
      db: r.db,
      name: r.name,
      kind: r.kind === "PROCEDURE" ? ("procedure" as const) : ("function" as const),
      ...storedPrivileges(r.privs, storedRoutinePrivilege),
    }));
}

/**
 * A parameter's type as information_schema names it (`int`, `varchar`, `datetime`), in the
 * language's words: MySQL/MariaDB know a routine by its name, so its argument types are there for
 * the reader, and one that PostgreSQL also has reads as PostgreSQL spells it (`int` as `integer`).
 */
export function mysqlArgType(dataType: string): ArgType {
  // MySQL's FLOAT is single precision, PostgreSQL's `float` double: the one spelling they read apart.
  const word = dataType === "float" ? "real" : dataType;
  const type = resolveWrittenType({ schema: undefined, words: [word], quoted: !/^[a-z_][a-z0-9_]*$/.test(word), array: false });
  if ("error" in type) throw new Error(`bug: MySQL type ${JSON.stringify(dataType)} is not one word`);
  return type;
}
