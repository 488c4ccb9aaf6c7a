import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";

// Reports `with grant option` under --target mysql (RC0920): MySQL/MariaDB keep one grant option
// per account and table row, covering every privilege the account holds there, so an option on
// one verb cannot be said, and one on all of them would hand on more than the line reads.
export function mysqlNoGrantOptionRule({ roleBlocks }: ResolvedProgram, reporter: Reporter): void {
  for (const role of roleBlocks) {
    for (const item of role.items) {
      if (item.kind === "Membership" || item.kind === "Setting" || !item.grantOption) continue;
      reporter.report("RC0920", "MySQL/MariaDB's grant option covers every privilege an account holds on a table, so `with grant option` cannot be compiled there; remove it or leave mysql out of --target", item.grantOption.span);
    }
  }
}
