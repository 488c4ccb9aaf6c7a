import type { Exclusion, GrantStatement } from "../syntax/ast.js";
import { columnVerbs, type Verb } from "../model/verbs.js";
import { declaredPartition, hasColumn, type Catalog, type DeclaredObject } from "./declare-objects.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { objectRef, quoted, type Reporter } from "./reporter.js";
import { formatName } from "../syntax/names.js";
import { reportUnknownColumn } from "./unknown-column.js";

/** One `except` of a grant line, resolved, and what it has removed so far (RC0601 when nothing). */
export interface ExclusionUse {
  readonly exclusion: Exclusion;
  readonly object: DeclaredObject;
  readonly columns: ReadonlySet<string> | undefined;
  used: boolean;
  readonly usedColumns: Set<string>;
}

/** Resolves the line's exclusions against the objects it grants on; one that names nothing declared or granted is reported and dropped. */
export function resolveExclusions(statement: GrantStatement, targets: DeclaredObject[], catalog: Catalog, reporter: Reporter): ExclusionUse[] {
  const uses: ExclusionUse[] = [];
  for (const exclusion of statement.exclusions) {
    const schema = catalog.get(exclusion.schema.value);
    if (!schema) {
      reporter.report("RC0101", `unknown schema ${quoted(exclusion.schema.value)}${didYouMean(exclusion.schema.value, catalog.keys())}`, exclusion.schema.span);
      continue;
    }
    const object = schema.objects.get(exclusion.object.value) ?? declaredPartition(schema, exclusion.object.value);
    if (!object) {
      reporter.report(
        "RC0102",
        `unknown object ${objectRef(schema.name, exclusion.object.value)}${didYouMean(exclusion.object.value, schema.objects.keys())}`,
        exclusion.object.span,
      );
      continue;
    }
    if (!targets.includes(object)) {
      reporter.report(
        "RC0601",
        `except ${objectRef(object.schema, object.name)} removes nothing: the grant is on ${objectRef(statement.target.schema.value, statement.target.object?.value)}`,
        exclusion.span,
      );
      continue;
    }
    let columns: Set<string> | undefined;
    if (exclusion.columns) {
      columns = new Set();
      for (const column of exclusion.columns) {
        if (hasColumn(object, column.value)) columns.add(column.value);
        else reportUnknownColumn(column, object, reporter);
      }
      if (columns.size === 0) continue;
    }
    uses.push({ exclusion, object, columns, used: false, usedColumns: new Set() });
  }
  return uses;
}

/**
 * What is left of a grant once exclusions are applied: undefined (whole object), a column list,
 * or null when nothing is left. Column exclusions narrow only the verbs that work per column;
 * delete, truncate and trigger act on whole rows and are left as they are.
 */
export function applyExclusions(
  verb: Verb,
  object: DeclaredObject,
  columns: readonly string[] | undefined,
  exclusions: ExclusionUse[],
): readonly string[] | undefined | null {
  let result = columns;
  for (const use of exclusions) {
    if (use.object !== object) continue;
    if (!use.columns) {
      use.used = true;
      return null;
    }
    if (!columnVerbs.has(verb)) continue;
    const current = result ?? object.columns;
    const kept = current.filter((c) => {
      if (!use.columns!.has(c)) return true;
      use.usedColumns.add(c);
      return false;
    });
    if (kept.length < current.length) use.used = true;
    result = kept;
    if (kept.length === 0) return null;
  }
  return result;
}

/** An exclusion that removed nothing, or some of whose columns removed nothing (RC0601). */
export function reportUnusedExclusion(use: ExclusionUse, statement: GrantStatement, reporter: Reporter): void {
  const hasColumnVerb = statement.privileges.some((p) => p.verb === "all" || (columnVerbs as ReadonlySet<string>).has(p.verb));
  const verbs = statement.privileges.map((p) => p.verb).join(", ");
  const ref = objectRef(use.object.schema, use.object.name);
  if (!use.used) {
    const columnsText = use.columns ? `(${[...use.columns].map(formatName).join(", ")})` : "";
    const why = use.columns && !hasColumnVerb ? `: ${verbs} ${verbs.includes(",") ? "act" : "acts"} on whole rows, so a column exclusion cannot narrow ${verbs.includes(",") ? "them" : "it"}` : " from this grant";
    reporter.report("RC0601", `except ${ref}${columnsText} removes nothing${why}; remove it`, use.exclusion.span);
    return;
  }
  const unused = use.columns ? [...use.columns].filter((c) => !use.usedColumns.has(c)) : [];
  if (unused.length > 0) {
    reporter.report("RC0601", `except removes nothing for column${unused.length > 1 ? "s" : ""} ${unused.map(quoted).join(", ")} of ${ref}: the grant does not cover ${unused.length > 1 ? "them" : "it"}`, use.exclusion.span);
  }
}
