import { predefinedRoles } from "../../model/predefined-roles.js";
import type { ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";

// Reports membership in pg_signal_backend or pg_create_subscription (RC0205): each reaches other sessions or another server, so a reviewer should confirm it.
export function powerfulPredefinedRolesRule({ roles, parents }: ResolvedProgram, reporter: Reporter): void {
  for (const [name, role] of roles) {
    const taken = parents.get(name) ?? [];
    for (const item of role.block.items) {
      if (item.kind !== "Membership") continue;
      for (const parent of item.parents) {
        const predefined = predefinedRoles.get(parent.value);
        if (predefined?.use !== "warn" || !taken.includes(parent.value) || roles.has(parent.value)) continue;
        reporter.report("RC0205", `role ${quoted(name)} is made a member of ${parent.value}, which lets it ${predefined.why}; make sure it needs it`, parent.span);
      }
    }
  }
}
