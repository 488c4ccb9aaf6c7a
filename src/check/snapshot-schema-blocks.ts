import type { Name, SchemaBlock } from "../syntax/ast.js";
import type { LoadedSnapshot } from "../model/snapshot.js";
import { objectKey } from "../model/ir.js";
import { snapshotSpan } from "./declare-snapshot.js";
import type { ResolvedProgram } from "./resolved-program.js";

const withSnapshot = new WeakMap<ResolvedProgram, readonly SchemaBlock[]>();

/**
 * Every schema block the program's declarations amount to: the snapshot's, with the sequences
 * something grants, then the program's own. Made once per program, for the rules that read
 * declarations, such as the names MySQL/MariaDB refuse.
 */
export function schemaBlocksWithSnapshot(program: ResolvedProgram): readonly SchemaBlock[] {
  let blocks = withSnapshot.get(program);
  if (!blocks) {
    const granted = new Set(program.model.grants.map((g) => objectKey(g.object)));
    const fromSnapshot = program.snapshot ? snapshotSchemaBlocks(program.snapshot, (schema, name) => granted.has(objectKey({ schema, name }))) : [];
    withSnapshot.set(program, (blocks = [...fromSnapshot, ...program.schemaBlocks]));
  }
  return blocks;
}

/**
 * The snapshot as the schema blocks that would declare it, every name placed at the snapshot
 * file, for the checks that read declarations (what only MySQL/MariaDB asks of names). A
 * sequence is kept only when `keepSequence` says so: a snapshot lists every sequence of the
 * database, and one that nothing grants is no news.
 */
function snapshotSchemaBlocks(loaded: LoadedSnapshot, keepSequence: (schema: string, name: string) => boolean): SchemaBlock[] {
  const span = snapshotSpan(loaded);
  const name = (value: string): Name => ({ kind: "Name", value, span });
  return loaded.snapshot.schemas.map((s) => ({
    kind: "Schema",
    name: name(s.name),
    objects: s.objects.filter((o) => o.kind !== "sequence" || keepSequence(s.name, o.name)).map((o) => ({
      kind: "Object",
      objectKind: o.kind,
      appendOnly: false,
      sensitive: false,
      modifiers: [],
      sensitiveColumns: [],
      name: name(o.name),
      columns: o.columns.map(name),
      partitions: (o.partitions ?? []).map(name),
      doc: undefined,
      span,
    })),
    routines: [],
    types: [],
    foreignKeys: [],
    span,
  }));
}
