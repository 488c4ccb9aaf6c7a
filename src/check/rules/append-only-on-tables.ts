import type { ResolvedProgram } from "../resolved-program.js";
import { objectRef, type Reporter } from "../reporter.js";

// Reports append_only on a view or sequence (RC0404): the triggers that guard rows go on tables, so the view would be as writable as its table.
export function appendOnlyOnTablesRule({ declared }: ResolvedProgram, reporter: Reporter): void {
  for (const { schema, decl } of declared.objects) {
    if (!decl.appendOnly || decl.objectKind === "table") continue;
    reporter.report("RC0404", `${objectRef(schema, decl.name.value)} is a ${decl.objectKind}; only tables can be append_only, so make the table behind it append_only`, decl.span);
  }
}
