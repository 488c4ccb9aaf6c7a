import type { Name } from "../../syntax/ast.js";
import type { ResolvedProgram } from "../resolved-program.js";
import { objectRef, quoted, type Reporter } from "../reporter.js";

// Reports a column listed twice in one table or view (RC0302): the second says nothing new, and one of the two is likely a typo for another column.
export function uniqueColumnsRule({ declared }: ResolvedProgram, reporter: Reporter): void {
  for (const { schema, object, columns, repeats } of declared.columnLists) {
    if (!repeats) continue;
    const seen = new Map<string, Name>();
    for (const column of columns) {
      const first = seen.get(column.value);
      if (!first) {
        seen.set(column.value, column);
        continue;
      }
      reporter.report(
        "RC0302",
        `column ${quoted(column.value)} is listed twice in ${objectRef(schema, object)}; remove the second`,
        column.span,
        [{ message: "first listed here", span: first.span }],
      );
    }
  }
}
