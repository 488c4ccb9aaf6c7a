import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";
import { formatName } from "../../syntax/names.js";

// Reports `... on schema s` under --target mysql (RC0913). MySQL/MariaDB have no USAGE on a
// database, and CREATE there is a database-wide grant, which rolec never makes: one that reached
// every table would reach the audit tables too.
export function mysqlNoSchemaGrantsRule({ roleBlocks }: ResolvedProgram, reporter: Reporter): void {
  for (const role of roleBlocks) {
    for (const item of role.items) {
      if (item.kind !== "SchemaGrant") continue;
      reporter.report(
        "RC0913",
        `MySQL/MariaDB have no privileges on a schema itself that rolec grants (no USAGE; CREATE would be a grant on ${formatName(item.schema.value)}.*), so this line cannot be compiled there; remove it or leave mysql out of --target`,
        item.span,
      );
    }
  }
}
