import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";
import { compareText, formatRoutine } from "../../model/ir.js";
import type { Span } from "../../source/source.js";
import { compositeKey } from "../../model/composite-key.js";

// Reports, under --target mysql, a function or procedure that MySQL/MariaDB could not tell apart
// from another declared before it (RC0916). There a routine is known by its database, its kind
// and its name in any case, never by its argument types: overloads, or two names that differ only
// in case, would be one routine, and a grant on one would be a grant on the other.
export function mysqlRoutineNamesRule({ catalog }: ResolvedProgram, reporter: Reporter): void {
  for (const schema of catalog.values()) {
    const first = new Map<string, { readonly text: string; readonly span: Span }>();
    const routines = [...schema.routines.values()].flat().sort((a, b) => compareText(a.span.file, b.span.file) || a.span.startOffset - b.span.startOffset);
    for (const routine of routines) {
      const key = compositeKey(routine.kind, routine.name.toLowerCase());
      const previous = first.get(key);
      if (!previous) {
        first.set(key, { text: formatRoutine(routine), span: routine.span });
        continue;
      }
      reporter.report(
        "RC0916",
        `MySQL/MariaDB know a ${routine.kind} by its name alone, in any case: ${formatRoutine(routine)} and ${previous.text} would be one ${routine.kind} there; leave mysql out of --target, or declare one of them`,
        routine.span,
        [{ message: "the other is declared here", span: previous.span }],
      );
    }
  }
}
