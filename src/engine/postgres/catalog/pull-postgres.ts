import { InputError } from "../../../diagnostics/input-error.js";
import { driverMessage, rethrowAsInput } from "../../catalog-errors.js";
import type { Connection } from "../../connection.js";
import { openPgServer } from "../session/pg-session.js";
import { appendOnlyNames } from "../script/render-postgres.js";
import type { SqlSession } from "../../session.js";
import { normalizeSnapshot, type QualifiedName, type Snapshot, type SnapshotKind, type SnapshotObject, type SnapshotRoutine } from "../../../model/snapshot.js";
import type { ArgType } from "../../../model/argument-types.js";
import { declarableRoutineSql, declarableTypeSql, routineArgsSql } from "./routine-args.js";
import { chooseSchemas } from "../../choose-schemas.js";
import { objectKey } from "../../../model/ir.js";

interface RelationRow {
  schema: string;
  name: string;
  relkind: string;
  is_partition: boolean;
  columns: string[];
  parents: QualifiedName[];
}

/** pg_class.relkind → what the language calls it. Foreign tables take a table's privileges; materialized views a view's. */
const kinds: Record<string, SnapshotKind> = { r: "table", p: "table", f: "table", v: "view", m: "view", S: "sequence" };

/**
 * Reads the schemas, tables, views, sequences and columns of a PostgreSQL database (a server or
 * PGlite), and their functions, procedures, types and domains but an extension's, in four catalog
 * queries, from pg_namespace, pg_class, pg_attribute, pg_inherits, pg_proc and pg_type:
 * information_schema would hide what the connecting role may not use. System schemas and dropped
 * columns are left out. `only` limits it to those schemas; naming one that does not exist is an error.
 */
export async function pullPostgres(session: SqlSession, only: readonly string[], shown: string): Promise<Snapshot> {
  const schemaRows = await session.query<{ name: string }>(
    `SELECT n.nspname::text AS name FROM pg_catalog.pg_namespace n
     WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' AND n.nspname <> $1`,
    // rolec's own schema (the append-only event trigger's function) is rolec's, not the program's.
    [appendOnlyNames.ddlSchema],
  );
  const schemas = chooseSchemas(schemaRows.map((r) => r.name), only, shown, (name) => name.startsWith("pg_") || name === "information_schema" || name === appendOnlyNames.ddlSchema);
  const rows = await session.query<RelationRow>(
    `SELECT n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS relkind, c.relispartition AS is_partition,
            ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns,
            COALESCE((SELECT pg_catalog.json_agg(pg_catalog.json_build_object('schema', pn.nspname, 'name', pc.relname) ORDER BY i.inhseqno)
                      FROM pg_catalog.pg_inherits i
                      JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
                      JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                      WHERE i.inhrelid = c.oid), '[]'::json) AS parents
     FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY ($1::text[]) AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')`,
    [schemas],
  );
  const routineRows = await session.query<{ schema: string; name: string; kind: string; args: ArgType[] }>(
    `SELECT n.nspname::text AS schema, p.proname::text AS name, p.prokind::text AS kind, ${routineArgsSql} AS args
     FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = ANY ($1::text[]) AND ${declarableRoutineSql}`,
    [schemas],
  );
  const typeRows = await session.query<{ schema: string; name: string; kind: "type" | "domain" }>(
    `SELECT n.nspname::text AS schema, t.typname::text AS name, CASE WHEN t.typtype = 'd' THEN 'domain' ELSE 'type' END AS kind
     FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = ANY ($1::text[]) AND ${declarableTypeSql}`,
    [schemas],
  );
  const types = new Map<string, { name: string; kind: "type" | "domain" }[]>();
  for (const t of typeRows) types.set(t.schema, [...(types.get(t.schema) ?? []), { name: t.name, kind: t.kind }]);
  const routines = new Map<string, SnapshotRoutine[]>();
  for (const r of routineRows) routines.set(r.schema, [...(routines.get(r.schema) ?? []), { name: r.name, kind: r.kind === "p" ? "procedure" : "function", args: r.args }]);
  const grouped = groupRelations(schemas, rows).map((s) => ({ ...s, ...(routines.has(s.name) ? { routines: routines.get(s.name)! } : {}), ...(types.has(s.name) ? { types: types.get(s.name)! } : {}) }));
  return normalizeSnapshot({ format: "rolec-snapshot", version: 1, engine: "postgres", schemas: grouped });
}

const key = (q: QualifiedName) => objectKey(q);

/**
 * A partition is listed under the partitioned table at the top of its hierarchy when both are in
 * the same schema, as `.roles` declares partitions; otherwise it is an object of its own schema
 * that names that table in `partitionOf`.
 */
function groupRelations(schemas: readonly string[], rows: readonly RelationRow[]): { name: string; objects: SnapshotObject[] }[] {
  const byKey = new Map(rows.map((r) => [key(r), r]));
  const rootOf = (row: RelationRow): QualifiedName => {
    let current: QualifiedName = row;
    for (let seen = 0; seen < rows.length; seen++) {
      const here = byKey.get(key(current));
      if (!here?.is_partition || here.parents.length === 0) break;
      current = here.parents[0]!;
    }
    return { schema: current.schema, name: current.name };
  };
  const partitionsOf = new Map<string, string[]>();
  const objects = new Map<string, SnapshotObject[]>(schemas.map((s) => [s, []]));
  const listed: { row: RelationRow; partitionOf?: QualifiedName }[] = [];
  for (const row of rows) {
    if (row.is_partition) {
      const root = rootOf(row);
      if (root.schema === row.schema && byKey.has(key(root))) {
        const list = partitionsOf.get(key(root)) ?? [];
        list.push(row.name);
        partitionsOf.set(key(root), list);
        continue;
      }
      listed.push({ row, partitionOf: root });
    } else {
      listed.push({ row });
    }
  }
  for (const { row, partitionOf } of listed) {
    const kind = kinds[row.relkind]!;
    const partitions = partitionsOf.get(key(row));
    const inherits = row.is_partition ? [] : row.parents;
    objects.get(row.schema)!.push({
      name: row.name,
      kind,
      columns: kind === "sequence" ? [] : row.columns,
      ...(partitions ? { partitions } : {}),
      ...(inherits.length > 0 ? { inherits } : {}),
      ...(partitionOf ? { partitionOf } : {}),
    });
  }
  return schemas.map((name) => ({ name, objects: objects.get(name)! }));
}

/** `rolec pull` on a PostgreSQL server: connects, reads, and closes. */
export async function pullPostgresServer(connection: Connection, schemas: readonly string[]): Promise<Snapshot> {
  const session = await openPgServer(connection.url, connection.timeouts).catch((error: unknown) => {
    throw new InputError(`cannot connect to ${connection.shown}: ${driverMessage(error)}`);
  });
  try {
    return await pullPostgres(session, schemas, connection.shown).catch(rethrowAsInput(connection.shown));
  } finally {
    await session.close().catch(() => undefined);
  }
}
