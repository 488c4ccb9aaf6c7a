import type { DatabaseGrantStatement, Privilege } from "../syntax/ast.js";
import { databaseVerbOrder, type DatabaseVerb } from "../model/verbs.js";
import type { Reporter } from "./reporter.js";
import { reportDuplicateVerbs, reportServerVerbElsewhere } from "./resolve-grants.js";

/** One privilege on the database for one role, as a `... on database` line asks for it. */
export interface DatabaseGrantAtom {
  readonly role: string;
  readonly verb: DatabaseVerb;
  readonly statement: DatabaseGrantStatement;
  readonly privilege: Privilege;
}

/** Expands `connect, temporary on database` into atoms: only connect, temporary, create and all (the three) apply, never per column. */
export function resolveDatabaseGrant(role: string, statement: DatabaseGrantStatement, reporter: Reporter): DatabaseGrantAtom[] {
  reportDuplicateVerbs(statement.privileges, reporter);
  const atoms: DatabaseGrantAtom[] = [];
  for (const privilege of statement.privileges) {
    if (reportServerVerbElsewhere(privilege, reporter)) continue;
    if (privilege.columns) {
      reporter.report("RC0402", `${privilege.verb} on the database cannot be limited to columns; remove the column list`, privilege.span);
      continue;
    }
    if (privilege.verb !== "all" && !(databaseVerbOrder as readonly string[]).includes(privilege.verb)) {
      reporter.report(
        "RC0401",
        `${privilege.verb} does not apply to the database; the database takes ${databaseVerbOrder.join(", ")}. ${privilege.verb === "usage" ? "usage is granted on a schema (`usage on schema NAME`) or a sequence" : privilege.verb === "execute" ? "execute is granted on functions and procedures (`execute on SCHEMA.FUNCTION(TYPES)`)" : `${privilege.verb} is granted on tables and views (\`${privilege.verb} on SCHEMA.*\`)`}`,
        privilege.span,
      );
      continue;
    }
    const verbs: readonly DatabaseVerb[] = privilege.verb === "all" ? databaseVerbOrder : [privilege.verb as DatabaseVerb];
    for (const verb of verbs) atoms.push({ role, verb, statement, privilege });
  }
  return atoms;
}
