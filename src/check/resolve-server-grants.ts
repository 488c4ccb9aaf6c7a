import type { Privilege, ServerGrantStatement } from "../syntax/ast.js";
import { isServerVerb, serverVerbOrder, type ServerVerb } from "../model/verbs.js";
import type { Reporter } from "./reporter.js";
import { reportDuplicateVerbs } from "./resolve-grants.js";

/** One privilege on the whole server for one role, as a `... on server` line asks for it. */
export interface ServerGrantAtom {
  readonly role: string;
  readonly verb: ServerVerb;
  readonly statement: ServerGrantStatement;
  readonly privilege: Privilege;
}

/**
 * Expands `process, replication_client on server` into atoms. Only the server verbs apply, never
 * per column; `all` is refused rather than expanded: on MySQL/MariaDB ALL ON *.* is every
 * privilege on every table, and no line of the language may say that.
 */
export function resolveServerGrant(role: string, statement: ServerGrantStatement, reporter: Reporter): ServerGrantAtom[] {
  reportDuplicateVerbs(statement.privileges, reporter);
  const atoms: ServerGrantAtom[] = [];
  for (const privilege of statement.privileges) {
    if (privilege.columns) {
      reporter.report("RC0402", `${privilege.verb} on the server cannot be limited to columns; remove the column list`, privilege.span);
      continue;
    }
    if (!isServerVerb(privilege.verb)) {
      reporter.report(
        "RC0401",
        `${privilege.verb} does not apply to the server; the server takes ${serverVerbOrder.join(", ")}, each named${privilege.verb === "all" ? " (all on the server would reach every table)" : `: ${privilege.verb} is granted on objects, schemas or the database`}`,
        privilege.span,
      );
      continue;
    }
    atoms.push({ role, verb: privilege.verb, statement, privilege });
  }
  return atoms;
}
