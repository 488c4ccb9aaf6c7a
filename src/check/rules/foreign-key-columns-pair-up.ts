import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";

// Reports a foreign key whose referencing and referenced column lists differ in length (RC0405): the columns pair up one to one, or the key means nothing.
export function foreignKeyColumnsPairUpRule({ schemaBlocks }: ResolvedProgram, reporter: Reporter): void {
  for (const block of schemaBlocks) {
    for (const key of block.foreignKeys) {
      if (key.columns.length === key.referencedColumns.length) continue;
      reporter.report(
        "RC0405",
        `the foreign key pairs ${key.columns.length} column${key.columns.length === 1 ? "" : "s"} with ${key.referencedColumns.length}; list as many referenced columns as referencing ones`,
        key.span,
      );
    }
  }
}
