import type { ResolvedProgram } from "../resolved-program.js";
import { objectRef, type Reporter } from "../reporter.js";

// Reports `partitions (...)` on a view or sequence (RC0403): only tables are partitioned, so the list names relations that cannot exist.
export function partitionsOnTablesRule({ declared }: ResolvedProgram, reporter: Reporter): void {
  for (const { schema, decl } of declared.objects) {
    if (decl.partitions.length === 0 || decl.objectKind === "table") continue;
    reporter.report("RC0403", `only tables have partitions; ${objectRef(schema, decl.name.value)} is a ${decl.objectKind}`, decl.partitions[0]!.span);
  }
}
