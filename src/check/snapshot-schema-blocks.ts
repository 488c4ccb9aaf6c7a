import type { Name, SchemaBlock } from "../syntax/ast.js";
import type { LoadedSnapshot } from "../model/snapshot.js";
import { snapshotSpan } from "./declare-snapshot.js";

/**
 * The snapshot as the schema blocks that would declare it, every name placed at the snapshot
 * file, for the checks that read declarations (what only MySQL/MariaDB asks of names). A
 * sequence is kept only when `keepSequence` says so: a snapshot lists every sequence of the
 * database, and one that nothing grants is no news.
 */
export function snapshotSchemaBlocks(loaded: LoadedSnapshot, keepSequence: (schema: string, name: string) => boolean): SchemaBlock[] {
  const span = snapshotSpan(loaded);
  const name = (value: string): Name => ({ kind: "Name", value, span });
  return loaded.snapshot.schemas.map((s) => ({
    kind: "Schema",
    name: name(s.name),
    objects: s.objects.filter((o) => o.kind !== "sequence" || keepSequence(s.name, o.name)).map((o) => ({
      kind: "Object",
      objectKind: o.kind,
      appendOnly: false,
      name: name(o.name),
      columns: o.columns.map(name),
      partitions: (o.partitions ?? []).map(name),
      doc: undefined,
      span,
    })),
    foreignKeys: [],
    span,
  }));
}
