import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";

// Reports a `public` block under --target mysql (RC0915). MySQL has no PUBLIC; MariaDB's (10.11)
// is a role of its own kind that rolec does not manage there, so what the block says could not be
// compiled.
export function mysqlNoPublicBlockRule({ publicBlocks }: ResolvedProgram, reporter: Reporter): void {
  for (const block of publicBlocks) {
    reporter.report(
      "RC0915",
      "MySQL has no PUBLIC, and rolec does not manage MariaDB's, so a `public` block cannot be compiled there; grant to named roles instead, or leave mysql out of --target",
      { ...block.span, endOffset: block.span.startOffset + "public".length, endLine: block.span.startLine, endColumn: block.span.startColumn + "public".length },
    );
  }
}
