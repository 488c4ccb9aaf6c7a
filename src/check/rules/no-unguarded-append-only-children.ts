import type { DeclaredObject } from "../declare-objects.js";
import type { ResolvedProgram } from "../resolved-program.js";
import { objectRef, quoted, type Reporter } from "../reporter.js";

// Reports snapshot tables an append-only table's triggers cannot guard: one inheriting from it (RC0107) and a partition in another schema (RC0108); the PostgreSQL script would refuse to run, so the checker says so first.
export function noUnguardedAppendOnlyChildrenRule({ catalog }: ResolvedProgram, reporter: Reporter): void {
  // Only a snapshot says a table inherits or is a partition in another schema, so without one this finds nothing.
  const find = (schema: string, name: string): DeclaredObject | undefined => {
    const s = catalog.get(schema);
    if (!s) return undefined;
    const owner = s.snapshotPartitions.get(name);
    return s.objects.get(owner ?? name);
  };
  for (const schema of catalog.values()) {
    for (const child of schema.objects.values()) {
      for (const parent of child.inherits ?? []) {
        const table = find(parent.schema, parent.name);
        if (!table?.appendOnly) continue;
        reporter.report(
          "RC0107",
          `${objectRef(child.schema, child.name)} inherits from append-only table ${objectRef(parent.schema, parent.name)} (so says the snapshot): an UPDATE or DELETE on the parent reaches its rows and no trigger guards them, so the script refuses to run; make it a partition or stop it inheriting`,
          table.span,
        );
      }
      if (child.partitionOf) {
        const table = find(child.partitionOf.schema, child.partitionOf.name);
        if (!table?.appendOnly) continue;
        reporter.report(
          "RC0108",
          `partition ${objectRef(child.schema, child.name)} of append-only table ${objectRef(table.schema, table.name)} is in another schema (so says the snapshot); partitions are declared in their table's schema, so it would get no TRUNCATE trigger and the script refuses to run; move it into schema ${quoted(table.schema)}`,
          table.span,
        );
      }
    }
  }
}
