import type { Name, Privilege, SchemaGrantStatement } from "../syntax/ast.js";
import type { SchemaVerb } from "../model/verbs.js";
import { schemaVerbOrder } from "../model/verbs.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import type { Catalog } from "./declare-objects.js";
import { objectRef, quoted, type Reporter } from "./reporter.js";
import { formatName } from "../syntax/names.js";
import { reportDuplicateVerbs, reportServerVerbElsewhere } from "./resolve-grants.js";

/** One privilege on one schema for one role, as a `... on schema s` line asks for it. */
export interface SchemaGrantAtom {
  readonly role: string;
  readonly schema: string;
  readonly verb: SchemaVerb;
  readonly statement: SchemaGrantStatement;
  readonly privilege: Privilege;
}

/** The schema a line names when it is the schema itself, or RC0101 with a suggestion and how to declare it alone. */
export function declaredSchema(name: Name, catalog: Catalog, reporter: Reporter): { readonly name: string } | undefined {
  const schema = catalog.get(name.value);
  if (!schema) {
    reporter.report(
      "RC0101",
      `unknown schema ${quoted(name.value)}${didYouMean(name.value, catalog.keys())}; declare it with a schema block (\`schema ${formatName(name.value)} {}\` declares it alone)`,
      name.span,
    );
  }
  return schema;
}

/**
 * Expands `usage, create on schema s` into atoms. The schema must be declared (a `schema` block,
 * empty or not, or the snapshot); only usage, create and all (both) apply, and never per column.
 */
export function resolveSchemaGrant(role: string, statement: SchemaGrantStatement, catalog: Catalog, reporter: Reporter): SchemaGrantAtom[] {
  const schema = declaredSchema(statement.schema, catalog, reporter);
  if (!schema) return [];
  reportDuplicateVerbs(statement.privileges, reporter);
  const atoms: SchemaGrantAtom[] = [];
  for (const privilege of statement.privileges) {
    if (reportServerVerbElsewhere(privilege, reporter)) continue;
    if (privilege.columns) {
      reporter.report("RC0402", `${privilege.verb} on a schema cannot be limited to columns; remove the column list`, privilege.span);
      continue;
    }
    if (privilege.verb === "connect" || privilege.verb === "temporary") {
      reporter.report("RC0401", `${privilege.verb} does not apply to a schema; it is granted on the database: \`${privilege.verb} on database\``, privilege.span);
      continue;
    }
    if (privilege.verb !== "all" && privilege.verb !== "usage" && privilege.verb !== "create") {
      reporter.report(
        "RC0401",
        `${privilege.verb} does not apply to a schema; a schema takes ${schemaVerbOrder.join(", ")}. To grant ${privilege.verb} on its ${privilege.verb === "execute" ? "functions and procedures" : "tables and views"}, write \`${privilege.verb} on ${objectRef(statement.schema.value)}\``,
        privilege.span,
      );
      continue;
    }
    const verbs: readonly SchemaVerb[] = privilege.verb === "all" ? schemaVerbOrder : [privilege.verb];
    for (const verb of verbs) atoms.push({ role, schema: schema.name, verb, statement, privilege });
  }
  return atoms;
}
