import type { Name } from "../syntax/ast.js";
import { checkIdentifier } from "./identifier-limits.js";
import { objectRef, quoted, type Reporter } from "./reporter.js";

/** The columns of one declaration, each once: a column listed twice is RC0302. */
export function uniqueColumns(columns: readonly Name[], schema: string, object: string, reporter: Reporter): string[] {
  const seen = new Map<string, Name>();
  for (const column of columns) {
    const first = seen.get(column.value);
    if (first) {
      reporter.report(
        "RC0302",
        `column ${quoted(column.value)} is listed twice in ${objectRef(schema, object)}; remove the second`,
        column.span,
        [{ message: "first listed here", span: first.span }],
      );
      continue;
    }
    checkIdentifier(reporter, column, "column");
    seen.set(column.value, column);
  }
  return [...seen.keys()];
}
