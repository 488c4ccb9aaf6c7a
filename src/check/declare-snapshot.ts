import type { Name } from "../syntax/ast.js";
import type { Span } from "../source/source.js";
import type { LoadedSnapshot } from "../model/snapshot.js";
import type { Catalog, DeclaredSchema } from "./declare-objects.js";
import type { Declarations } from "./declarations.js";

/**
 * The place every diagnostic about the snapshot points at: the file, as it has no line for each
 * name (the message names what it is about).
 */
export function snapshotSpan(snapshot: LoadedSnapshot): Span {
  return { file: snapshot.path, startOffset: 0, endOffset: 0, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
}

/**
 * Starts the catalog with the snapshot's schemas and objects, exactly as if each had been declared
 * inline, so that `.roles` declarations add to it and grants resolve against both. Its names are
 * recorded in `declared`, placed at the snapshot file, to be held to the limits inline names are.
 */
export function declareSnapshot(loaded: LoadedSnapshot, declared: Declarations): Catalog {
  const span = snapshotSpan(loaded);
  const name = (value: string): Name => ({ kind: "Name", value, span });
  const catalog: Catalog = new Map();
  for (const s of loaded.snapshot.schemas) {
    declared.names.push({ name: name(s.name), what: "schema" });
    const schema: DeclaredSchema = { name: s.name, objects: new Map(), routines: new Map(), types: new Map(), taken: new Map(), snapshotPartitions: new Map() };
    for (const o of s.objects) {
      declared.names.push({ name: name(o.name), what: o.kind });
      for (const c of o.columns) declared.names.push({ name: name(c), what: "column" });
      for (const p of o.partitions ?? []) {
        declared.names.push({ name: name(p), what: "partition" });
        schema.taken.set(p, span);
        schema.snapshotPartitions.set(p, o.name);
      }
      schema.taken.set(o.name, span);
      schema.objects.set(o.name, {
        schema: s.name,
        name: o.name,
        kind: o.kind,
        appendOnly: false,
        sensitive: false,
        sensitiveColumns: [],
        columns: o.columns,
        partitions: o.partitions ?? [],
        doc: undefined,
        span,
        origin: "snapshot",
        ...(o.inherits ? { inherits: o.inherits } : {}),
        ...(o.partitionOf ? { partitionOf: o.partitionOf } : {}),
      });
    }
    for (const t of s.types ?? []) {
      declared.names.push({ name: name(t.name), what: t.kind });
      schema.taken.set(t.name, span);
      schema.types.set(t.name, { schema: s.name, name: t.name, kind: t.kind, doc: undefined, span, origin: "snapshot" });
    }
    for (const r of s.routines ?? []) {
      declared.names.push({ name: name(r.name), what: r.kind });
      for (const arg of r.args) declared.names.push({ name: name(arg.schema), what: "type" }, { name: name(arg.name), what: "type" });
      schema.routines.set(r.name, [...(schema.routines.get(r.name) ?? []), { schema: s.name, name: r.name, kind: r.kind, args: r.args, doc: undefined, span, origin: "snapshot" }]);
    }
    catalog.set(s.name, schema);
  }
  return catalog;
}
