import type { Name } from "../../syntax/ast.js";
import type { ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";
import { schemaBlocksWithSnapshot } from "../snapshot-schema-blocks.js";

// Reports names and hosts with a trailing space or a character outside the Basic Multilingual Plane (RC0905): MySQL refuses such object names, and cuts the space off role, account and host names, so the script's next statement would name an account that does not exist.
export function mysqlNameCharactersRule(program: ResolvedProgram, reporter: Reporter): void {
  for (const schema of schemaBlocksWithSnapshot(program)) {
    reportRefusedCharacters(reporter, schema.name, "schema (a MySQL database) name");
    for (const object of schema.objects) {
      // Sequences are left out of the MySQL script (RC0903), names and all.
      if (object.objectKind === "sequence") continue;
      reportRefusedCharacters(reporter, object.name, `${object.objectKind} name`);
      for (const partition of object.partitions) reportRefusedCharacters(reporter, partition, "partition name");
      for (const column of object.columns) reportRefusedCharacters(reporter, column, "column name");
    }
    for (const routine of schema.routines) reportRefusedCharacters(reporter, routine.name, `${routine.routineKind} name`);
  }
  for (const role of program.roleBlocks) {
    for (const option of role.options) if (option.kind === "Host") reportRefusedCharacters(reporter, option.host, "host");
    reportRefusedCharacters(reporter, role.name, "role name");
  }
}

/** The grant tables' character set stores only the Basic Multilingual Plane. */
function reportRefusedCharacters(reporter: Reporter, name: Name, what: string): void {
  if (/ $/.test(name.value)) {
    reporter.report("RC0905", `${what} ${quoted(name.value)} ends with a space, which MySQL does not accept in a name; remove it`, name.span);
  }
  if ([...name.value].some((c) => c.codePointAt(0)! > 0xffff)) {
    reporter.report(
      "RC0905",
      `${what} ${quoted(name.value)} holds a character outside the Basic Multilingual Plane (such as an emoji), which MySQL does not accept in a name; remove it`,
      name.span,
    );
  }
}
