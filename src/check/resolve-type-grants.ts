import type { GrantStatement, Privilege } from "../syntax/ast.js";
import type { Catalog, DeclaredType } from "./declare-objects.js";
import { objectRef, type Reporter } from "./reporter.js";
import { reportDuplicateVerbs, reportServerVerbElsewhere } from "./resolve-grants.js";

/** USAGE on one type or domain for one role, as a single grant line asks for it. */
export interface TypeGrantAtom {
  readonly role: string;
  readonly type: DeclaredType;
  readonly statement: GrantStatement;
  readonly privilege: Privilege;
}

/** Whether a grant line names a declared type or domain (`usage on app.money`); `schema.*` never reaches one. */
export function grantsOnType(statement: GrantStatement, catalog: Catalog): boolean {
  const { object, signature } = statement.target;
  return object !== undefined && signature === undefined && catalog.get(statement.target.schema.value)?.types.has(object.value) === true;
}

/** Expands a grant line on a type or domain: usage (or all, which is usage) and nothing else, never per column. */
export function resolveTypeGrant(role: string, statement: GrantStatement, catalog: Catalog, reporter: Reporter): TypeGrantAtom[] {
  const type = catalog.get(statement.target.schema.value)!.types.get(statement.target.object!.value)!;
  reportDuplicateVerbs(statement.privileges, reporter);
  for (const exclusion of statement.exclusions) {
    reporter.report("RC0601", `except ${objectRef(exclusion.schema.value, exclusion.object.value)} removes nothing: except narrows a grant on \`schema.*\`, and this one is on ${type.kind} ${objectRef(type.schema, type.name)}`, exclusion.span);
  }
  const atoms: TypeGrantAtom[] = [];
  for (const privilege of statement.privileges) {
    if (reportServerVerbElsewhere(privilege, reporter)) continue;
    if (privilege.columns) {
      reporter.report("RC0402", `${privilege.verb} on a ${type.kind} cannot be limited to columns; remove the column list`, privilege.span);
      continue;
    }
    if (privilege.verb !== "usage" && privilege.verb !== "all") {
      reporter.report("RC0401", `${privilege.verb} does not apply to ${type.kind} ${objectRef(type.schema, type.name)}; a type or domain takes usage`, privilege.span);
      continue;
    }
    atoms.push({ role, type, statement, privilege });
  }
  return atoms;
}
