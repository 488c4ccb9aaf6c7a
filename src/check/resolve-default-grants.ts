import type { DefaultGrantStatement, Privilege } from "../syntax/ast.js";
import { defaultObjectsOrder, defaultVerbsByObjects, type DefaultObjects, type DefaultVerb } from "../model/verbs.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import type { Catalog } from "./declare-objects.js";
import { quoted, type Reporter } from "./reporter.js";
import { reportDuplicateVerbs, reportServerVerbElsewhere } from "./resolve-grants.js";
import { declaredSchema } from "./resolve-schema-grants.js";

/** One default privilege for one grantee, as a `... on future KIND ... created by ROLE` line asks for it. */
export interface DefaultGrantAtom {
  readonly role: string;
  readonly creator: string;
  readonly schema: string | null;
  readonly objects: DefaultObjects;
  readonly verb: DefaultVerb;
  readonly statement: DefaultGrantStatement;
  readonly privilege: Privilege;
}

/** Words a reader may well write for a kind of object, and what the language calls it. */
const otherWords: Record<string, string> = {
  routines: "functions (which covers procedures)",
  procedures: "functions (which covers procedures)",
  views: "tables (which covers views, materialized views and foreign tables)",
  domains: "types (which covers domains)",
};

/**
 * Expands `select, insert on future tables in schema s created by c` into atoms. The kind of
 * object must be one ALTER DEFAULT PRIVILEGES knows, the schema declared, and each verb one the
 * kind takes (never per column). A line for the creator itself grants nothing: the creator owns
 * what it creates.
 */
export function resolveDefaultGrant(role: string, statement: DefaultGrantStatement, catalog: Catalog, reporter: Reporter): DefaultGrantAtom[] {
  const word = statement.objects.value;
  const objects = defaultObjectsOrder.find((o) => o === word);
  if (!objects) {
    const hint = otherWords[word] ? `; write ${otherWords[word]}` : didYouMean(word, defaultObjectsOrder);
    reporter.report("RC0112", `unknown kind of object ${quoted(word)} for default privileges${hint}; future objects are ${defaultObjectsOrder.join(", ")}`, statement.objects.span);
    return [];
  }
  let schema: string | null = null;
  if (statement.schema) {
    if (objects === "schemas") {
      reporter.report("RC0406", "schemas are not created in a schema: write `on future schemas created by ROLE`, without `in schema`", statement.schema.span);
      return [];
    }
    const declared = declaredSchema(statement.schema, catalog, reporter);
    if (!declared) return [];
    schema = declared.name;
  }
  // The creator need not be declared (it most often owns the tables, which a declared role may
  // not); one the files do not declare must exist when the program is applied. Reserved names
  // are refused by the rule that judges every role name.
  const creator = statement.creator.value;
  if (creator === role) {
    reporter.report("RC0805", `${quoted(role)} owns what it creates, and so holds every privilege on it: the line grants nothing, and is left out`, statement.span);
    return [];
  }
  reportDuplicateVerbs(statement.privileges, reporter);
  const takes = defaultVerbsByObjects[objects];
  const atoms: DefaultGrantAtom[] = [];
  for (const privilege of statement.privileges) {
    if (reportServerVerbElsewhere(privilege, reporter)) continue;
    if (privilege.columns) {
      reporter.report("RC0402", `default privileges are given on whole objects; remove the column list`, privilege.span);
      continue;
    }
    if (privilege.verb !== "all" && !takes.includes(privilege.verb as DefaultVerb)) {
      reporter.report("RC0401", `${privilege.verb} does not apply to ${objects}; future ${objects} take ${takes.join(", ")}`, privilege.span);
      continue;
    }
    const verbs = privilege.verb === "all" ? takes : [privilege.verb as DefaultVerb];
    for (const verb of verbs) atoms.push({ role, creator, schema, objects, verb, statement, privilege });
  }
  return atoms;
}
