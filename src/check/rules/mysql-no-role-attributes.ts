import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";

// Reports a PostgreSQL role attribute under --target mysql (RC0910): MySQL/MariaDB accounts have nothing like createdb or bypassrls.
export function mysqlNoRoleAttributesRule({ roleBlocks }: ResolvedProgram, reporter: Reporter): void {
  for (const role of roleBlocks) {
    for (const option of role.options) {
      if (option.kind === "ValidUntil") {
        reporter.report("RC0910", "valid_until is a PostgreSQL role attribute (VALID UNTIL); MySQL/MariaDB express password expiry otherwise, which rolec does not yet manage, so remove it or leave mysql out of --target", option.span);
        continue;
      }
      // superuser is refused for every target (RC0309).
      if (option.kind !== "Attribute" || option.attribute === "superuser") continue;
      reporter.report("RC0910", `${option.attribute} is a PostgreSQL role attribute; MySQL/MariaDB accounts have nothing like it, so remove it or leave mysql out of --target`, option.span);
    }
  }
}
