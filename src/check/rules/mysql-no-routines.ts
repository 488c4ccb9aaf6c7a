import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";
import { formatRoutine } from "../../model/ir.js";

// Reports declared functions and procedures under --target mysql (RC0916). MySQL/MariaDB have
// EXECUTE on routines, but know a routine by its name alone, in a privilege table of its own
// (mysql.procs_priv) that rolec does not yet read, plan or verify: a declaration compiled there
// would say nothing of who may call it.
export function mysqlNoRoutinesRule({ catalog }: ResolvedProgram, reporter: Reporter): void {
  for (const schema of catalog.values()) {
    for (const overloads of schema.routines.values()) {
      for (const routine of overloads) {
        reporter.report(
          "RC0916",
          `rolec does not yet compile functions and procedures for MySQL/MariaDB, so ${routine.kind} ${formatRoutine(routine)} and the grants on it cannot be compiled there; leave mysql out of --target`,
          routine.span,
        );
      }
    }
  }
}
