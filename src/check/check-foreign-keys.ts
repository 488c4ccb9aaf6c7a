import type { ForeignKeyDecl, Name, SchemaBlock } from "../syntax/ast.js";
import { hasColumn, type Catalog, type DeclaredObject } from "./declare-objects.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { objectRef, quoted, type Reporter } from "./reporter.js";

/** Actions that change the referencing rows when the referenced row changes. */
const rewriting = new Set(["cascade", "set null", "set default"]);

/**
 * Declared foreign keys: both tables and their columns must be declared, the column lists must
 * pair up, and none may rewrite an append-only table. MySQL fires no trigger for a change a
 * foreign key cascades, so such a key would change audit rows unseen; on PostgreSQL the
 * trigger would refuse it, and every DELETE of the referenced row would fail.
 */
export function checkForeignKeys(blocks: readonly SchemaBlock[], catalog: Catalog, reporter: Reporter): void {
  for (const block of blocks) {
    for (const key of block.foreignKeys) {
      const child = lookUp(catalog, block.name.value, key.table, reporter);
      const parentSchema = key.referencedSchema ?? block.name;
      const parent = lookUp(catalog, parentSchema.value, key.referencedTable, reporter, key.referencedSchema);
      if (child) checkColumns(child, key.columns, reporter);
      if (parent) checkColumns(parent, key.referencedColumns, reporter);
      if (key.columns.length !== key.referencedColumns.length) {
        reporter.report(
          "RC0405",
          `the foreign key pairs ${key.columns.length} column${key.columns.length === 1 ? "" : "s"} with ${key.referencedColumns.length}; list as many referenced columns as referencing ones`,
          key.span,
        );
      }
      if (child?.appendOnly) reportRewritingActions(key, child, reporter);
    }
  }
}

function reportRewritingActions(key: ForeignKeyDecl, child: DeclaredObject, reporter: Reporter): void {
  for (const action of key.actions) {
    if (!rewriting.has(action.action)) continue;
    reporter.report(
      "RC0503",
      `on ${action.event} ${action.action} would change rows of append-only table ${objectRef(child.schema, child.name)}: MySQL fires no trigger for it, and on PostgreSQL the trigger refuses it, so the referenced row could never be ${action.event === "delete" ? "deleted" : "updated"}; use restrict or no action`,
      action.span,
    );
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
  for (const column of columns) {
    if (!hasColumn(object, column.value)) {
      reporter.report("RC0103", `unknown column ${quoted(column.value)} on ${objectRef(object.schema, object.name)}${didYouMean(column.value, object.columns)}`, column.span);
    }
  }
}
