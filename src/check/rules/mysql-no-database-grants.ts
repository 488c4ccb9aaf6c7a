import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";

// Reports `... on database` under --target mysql (RC0914). MySQL/MariaDB have no CONNECT: an
// account connects wherever it may log in, and holds what its grants say once there; their
// CREATE TEMPORARY TABLES and CREATE are database-wide grants, which rolec never makes.
export function mysqlNoDatabaseGrantsRule({ roleBlocks }: ResolvedProgram, reporter: Reporter): void {
  for (const role of roleBlocks) {
    for (const item of role.items) {
      if (item.kind !== "DatabaseGrant") continue;
      reporter.report(
        "RC0914",
        "MySQL/MariaDB have no privileges on a database itself that rolec grants (no CONNECT; TEMPORARY and CREATE would be database-wide grants), so this line cannot be compiled there; remove it or leave mysql out of --target",
        item.span,
      );
    }
  }
}
