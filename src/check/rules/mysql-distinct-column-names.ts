import type { Name } from "../../syntax/ast.js";
import type { ResolvedProgram } from "../resolved-program.js";
import { objectRef, quoted, type Reporter } from "../reporter.js";
import { schemaBlocksWithSnapshot } from "../snapshot-schema-blocks.js";

// Reports two columns of one object whose names differ only in case (RC0906): MySQL compares column names without regard to case, so they would be one column there.
export function mysqlDistinctColumnNamesRule(program: ResolvedProgram, reporter: Reporter): void {
  for (const schema of schemaBlocksWithSnapshot(program)) {
    for (const object of schema.objects) {
      if (object.objectKind === "sequence") continue;
      const seen = new Map<string, Name>();
      for (const column of object.columns) {
        const folded = column.value.toLowerCase();
        const first = seen.get(folded);
        if (!first) seen.set(folded, column);
        else if (first.value !== column.value) {
          reporter.report(
            "RC0906",
            `columns ${quoted(first.value)} and ${quoted(column.value)} of ${objectRef(schema.name.value, object.name.value)} differ only in case; MySQL treats column names without regard to case, so rename one`,
            column.span,
          );
        }
      }
    }
  }
}
