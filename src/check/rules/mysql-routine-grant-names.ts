import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";
import { quoted } from "../reporter.js";
import { formatRoutine, routineKey } from "../../model/ir.js";

// Reports, under --target mysql, a name outside ASCII where MariaDB keeps routine privileges
// (RC0921). MariaDB (10.11 at least) stores the names of mysql.procs_priv encoded twice: a grant
// to a role or account so named never takes effect (the server's own check looks for the name as
// given), and one on a routine or in a database so named works but reads back as another name,
// so neither the script nor plan, import or verify could see it, or take away one made by hand.
// Tables and columns are not affected. A routine only a snapshot lists, and no line grants on,
// is the database's, not the program's: what the server holds on it is left as it is, so it is
// not reported (a snapshot of such a database could not be used at all otherwise).
const nonAscii = /[^\u0000-\u007f]/;

export function mysqlRoutineGrantNamesRule({ catalog, model }: ResolvedProgram, reporter: Reporter): void {
  const granted = new Set(model.routineGrants.map((g) => routineKey(g.routine)));
  for (const schema of catalog.values()) {
    for (const routine of [...schema.routines.values()].flat()) {
      if (routine.origin === "snapshot" && !granted.has(routineKey(routine))) continue;
      const named = nonAscii.test(schema.name) ? `its schema's name ${quoted(schema.name)}` : nonAscii.test(routine.name) ? `its name ${quoted(routine.name)}` : undefined;
      if (!named) continue;
      reporter.report(
        "RC0921",
        `privileges on ${routine.kind} ${formatRoutine(routine)} cannot be managed on MariaDB: ${named} holds a character outside ASCII, which it stores wrongly in its routine privileges, so no grant on it could be read back or taken away; rename it, or leave mysql out of --target`,
        routine.span,
      );
    }
  }
  for (const grant of model.routineGrants) {
    if (!nonAscii.test(grant.role)) continue;
    reporter.report(
      "RC0921",
      `EXECUTE on ${formatRoutine(grant.routine)} cannot be granted to ${quoted(grant.role)} on MariaDB, which stores a role or account name outside ASCII wrongly in its routine privileges, so the grant would never take effect; grant it to a role with an ASCII name and make ${quoted(grant.role)} a member, or leave mysql out of --target`,
      grant.sources[0]!,
    );
  }
}
