import type { ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";

// Reports `host` on a role without `login` (RC0307): only a login role becomes a MySQL/MariaDB account, so the host would say nothing.
export function hostNeedsLoginRule({ roles }: ResolvedProgram, reporter: Reporter): void {
  for (const [name, role] of roles) {
    const hostOption = role.block.options.find((o) => o.kind === "Host");
    if (!hostOption || role.login) continue;
    reporter.report("RC0307", `role ${quoted(name)} sets host but not login; only a login role becomes an account with a host, so add login or remove host`, hostOption.span);
  }
}
