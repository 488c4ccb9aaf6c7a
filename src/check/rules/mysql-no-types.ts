import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";
import { objectRef } from "../reporter.js";

// Reports declared types and domains under --target mysql (RC0917): MySQL/MariaDB have neither,
// so neither they nor a grant of USAGE on one can be compiled there.
export function mysqlNoTypesRule({ catalog }: ResolvedProgram, reporter: Reporter): void {
  for (const schema of catalog.values()) {
    for (const type of schema.types.values()) {
      reporter.report("RC0917", `MySQL/MariaDB have no types or domains of their own, so ${type.kind} ${objectRef(type.schema, type.name)} and the grants on it cannot be compiled there; leave mysql out of --target`, type.span);
    }
  }
}
