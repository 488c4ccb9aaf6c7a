import type { ResolvedProgram } from "../resolved-program.js";
import { objectRef, type Reporter } from "../reporter.js";

// Reports a grant on a partition under --target mysql (RC0924): MySQL/MariaDB partitions are a
// table's storage, not objects of their own, so nothing can be granted on one.
export function mysqlNoPartitionGrantsRule({ atomsByRole, catalog }: ResolvedProgram, reporter: Reporter): void {
  const reported = new Set<unknown>();
  for (const atoms of atomsByRole.values()) {
    for (const atom of atoms) {
      const { object } = atom;
      if (catalog.get(object.schema)?.objects.get(object.name) === object || reported.has(atom.statement)) continue;
      reported.add(atom.statement);
      reporter.report(
        "RC0924",
        `${objectRef(object.schema, object.name)} is a partition of ${objectRef(object.schema, object.partitionOf!.name)}; MySQL/MariaDB grant on the table only, so grant there or leave mysql out of --target`,
        atom.statement.target.span,
      );
    }
  }
}
