import type { ObjectDecl } from "../syntax/ast.js";
import { hasColumn, type DeclaredObject, type DeclaredSchema } from "./declare-objects.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { declareColumns, type Declarations } from "./declarations.js";
import { objectRef, quoted, type Reporter } from "./reporter.js";

/**
 * An inline declaration of an object the snapshot already has. It must agree with the snapshot:
 * the same kind (RC0104), columns the snapshot lists (RC0105), partitions the snapshot lists
 * (RC0106). The object keeps the snapshot's columns and partitions, as the database has them;
 * the inline declaration adds what only `.roles` can say: append_only and documentation, and
 * the place diagnostics about the object point at. Returns false when the snapshot does not
 * have the name, or when it was restated already (a second restatement is a duplicate, RC0301).
 */
export function restateSnapshotObject(schema: DeclaredSchema, decl: ObjectDecl, reporter: Reporter, declared: Declarations): boolean {
  const name = decl.name.value;
  const partitionOf = schema.snapshotPartitions.get(name);
  if (partitionOf !== undefined) {
    reporter.report(
      "RC0104",
      `${objectRef(schema.name, name)} is a partition of ${objectRef(schema.name, partitionOf)} in the snapshot, not an object of its own; it is reached through that table (name it in its partitions (...) if you restate it)`,
      decl.name.span,
      [{ message: "the snapshot", span: schema.objects.get(partitionOf)?.span ?? decl.name.span }],
    );
    return true;
  }
  const found = schema.objects.get(name);
  if (!found || found.origin !== "snapshot") return false;
  if (found.kind !== decl.objectKind) {
    reporter.report(
      "RC0104",
      `${objectRef(schema.name, name)} is declared a ${decl.objectKind} here, but the snapshot has it as a ${found.kind}; declare it as a ${found.kind} or leave it to the snapshot`,
      decl.name.span,
      [{ message: "the snapshot", span: found.span }],
    );
    schema.objects.set(name, { ...found, origin: "restated" });
    schema.taken.set(name, decl.name.span);
    return true;
  }
  for (const column of declareColumns(declared, schema.name, name, decl.columns)) {
    if (hasColumn(found, column)) continue;
    const at = decl.columns.find((c) => c.value === column)!;
    reporter.report(
      "RC0105",
      `column ${quoted(column)} of ${objectRef(schema.name, name)} is not in the snapshot${didYouMean(column, found.columns)}; an inline declaration of a snapshot object may list only columns the snapshot has`,
      at.span,
      [{ message: "the snapshot", span: found.span }],
    );
  }
  for (const partition of decl.partitions) {
    if (found.partitions.includes(partition.value)) continue;
    reporter.report(
      "RC0106",
      `the snapshot lists no partition ${quoted(partition.value)} of ${objectRef(schema.name, name)}${didYouMean(partition.value, found.partitions)}; the snapshot's partitions are taken as they are`,
      partition.span,
      [{ message: "the snapshot", span: found.span }],
    );
  }
  const restated: DeclaredObject = {
    ...found,
    appendOnly: decl.appendOnly && found.kind === "table",
    sensitive: decl.sensitive,
    // A sensitive table restated inline makes every snapshot column sensitive; marked columns must be the snapshot's (RC0105 above).
    sensitiveColumns: decl.sensitive ? [...found.columns] : found.columns.filter((c) => decl.sensitiveColumns.includes(c)),
    doc: decl.doc,
    span: decl.span,
    origin: "restated",
  };
  schema.objects.set(name, restated);
  schema.taken.set(name, decl.name.span);
  return true;
}
