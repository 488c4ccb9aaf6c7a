import { predefinedRoles } from "../../model/predefined-roles.js";
import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";

// Reports membership in a PostgreSQL predefined role under --target mysql (RC0912): MySQL/MariaDB have no pg_monitor or the like.
export function mysqlNoPredefinedRolesRule({ roles, parents }: ResolvedProgram, reporter: Reporter): void {
  for (const [name, role] of roles) {
    const taken = parents.get(name) ?? [];
    for (const item of role.block.items) {
      if (item.kind !== "Membership") continue;
      for (const parent of item.parents) {
        if (!predefinedRoles.has(parent.value) || !taken.includes(parent.value) || roles.has(parent.value)) continue;
        reporter.report("RC0912", `${parent.value} is a PostgreSQL predefined role; MySQL/MariaDB have none, so remove the membership or leave mysql out of --target`, parent.span);
      }
    }
  }
}
