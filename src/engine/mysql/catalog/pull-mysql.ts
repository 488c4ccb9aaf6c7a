import { InputError } from "../../../diagnostics/input-error.js";
import { driverMessage, rethrowAsInput } from "../../catalog-errors.js";
import type { Connection } from "../../connection.js";
import { openMysql, type MysqlSession } from "../session/mysql-session.js";
import type { Snapshot, SnapshotKind, SnapshotObject } from "../../../model/snapshot.js";
import { chooseSchemas } from "../../choose-schemas.js";
import { objectKey } from "../../../model/ir.js";
import { mysqlArgType, readMysqlRoutinesWithArgs } from "./read-mysql-routines.js";

/** Databases of the server itself, never pulled. */
const systemDatabases = ["mysql", "information_schema", "performance_schema", "sys"];

/** information_schema.TABLES.TABLE_TYPE → what the language calls it. */
const kinds: Record<string, SnapshotKind> = { "BASE TABLE": "table", "SYSTEM VERSIONED": "table", VIEW: "view", SEQUENCE: "sequence" };

/**
 * Reads the databases (each one a schema), tables, views, MariaDB sequences, columns, functions
 * and procedures of a MySQL/MariaDB server from information_schema, in five queries. Partitions are MySQL's own
 * business (the language ignores them there), so none are recorded.
 */
export async function pullMysql(session: MysqlSession, only: readonly string[], shown: string): Promise<Snapshot> {
  const databases = await session.query<{ name: string }>(
    "SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN (?)",
    [systemDatabases],
  );
  const schemas = chooseSchemas(databases.map((d) => String(d.name)), only, shown, (name) => systemDatabases.includes(name.toLowerCase()));
  if (schemas.length === 0) return { format: "rolec-snapshot", version: 1, engine: "mysql", schemas: [] };
  const tables = await session.query<{ schema: string; name: string; type: string }>(
    "SELECT TABLE_SCHEMA AS `schema`, TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (?)",
    [schemas],
  );
  const columns = await session.query<{ schema: string; name: string; column: string }>(
    "SELECT TABLE_SCHEMA AS `schema`, TABLE_NAME AS name, COLUMN_NAME AS `column` FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN (?) ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION",
    [schemas],
  );
  const columnsOf = new Map<string, string[]>();
  for (const c of columns) {
    const k = objectKey(c);
    const list = columnsOf.get(k) ?? [];
    list.push(String(c.column));
    columnsOf.set(k, list);
  }
  const objects = new Map<string, SnapshotObject[]>(schemas.map((s) => [s, []]));
  for (const t of tables) {
    const kind = kinds[t.type];
    if (kind === undefined) continue; // e.g. TEMPORARY: nothing a grant can name for long
    objects.get(t.schema)?.push({ name: String(t.name), kind, columns: kind === "sequence" ? [] : (columnsOf.get(objectKey(t)) ?? []) });
  }
  const routines = await readMysqlRoutinesWithArgs(session, schemas);
  return {
    format: "rolec-snapshot",
    version: 1,
    engine: "mysql",
    schemas: schemas.map((name) => {
      const own = routines.filter((r) => r.db === name).map((r) => ({ name: r.name, kind: r.kind, args: r.args.map(mysqlArgType) }));
      return { name, objects: objects.get(name)!, ...(own.length > 0 ? { routines: own } : {}) };
    }),
  };
}

/** `rolec pull` on a MySQL/MariaDB server: connects, reads, and closes. */
export async function pullMysqlServer(connection: Connection, schemas: readonly string[]): Promise<Snapshot> {
  const session = await openMysql(connection.url, undefined, connection.timeouts).catch((error: unknown) => {
    throw new InputError(`cannot connect to ${connection.shown}: ${driverMessage(error)}`);
  });
  try {
    return await pullMysql(session, schemas, connection.shown).catch(rethrowAsInput(connection.shown));
  } finally {
    await session.close().catch(() => undefined);
  }
}
