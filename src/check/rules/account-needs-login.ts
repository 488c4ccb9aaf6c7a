import type { ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";

// Reports `host` or an account option (require_ssl, max_queries_per_hour, ...) on a role without
// `login` (RC0307): only a login role becomes a MySQL/MariaDB account, so the option would say nothing.
export function accountNeedsLoginRule({ roles }: ResolvedProgram, reporter: Reporter): void {
  for (const [name, role] of roles) {
    if (role.login) continue;
    for (const option of role.block.options) {
      if (option.kind !== "Host" && option.kind !== "AccountOption") continue;
      const word = option.kind === "Host" ? "host" : option.option;
      reporter.report("RC0307", `role ${quoted(name)} sets ${word} but not login; only a login role becomes an account, with a host and account options, so add login or remove ${word}`, option.span);
    }
  }
}
