import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";

// Reports `with admin option` under --target mysql (RC0919): rolec does not yet read, plan or
// verify MySQL/MariaDB's admin option on role grants, so the line cannot be compiled there.
export function mysqlNoAdminOptionRule({ roleBlocks }: ResolvedProgram, reporter: Reporter): void {
  for (const role of roleBlocks) {
    for (const item of role.items) {
      if (item.kind !== "Membership" || !item.admin) continue;
      reporter.report("RC0919", "rolec does not yet manage the admin option of MySQL/MariaDB role grants, so `with admin option` cannot be compiled there; remove it or leave mysql out of --target", item.span);
    }
  }
}
