import { predefinedRoles } from "../../model/predefined-roles.js";
import type { ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";

// Reports `member of ... with admin option`: on one of PostgreSQL's predefined roles it is refused
// (RC0207: the role could hand pg_monitor and the like to anyone), on a declared role it is
// applied with a warning a reviewer confirms (RC0206): the member may grant the role to any role,
// and those memberships are then the member's doing, not the files'.
export function adminOptionRule({ roles, parents }: ResolvedProgram, reporter: Reporter): void {
  for (const [name, role] of roles) {
    const taken = parents.get(name) ?? [];
    for (const item of role.block.items) {
      if (item.kind !== "Membership" || !item.admin) continue;
      for (const parent of item.parents) {
        if (!taken.includes(parent.value)) continue;
        if (predefinedRoles.has(parent.value) && !roles.has(parent.value)) {
          reporter.report("RC0207", `role ${quoted(name)} may not hold ${parent.value} with admin option: it could hand ${parent.value} to any role; remove \`with admin option\``, parent.span);
        } else {
          reporter.report("RC0206", `role ${quoted(name)} may grant ${quoted(parent.value)} to any role (admin option); memberships it grants are left to it, so make sure it needs to`, parent.span);
        }
      }
    }
  }
}
