import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";

// Reports `... on server` lines when compiling for PostgreSQL (RC0922): the server privileges are
// MySQL/MariaDB's; PostgreSQL says the same with predefined roles and the replication attribute.
export function postgresNoServerGrantsRule({ roleBlocks }: ResolvedProgram, reporter: Reporter): void {
  for (const block of roleBlocks) {
    for (const item of block.items) {
      if (item.kind !== "ServerGrant") continue;
      reporter.report(
        "RC0922",
        "privileges on the server are MySQL/MariaDB's and cannot be compiled for PostgreSQL: there a monitoring role is a member of pg_monitor (`member of pg_monitor`) and a replication role has the `replication` attribute; leave postgres out of --target",
        item.span,
      );
    }
  }
}
