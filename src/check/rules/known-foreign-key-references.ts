import type { Name } from "../../syntax/ast.js";
import { hasColumn, type Catalog, type DeclaredObject } from "../declare-objects.js";
import { didYouMean } from "../../diagnostics/did-you-mean.js";
import type { ResolvedProgram } from "../resolved-program.js";
import { objectRef, quoted, type Reporter } from "../reporter.js";
import { reportUnknownColumn } from "../unknown-column.js";

// Reports a foreign key naming a schema, table or column that is not declared (RC0101, RC0102, RC0103): such a key is a typo or a stale line, and what it says about append-only tables cannot be judged.
export function knownForeignKeyReferencesRule({ schemaBlocks, catalog }: ResolvedProgram, reporter: Reporter): void {
  for (const block of schemaBlocks) {
    for (const key of block.foreignKeys) {
      const child = lookUp(catalog, block.name.value, key.table, reporter);
      const parentSchema = key.referencedSchema ?? block.name;
      const parent = lookUp(catalog, parentSchema.value, key.referencedTable, reporter, key.referencedSchema);
      if (child) checkColumns(child, key.columns, reporter);
      if (parent) checkColumns(parent, key.referencedColumns, reporter);
    }
  }
}

function lookUp(catalog: Catalog, schemaName: string, table: Name, reporter: Reporter, schemaNode?: Name): DeclaredObject | undefined {
  const schema = catalog.get(schemaName);
  if (!schema) {
    reporter.report("RC0101", `unknown schema ${quoted(schemaName)}${didYouMean(schemaName, catalog.keys())}`, schemaNode?.span ?? table.span);
    return undefined;
  }
  const object = schema.objects.get(table.value);
  if (!object || object.kind !== "table") {
    const tables = [...schema.objects.values()].filter((o) => o.kind === "table").map((o) => o.name);
    const what = object ? `${objectRef(schemaName, table.value)} is a ${object.kind}; a foreign key joins tables` : `unknown table ${objectRef(schemaName, table.value)}${didYouMean(table.value, tables)}`;
    reporter.report("RC0102", what, table.span);
    return undefined;
  }
  return object;
}

function checkColumns(object: DeclaredObject, columns: readonly Name[], reporter: Reporter): void {
  for (const column of columns) if (!hasColumn(object, column.value)) reportUnknownColumn(column, object, reporter);
}
