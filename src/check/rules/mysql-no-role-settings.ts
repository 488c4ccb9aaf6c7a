import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";

// Reports a `set` line under --target mysql (RC0911): MySQL/MariaDB keep no per-account run-time parameters, so the script could not say it.
export function mysqlNoRoleSettingsRule({ roleBlocks }: ResolvedProgram, reporter: Reporter): void {
  for (const role of roleBlocks) {
    for (const item of role.items) {
      if (item.kind !== "Setting") continue;
      reporter.report("RC0911", `MySQL/MariaDB keep no per-account settings, so ${item.parameter.value.toLowerCase()} cannot be set there; remove the line or leave mysql out of --target`, item.span);
    }
  }
}
