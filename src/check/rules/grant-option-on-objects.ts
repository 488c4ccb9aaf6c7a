import type { AnyGrant } from "../../syntax/ast.js";
import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";
import { grantsOnRoutines } from "../resolve-routine-grants.js";
import { grantsOnType } from "../resolve-type-grants.js";

// Reports `with grant option` where rolec does not declare one (RC0407): it is kept on the
// privileges of a table, view or sequence as a whole, on EXECUTE and USAGE of a function,
// procedure, type or domain, on the privileges of a schema and of the database, and on default
// privileges. PUBLIC never holds a grant option in PostgreSQL, and the server's privileges are
// MySQL's, which keeps one option per account.
export function grantOptionOnObjectsRule({ roleBlocks, publicBlocks, catalog }: ResolvedProgram, reporter: Reporter): void {
  const judge = (item: AnyGrant, isPublic: boolean) => {
    const at = item.grantOption?.span;
    if (!at) return;
    if (isPublic) {
      reporter.report("RC0407", "PUBLIC cannot hold a grant option: grant it to the roles that are to hand the privilege on", at);
    } else if (item.kind === "ServerGrant") {
      reporter.report("RC0407", "a grant option is declared on tables, views, sequences, functions, procedures, types, domains, schemas, the database and future objects, not on the server; write the privilege without it", at);
    } else if (item.kind !== "Grant") {
      return;
    } else if (!grantsOnRoutines(item, catalog) && !grantsOnType(item, catalog)) {
      // `except s.t(c)` turns the line's grant on s.t into column grants, which take no option either.
      for (const exclusion of item.exclusions) {
        if (exclusion.columns) reporter.report("RC0407", "a grant option is declared on whole objects, and this exclusion of columns leaves column grants; exclude the whole object, or grant its columns on a line without the option", exclusion.span);
      }
      for (const privilege of item.privileges) {
        if (privilege.columns) reporter.report("RC0407", `a grant option is declared on the whole object, not on columns; grant ${privilege.verb} on the whole object with the option, or write the columns without it`, privilege.span);
      }
    }
  };
  for (const role of roleBlocks) for (const item of role.items) if (item.kind !== "Membership" && item.kind !== "Setting") judge(item, false);
  for (const block of publicBlocks) for (const item of block.items) if (item.kind !== "Membership" && item.kind !== "Setting") judge(item, true);
}
