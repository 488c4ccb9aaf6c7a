import type { Name } from "../syntax/ast.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import type { DeclaredObject } from "./declare-objects.js";
import { objectRef, quoted, type Reporter } from "./reporter.js";

/** RC0103, worded alike wherever a column is named: grants, exclusions and foreign keys. */
export function reportUnknownColumn(column: Name, object: DeclaredObject, reporter: Reporter): void {
  reporter.report(
    "RC0103",
    `unknown column ${quoted(column.value)} on ${objectRef(object.schema, object.name)}${didYouMean(column.value, object.columns)}`,
    column.span,
  );
}
