import type { Name } from "../syntax/ast.js";
import type { Span } from "../source/source.js";
import type { LoadedSnapshot } from "../model/snapshot.js";
import type { Catalog, DeclaredSchema } from "./declare-objects.js";
import { checkIdentifier } from "./identifier-limits.js";
import type { Reporter } from "./reporter.js";

/**
 * The place every diagnostic about the snapshot points at: the file, as it has no line for each
 * name (the message names what it is about).
 */
export function snapshotSpan(snapshot: LoadedSnapshot): Span {
  return { file: snapshot.path, startOffset: 0, endOffset: 0, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
}

/**
 * Starts the catalog with the snapshot's schemas and objects, exactly as if each had been declared
 * inline, so that `.roles` declarations add to it and grants resolve against both. Names are
 * held to the limits inline names are (RC0701, RC0703), at the snapshot file.
 */
export function declareSnapshot(loaded: LoadedSnapshot, reporter: Reporter): Catalog {
  const span = snapshotSpan(loaded);
  const name = (value: string): Name => ({ kind: "Name", value, span });
  const catalog: Catalog = new Map();
  for (const s of loaded.snapshot.schemas) {
    checkIdentifier(reporter, name(s.name), "schema");
    const schema: DeclaredSchema = { name: s.name, objects: new Map(), taken: new Map(), snapshotPartitions: new Map() };
    for (const o of s.objects) {
      checkIdentifier(reporter, name(o.name), o.kind);
      for (const c of o.columns) checkIdentifier(reporter, name(c), "column");
      for (const p of o.partitions ?? []) {
        checkIdentifier(reporter, name(p), "partition");
        schema.taken.set(p, span);
        schema.snapshotPartitions.set(p, o.name);
      }
      schema.taken.set(o.name, span);
      schema.objects.set(o.name, {
        schema: s.name,
        name: o.name,
        kind: o.kind,
        appendOnly: false,
        columns: o.columns,
        partitions: o.partitions ?? [],
        doc: undefined,
        span,
        origin: "snapshot",
        ...(o.inherits ? { inherits: o.inherits } : {}),
        ...(o.partitionOf ? { partitionOf: o.partitionOf } : {}),
      });
    }
    catalog.set(s.name, schema);
  }
  return catalog;
}
