import { compareText } from "./ir.js";
import { compareArgTypes, type ArgType } from "./argument-types.js";

/**
 * A snapshot of a database's schemas and relations, as `rolec pull` writes it and `--snapshot`
 * reads it. Only what the checker needs: names, kinds, columns, and how tables hang together
 * (partitions, inheritance), so append-only tables can be judged, and PostgreSQL's functions and
 * procedures by their argument types, types and domains. Version 1, or 2 where a schema lists some: a file is
 * written in the lowest version that can say what it says, so an earlier rolec reads it or says
 * plainly that it cannot.
 */
export interface Snapshot {
  readonly format: "rolec-snapshot";
  readonly version: 1 | 2;
  readonly engine: "postgres" | "mysql";
  /** Sorted by name. */
  readonly schemas: readonly SnapshotSchema[];
}

export interface SnapshotSchema {
  readonly name: string;
  /** Sorted by name. Partitions listed under their root's `partitions` are not objects of their own. */
  readonly objects: readonly SnapshotObject[];
  /** PostgreSQL: functions and procedures (aggregates as functions, an extension's left out), sorted by name and argument types; version 2. */
  readonly routines?: readonly SnapshotRoutine[];
  /** PostgreSQL: types and domains (no array type, no table's row type, an extension's left out), sorted by name; version 2. */
  readonly types?: readonly SnapshotType[];
}

export interface SnapshotType {
  readonly name: string;
  readonly kind: "type" | "domain";
}

export interface SnapshotRoutine {
  readonly name: string;
  readonly kind: "function" | "procedure";
  /** Its identity's argument types, each by its schema and own name (pg_type.typname), an array type as its element's. */
  readonly args: readonly ArgType[];
}

export type SnapshotKind = "table" | "view" | "sequence";

export interface QualifiedName {
  readonly schema: string;
  readonly name: string;
}

export interface SnapshotObject {
  readonly name: string;
  readonly kind: SnapshotKind;
  /** In the database's column order; empty for sequences. */
  readonly columns: readonly string[];
  /** Every partition below a partitioned table (sub-partitions too) that lives in the same schema, sorted. */
  readonly partitions?: readonly string[];
  /** Tables this one inherits from without being their partition (PostgreSQL INHERITS), sorted. */
  readonly inherits?: readonly QualifiedName[];
  /** For a partition that lives in another schema than its partitioned table: that table. */
  readonly partitionOf?: QualifiedName;
}

export const snapshotFormat = "rolec-snapshot";
/** The newest version this rolec reads; it writes 1 unless a schema lists routines or types. */
export const snapshotVersion = 2;
export const snapshotKinds: readonly SnapshotKind[] = ["table", "view", "sequence"];

/** Sorts everything that has no meaningful order, so equal databases give equal snapshots. */
export function normalizeSnapshot(snapshot: Snapshot): Snapshot {
  const byName = <T extends { name: string }>(list: readonly T[]) => [...list].sort((a, b) => compareText(a.name, b.name));
  const byQualified = (list: readonly QualifiedName[]) => [...list].sort((a, b) => compareText(a.schema, b.schema) || compareText(a.name, b.name));
  const hasRoutines = snapshot.schemas.some((s) => (s.routines ?? []).length > 0 || (s.types ?? []).length > 0);
  return {
    format: snapshotFormat,
    version: hasRoutines ? 2 : 1,
    engine: snapshot.engine,
    schemas: byName(snapshot.schemas).map((s) => ({
      name: s.name,
      objects: byName(s.objects).map((o) => ({
        name: o.name,
        kind: o.kind,
        columns: [...o.columns],
        ...(o.partitions && o.partitions.length > 0 ? { partitions: [...o.partitions].sort(compareText) } : {}),
        ...(o.inherits && o.inherits.length > 0 ? { inherits: byQualified(o.inherits) } : {}),
        ...(o.partitionOf ? { partitionOf: { schema: o.partitionOf.schema, name: o.partitionOf.name } } : {}),
      })),
      ...((s.routines ?? []).length > 0
        ? {
            routines: [...s.routines!]
              .sort((a, b) => compareText(a.name, b.name) || compareArgTypes(a.args, b.args))
              .map((r) => ({ name: r.name, kind: r.kind, args: r.args.map((t) => ({ schema: t.schema, name: t.name, array: t.array })) })),
          }
        : {}),
      ...((s.types ?? []).length > 0 ? { types: byName(s.types!).map((t) => ({ name: t.name, kind: t.kind })) } : {}),
    })),
  };
}

/** The file's text: normalized, two-space indented, ending with a newline. */
export function renderSnapshot(snapshot: Snapshot): string {
  return JSON.stringify(normalizeSnapshot(snapshot), null, 2) + "\n";
}

/** A snapshot as the checker takes it: what it says, where it is, and its digest for the manifest. */
export interface LoadedSnapshot {
  /** Relative to the program root with `/` separators, like source paths, so artifacts do not depend on where rolec runs. */
  readonly path: string;
  /** SHA-256 of the file's bytes. */
  readonly sha256: string;
  readonly snapshot: Snapshot;
}
