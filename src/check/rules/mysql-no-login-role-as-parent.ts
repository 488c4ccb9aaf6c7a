import type { ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";

// Reports a login role named in `member of` (RC0907): on MySQL/MariaDB a login role is an account, and an account cannot be granted to a role.
export function mysqlNoLoginRoleAsParentRule({ roleBlocks, model }: ResolvedProgram, reporter: Reporter): void {
  const loginRoles = new Set(model.roles.filter((r) => r.login).map((r) => r.name));
  for (const role of roleBlocks) {
    for (const item of role.items) {
      if (item.kind !== "Membership") continue;
      for (const parent of item.parents) {
        if (!loginRoles.has(parent.value)) continue;
        reporter.report(
          "RC0907",
          `role ${quoted(parent.value)} is a login role, so on MySQL/MariaDB it is an account, and an account cannot be granted to another role; move what it grants into a role without login and make both members of that`,
          parent.span,
        );
      }
    }
  }
}
