import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";

// Reports a PostgreSQL role attribute under --target mysql (RC0910): MySQL/MariaDB accounts have nothing like createdb or bypassrls.
export function mysqlNoRoleAttributesRule({ roleBlocks }: ResolvedProgram, reporter: Reporter): void {
  for (const role of roleBlocks) {
    for (const option of role.options) {
      // superuser is refused for every target (RC0309).
      if (option.kind !== "Attribute" || option.attribute === "superuser") continue;
      reporter.report("RC0910", `${option.attribute} is a PostgreSQL role attribute; MySQL/MariaDB accounts have nothing like it, so remove it or leave mysql out of --target`, option.span);
    }
  }
}
