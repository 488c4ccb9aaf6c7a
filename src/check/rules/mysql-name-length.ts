import type { Name } from "../../syntax/ast.js";
import { engineCapabilities } from "../../engine/capabilities.js";
import type { ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";
import { schemaBlocksWithSnapshot } from "../snapshot-schema-blocks.js";

// The limits are the engine's; the words, which name MySQL's own terms, are this rule's.
const mysqlMaxObjectChars = engineCapabilities.mysql.maxObjectChars!;
const mysqlMaxRoleChars = engineCapabilities.mysql.maxRoleChars!;

// Reports names over MySQL's limits, 64 characters for objects and 32 for roles (RC0904): MySQL refuses them, so the script would stop halfway.
export function mysqlNameLengthRule(program: ResolvedProgram, reporter: Reporter): void {
  for (const schema of schemaBlocksWithSnapshot(program)) {
    reportLongObjectName(reporter, schema.name, "schema (a MySQL database)");
    for (const object of schema.objects) {
      // Sequences are left out of the MySQL script (RC0903), names and all.
      if (object.objectKind === "sequence") continue;
      reportLongObjectName(reporter, object.name, object.objectKind);
      for (const partition of object.partitions) reportLongObjectName(reporter, partition, "partition");
      for (const column of object.columns) reportLongObjectName(reporter, column, "column");
    }
    for (const routine of schema.routines) reportLongObjectName(reporter, routine.name, routine.routineKind);
  }
  for (const role of program.roleBlocks) {
    const chars = [...role.name.value].length;
    if (chars <= mysqlMaxRoleChars) continue;
    reporter.report(
      "RC0904",
      `role name ${quoted(role.name.value)} is ${chars} characters long; MySQL allows at most ${mysqlMaxRoleChars} in a role or account name, so shorten it`,
      role.name.span,
    );
  }
}

function reportLongObjectName(reporter: Reporter, name: Name, what: string): void {
  const chars = [...name.value].length;
  if (chars <= mysqlMaxObjectChars) return;
  reporter.report("RC0904", `${what} name ${quoted(name.value)} is ${chars} characters long; MySQL allows at most ${mysqlMaxObjectChars}, so shorten it`, name.span);
}
