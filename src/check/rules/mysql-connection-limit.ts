import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";

// Reports connection_limit 0 on a login role (RC0908): MySQL/MariaDB read MAX_USER_CONNECTIONS 0 as no limit, the opposite of what it says.
export function mysqlConnectionLimitRule({ roleBlocks }: ResolvedProgram, reporter: Reporter): void {
  for (const role of roleBlocks) {
    if (!role.options.some((o) => o.kind === "Login")) continue;
    for (const option of role.options) {
      if (option.kind !== "ConnectionLimit" || option.limit !== 0) continue;
      reporter.report(
        "RC0908",
        `connection_limit 0 cannot be said on MySQL/MariaDB, where MAX_USER_CONNECTIONS 0 means no limit; to keep the account out, remove login`,
        option.span,
      );
    }
  }
}
