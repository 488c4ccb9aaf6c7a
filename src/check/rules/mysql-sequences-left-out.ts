import type { ResolvedProgram } from "../resolved-program.js";
import { objectRef, type Reporter } from "../reporter.js";
import { schemaBlocksWithSnapshot } from "../snapshot-schema-blocks.js";

// Reports each sequence the MySQL/MariaDB script leaves out (RC0903): MySQL has no sequences, so their grants silently do nothing there.
export function mysqlSequencesLeftOutRule(program: ResolvedProgram, reporter: Reporter): void {
  for (const schema of schemaBlocksWithSnapshot(program)) {
    for (const object of schema.objects) {
      if (object.objectKind !== "sequence") continue;
      reporter.report(
        "RC0903",
        `sequence ${objectRef(schema.name.value, object.name.value)} is left out of the MySQL/MariaDB script: MySQL has no sequences (AUTO_INCREMENT needs no privilege), so it and its grants are skipped`,
        object.name.span,
      );
    }
  }
}
