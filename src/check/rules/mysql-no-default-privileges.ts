import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";

// Reports `... on future ...` lines under --target mysql (RC0918). MySQL/MariaDB have no default
// privileges: a table created later gets only what database-wide grants give, and rolec never
// makes one, so that no wildcard reaches an audit table. Each table is granted once declared.
export function mysqlNoDefaultPrivilegesRule({ roleBlocks, publicBlocks }: ResolvedProgram, reporter: Reporter): void {
  for (const block of [...roleBlocks, ...publicBlocks]) {
    for (const item of block.items) {
      if (item.kind !== "DefaultGrant") continue;
      reporter.report(
        "RC0918",
        "MySQL/MariaDB have no default privileges (what a later table gets there comes only from a database-wide grant, which rolec never makes), so this line cannot be compiled there; grant each table once it is declared, or leave mysql out of --target",
        item.span,
      );
    }
  }
}
