import type { GrantStatement, Privilege } from "../syntax/ast.js";
import { sameArgTypes } from "../model/argument-types.js";
import { formatRoutine } from "../model/ir.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { resolveArgTypes, type Catalog, type DeclaredRoutine, type DeclaredSchema } from "./declare-objects.js";
import { objectRef, quoted, type Reporter } from "./reporter.js";
import { reportDuplicateVerbs, reportServerVerbElsewhere } from "./resolve-grants.js";

/** EXECUTE on one function or procedure for one role, as a single grant line asks for it. */
export interface RoutineGrantAtom {
  readonly role: string;
  readonly routine: DeclaredRoutine;
  readonly statement: GrantStatement;
  readonly privilege: Privilege;
  /** True when the line names the routine itself (not `schema.*`) and the verb itself (not `all`). */
  readonly explicit: boolean;
}

/**
 * Whether a grant line is about functions and procedures rather than tables, views and
 * sequences: it writes argument types (`app.total(integer)`), names only routines, or grants
 * only execute on `schema.*`. The relation of a name comes first, as PostgreSQL keeps the two
 * apart: `app.total()` with parentheses names the function when a table shares its name.
 */
export function grantsOnRoutines(statement: GrantStatement, catalog: Catalog): boolean {
  if (statement.target.signature) return true;
  const schema = catalog.get(statement.target.schema.value);
  if (!schema) return false;
  const object = statement.target.object;
  if (object === undefined) return statement.privileges.every((p) => p.verb === "execute");
  return !schema.objects.has(object.value) && schema.routines.has(object.value);
}

/** Expands one grant line on functions or procedures into atoms, reporting everything wrong with it. */
export function resolveRoutineGrant(role: string, statement: GrantStatement, catalog: Catalog, reporter: Reporter): RoutineGrantAtom[] {
  const schemaName = statement.target.schema;
  const schema = catalog.get(schemaName.value);
  if (!schema) {
    reporter.report("RC0101", `unknown schema ${quoted(schemaName.value)}${didYouMean(schemaName.value, catalog.keys())}; declare it with a schema block`, schemaName.span);
    return [];
  }
  const targets = resolveTargets(statement, schema, reporter);
  if (!targets) return [];
  reportDuplicateVerbs(statement.privileges, reporter);
  const wildcard = statement.target.object === undefined;
  const remaining = removeExclusions(statement, schema, targets, reporter);
  const atoms: RoutineGrantAtom[] = [];
  for (const privilege of statement.privileges) {
    if (reportServerVerbElsewhere(privilege, reporter)) continue;
    if (privilege.columns) {
      reporter.report("RC0402", `${privilege.verb} on a function or procedure cannot be limited to columns; remove the column list`, privilege.span);
      continue;
    }
    if (privilege.verb !== "execute" && privilege.verb !== "all") {
      const what = wildcard ? `the functions and procedures of ${objectRef(schema.name)}` : `${targets[0]!.kind} ${formatRoutine(targets[0]!)}`;
      reporter.report("RC0401", `${privilege.verb} does not apply to ${what}; a function or procedure takes execute`, privilege.span);
      continue;
    }
    for (const routine of remaining) atoms.push({ role, routine, statement, privilege, explicit: !wildcard && privilege.verb === "execute" });
  }
  return atoms;
}

/** The routines a line names: one overload, or every routine of the schema for `schema.*`. */
function resolveTargets(statement: GrantStatement, schema: DeclaredSchema, reporter: Reporter): DeclaredRoutine[] | undefined {
  const { object, signature } = statement.target;
  if (object === undefined) {
    const all = [...schema.routines.values()].flat();
    if (signature) {
      reporter.report("RC0102", `${objectRef(schema.name)} takes no argument types: it reaches every function and procedure of the schema`, statement.target.span);
      return undefined;
    }
    if (all.length === 0) {
      reporter.report("RC0102", `schema ${quoted(schema.name)} declares no functions or procedures, so execute on ${objectRef(schema.name)} matches nothing`, statement.target.span);
      return undefined;
    }
    return all;
  }
  const overloads = schema.routines.get(object.value) ?? [];
  if (overloads.length === 0) {
    const relation = schema.objects.get(object.value);
    const hint = relation ? `; ${objectRef(schema.name, object.value)} is a ${relation.kind}, which takes no argument types` : didYouMean(object.value, schema.routines.keys());
    reporter.report("RC0102", `unknown function or procedure ${objectRef(schema.name, object.value)}${hint}`, object.span);
    return undefined;
  }
  const declaredList = () => overloads.map(formatRoutine).join(", ");
  if (!signature) {
    if (overloads.length === 1) return overloads;
    reporter.report("RC0110", `${objectRef(schema.name, object.value)} is overloaded: name one of ${declaredList()}`, object.span);
    return undefined;
  }
  const args = resolveArgTypes(signature, reporter);
  if (!args) return undefined;
  const match = overloads.find((r) => sameArgTypes(r.args, args));
  if (!match) {
    reporter.report("RC0102", `unknown function or procedure ${formatRoutine({ schema: schema.name, name: object.value, args })}; schema ${quoted(schema.name)} declares ${declaredList()}`, statement.target.span);
    return undefined;
  }
  return [match];
}

/**
 * `execute on app.* except app.internal`: the routines left once every overload of each excluded
 * name is removed. An exclusion that removes nothing is RC0601; columns mean nothing here (RC0402).
 */
function removeExclusions(statement: GrantStatement, schema: DeclaredSchema, targets: DeclaredRoutine[], reporter: Reporter): DeclaredRoutine[] {
  const excluded = new Set<string>();
  for (const exclusion of statement.exclusions) {
    if (exclusion.columns) {
      reporter.report("RC0402", `a function or procedure has no columns: \`except ${objectRef(exclusion.schema.value, exclusion.object.value)}\` removes every overload of the name`, exclusion.span);
      continue;
    }
    const removes = exclusion.schema.value === schema.name && targets.some((r) => r.name === exclusion.object.value);
    if (!removes) {
      reporter.report("RC0601", `except ${objectRef(exclusion.schema.value, exclusion.object.value)} removes nothing: the grant is on ${statement.target.object ? formatRoutine(targets[0]!) : `the functions and procedures of ${objectRef(schema.name)}`}`, exclusion.span);
      continue;
    }
    excluded.add(exclusion.object.value);
  }
  const left = targets.filter((r) => !excluded.has(r.name));
  if (left.length === 0) reporter.report("RC0804", "this line grants nothing: its exclusions leave no function or procedure; remove it", statement.span);
  return left;
}
