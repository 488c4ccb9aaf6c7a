import { formatName } from "../syntax/names.js";
import type { GrantStatement, Privilege } from "../syntax/ast.js";
import { appendOnlyForbidden, appliesTo, columnVerbs, isServerVerb, verbsByKind, type Verb } from "../model/verbs.js";
import { declaredPartition, hasColumn, type Catalog, type DeclaredObject } from "./declare-objects.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { objectRef, quoted, type Reporter } from "./reporter.js";
import { applyExclusions, reportUnusedExclusion, resolveExclusions } from "./resolve-exclusions.js";
import { reportUnknownColumn } from "./unknown-column.js";

/** One verb on one object for one role, as a single grant line asks for it. */
export interface GrantAtom {
  readonly role: string;
  readonly object: DeclaredObject;
  readonly verb: Verb;
  /** Undefined for the whole object. */
  readonly columns: readonly string[] | undefined;
  readonly statement: GrantStatement;
  readonly privilege: Privilege;
  /** True when the line names the object itself (not `schema.*`) and the verb itself (not `all`). */
  readonly explicit: boolean;
  /** `with grant option` on the whole object (a column list with one is refused: RC0407). */
  readonly grantOption: boolean;
}

/** Expands one grant line into atoms, reporting everything wrong with it. */
export function resolveGrant(role: string, statement: GrantStatement, catalog: Catalog, reporter: Reporter): GrantAtom[] {
  const reportedBefore = reporter.diagnostics.length;
  const targets = resolveTargets(statement, catalog, reporter);
  if (!targets) return [];
  const wildcard = statement.target.object === undefined;
  reportDuplicateVerbs(statement.privileges, reporter);
  const exclusions = resolveExclusions(statement, targets, catalog, reporter);

  const atoms: GrantAtom[] = [];
  const sensitiveReach = new Map<DeclaredObject, { verbs: Set<Verb>; columns: Set<string> }>();
  const narrowed = new Map<DeclaredObject, Set<Verb>>();
  for (const privilege of statement.privileges) {
    if (isServerVerb(privilege.verb)) {
      reportServerVerbElsewhere(privilege, reporter);
      continue;
    }
    if (privilege.verb === "connect" || privilege.verb === "temporary") {
      reporter.report("RC0401", `${privilege.verb} does not apply to ${wildcard ? "tables or views" : objectRef(statement.target.schema.value, statement.target.object!.value)}; it is granted on the database: \`${privilege.verb} on database\``, privilege.span);
      continue;
    }
    if (privilege.verb === "execute") {
      reporter.report(
        "RC0401",
        wildcard
          ? `execute on ${objectRef(statement.target.schema.value)} reaches its functions and procedures, and this line's other verbs its tables and views: write execute on a line of its own`
          : `execute does not apply to ${objectRef(statement.target.schema.value, statement.target.object!.value)}; it is granted on functions and procedures`,
        privilege.span,
      );
      continue;
    }
    if (privilege.verb === "create") {
      reporter.report(
        "RC0401",
        `create does not apply to ${wildcard ? "tables or views" : objectRef(statement.target.schema.value, statement.target.object!.value)}; it is granted on a schema: \`create on schema ${formatName(statement.target.schema.value)}\``,
        privilege.span,
      );
      continue;
    }
    if (privilege.columns && (privilege.verb === "all" || !columnVerbs.has(privilege.verb))) {
      reporter.report(
        "RC0402",
        `${privilege.verb} cannot be limited to columns; only select, insert, update and references take a column list`,
        privilege.span,
      );
      continue;
    }
    let appliedSomewhere = false;
    for (const object of targets) {
      const verbs: readonly Verb[] = privilege.verb === "all" ? verbsByKind[object.kind] : [privilege.verb];
      for (const verb of verbs) {
        if (!appliesTo(verb, object.kind)) {
          if (!wildcard) {
            reporter.report(
              "RC0401",
              `${verb} does not apply to ${object.kind} ${objectRef(object.schema, object.name)}; a ${object.kind} takes ${verbsByKind[object.kind].join(", ")}`,
              privilege.span,
            );
          }
          continue;
        }
        appliedSomewhere = true;
        // An object the line excludes as a whole is out before anything else is said about it.
        const excludedWhole = exclusions.find((use) => use.object === object && !use.columns);
        if (excludedWhole) {
          excludedWhole.used = true;
          continue;
        }
        const explicit = !wildcard && privilege.verb !== "all";
        if (object.appendOnly && appendOnlyForbidden.has(verb)) {
          if (explicit) {
            reporter.report(
              "RC0501",
              `${verb} on ${objectRef(object.schema, object.name)} is not allowed: the table is append_only, so it can only be read and inserted into`,
              privilege.span,
            );
          } else {
            let set = narrowed.get(object);
            if (!set) narrowed.set(object, (set = new Set()));
            set.add(verb);
          }
          continue;
        }
        const columns = resolveColumns(privilege, object, reporter);
        if (columns === null) continue;
        const remaining = applyExclusions(verb, object, columns, exclusions);
        if (remaining === null) continue;
        atoms.push({ role, object, verb, columns: remaining, statement, privilege, explicit, grantOption: statement.grantOption !== undefined && remaining === undefined });
        noteSensitiveReach(sensitiveReach, object, verb, privilege.columns === undefined, wildcard, remaining);
      }
    }
    if (wildcard && !appliedSomewhere && privilege.verb !== "all") {
      reporter.report(
        "RC0401",
        `${privilege.verb} does not apply to any table or view in ${objectRef(statement.target.schema.value)}; ${privilege.verb === "usage" ? "usage is granted on sequences, types and domains, by name" : "check the verb"}`,
        privilege.span,
      );
    }
  }

  for (const [object, reach] of sensitiveReach) {
    if (object.sensitive) {
      reporter.report("RC0504", `${[...reach.verbs].join(", ")} on ${formatName(object.schema)}.* reaches the sensitive table ${objectRef(object.schema, object.name)} without naming it; grant on it by name, or take it out with except ${formatName(object.schema)}.${formatName(object.name)}`, statement.target.span);
      continue;
    }
    const columns = object.sensitiveColumns.filter((c) => reach.columns.has(c));
    reporter.report(
      "RC0504",
      `${[...reach.verbs].join(", ")} on ${wildcard ? `${formatName(object.schema)}.*` : objectRef(object.schema, object.name)} reaches the sensitive column${columns.length === 1 ? "" : "s"} ${columns.map(quoted).join(", ")} of ${objectRef(object.schema, object.name)} without naming ${columns.length === 1 ? "it" : "them"}; list ${columns.length === 1 ? "it" : "them"} in the column list, or take ${columns.length === 1 ? "it" : "them"} out with except ${formatName(object.schema)}.${formatName(object.name)}(${columns.map(formatName).join(", ")})`,
      statement.target.span,
    );
  }
  for (const [object, verbs] of narrowed) {
    reporter.report(
      "RC0502",
      `${[...verbs].join(", ")} left out on ${objectRef(object.schema, object.name)}: it is append_only, so this line grants only what may be held on it`,
      statement.target.span,
    );
  }
  for (const use of exclusions) reportUnusedExclusion(use, statement, reporter);
  if (atoms.length === 0 && !reporter.diagnostics.slice(reportedBefore).some((d) => d.severity === "error")) {
    reporter.report("RC0804", "this line grants nothing: its exclusions or append-only tables leave nothing to grant; remove it", statement.span);
  }
  return atoms;
}

/**
 * Records what a line reaches of an object's sensitive columns without naming them: a per-column
 * verb granted without a column list (table-wide, a wildcard or `all`). A line that names a
 * `sensitive table` itself names what is sensitive; a wildcard reaching it does not.
 */
function noteSensitiveReach(reach: Map<DeclaredObject, { verbs: Set<Verb>; columns: Set<string> }>, object: DeclaredObject, verb: Verb, noColumnList: boolean, wildcard: boolean, remaining: readonly string[] | undefined): void {
  if (!noColumnList || !columnVerbs.has(verb) || object.sensitiveColumns.length === 0) return;
  if (object.sensitive && !wildcard) return;
  const reached = remaining === undefined ? object.sensitiveColumns : object.sensitiveColumns.filter((c) => remaining.includes(c));
  if (reached.length === 0) return;
  let entry = reach.get(object);
  if (!entry) reach.set(object, (entry = { verbs: new Set(), columns: new Set() }));
  entry.verbs.add(verb);
  for (const c of reached) entry.columns.add(c);
}

function resolveTargets(statement: GrantStatement, catalog: Catalog, reporter: Reporter): DeclaredObject[] | undefined {
  const { schema: schemaName, object: objectName } = statement.target;
  const schema = catalog.get(schemaName.value);
  if (!schema) {
    reporter.report(
      "RC0101",
      `unknown schema ${quoted(schemaName.value)}${didYouMean(schemaName.value, catalog.keys())}; declare it with a schema block`,
      schemaName.span,
    );
    return undefined;
  }
  if (objectName === undefined) {
    const relations = [...schema.objects.values()].filter((o) => o.kind !== "sequence");
    if (relations.length === 0) {
      reporter.report("RC0102", `schema ${quoted(schema.name)} declares no tables or views, so ${objectRef(schema.name)} matches nothing`, statement.target.span);
      return undefined;
    }
    return relations;
  }
  const object = schema.objects.get(objectName.value) ?? declaredPartition(schema, objectName.value);
  if (!object) {
    reporter.report(
      "RC0102",
      `unknown object ${objectRef(schema.name, objectName.value)}${didYouMean(objectName.value, schema.objects.keys())}; declare it in schema ${quoted(schema.name)}`,
      objectName.span,
    );
    return undefined;
  }
  return [object];
}

/** A server verb on anything but `server` (RC0401): true when reported, and the privilege is to be passed over. */
export function reportServerVerbElsewhere(privilege: Privilege, reporter: Reporter): boolean {
  if (!isServerVerb(privilege.verb)) return false;
  reporter.report("RC0401", `${privilege.verb} is a privilege on the whole MySQL/MariaDB server, granted \`${privilege.verb} on server\` on a line of its own`, privilege.span);
  return true;
}

/** A verb named twice in one line, or beside `all` (RC0304). */
export function reportDuplicateVerbs(privileges: readonly Privilege[], reporter: Reporter): void {
  const seen = new Set<string>();
  const hasAll = privileges.some((p) => p.verb === "all");
  for (const privilege of privileges) {
    if (seen.has(privilege.verb)) {
      reporter.report("RC0304", `${privilege.verb} appears twice in this grant; write it once, with all its columns`, privilege.span);
    } else if (hasAll && privilege.verb !== "all") {
      reporter.report("RC0304", `${privilege.verb} is already included in all; remove it`, privilege.span);
    }
    seen.add(privilege.verb);
  }
}

/** The columns a privilege names, checked against the object; undefined for the whole object, null if none is valid. */
function resolveColumns(privilege: Privilege, object: DeclaredObject, reporter: Reporter): readonly string[] | undefined | null {
  if (!privilege.columns) return undefined;
  const valid = new Set<string>();
  for (const column of privilege.columns) {
    if (hasColumn(object, column.value)) valid.add(column.value);
    else reportUnknownColumn(column, object, reporter);
  }
  if (valid.size === 0) return null;
  return object.columns.filter((c) => valid.has(c));
}
