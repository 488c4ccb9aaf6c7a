import { compareText } from "../model/ir.js";
import { forbiddenParameters, isParameterName, listParameters, type RoleSetting } from "../model/role-settings.js";
import type { RoleBlock } from "../syntax/ast.js";
import { quoted, type Reporter } from "./reporter.js";

/** Characters no value may hold: they would end a SQL literal's line in a comment or hide text on a terminal. */
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * A role's `set` lines, as the settings it gets in every database and in this one (`in database`). A line that cannot be taken is reported and left
 * out: a parameter set twice (RC0311), a name that is not a parameter's or a value that no
 * parameter takes (RC0312), a parameter that changes who the session is (RC0313), any on an
 * external role (RC0308, its settings are its owner's).
 */
export function declareSettings(block: RoleBlock, reporter: Reporter): { settings: RoleSetting[]; databaseSettings: RoleSetting[] } {
  const name = block.name.value;
  const everywhere = new Map<string, RoleSetting>();
  const inDatabase = new Map<string, RoleSetting>();
  for (const item of block.items) {
    if (item.kind !== "Setting") continue;
    const parameter = item.parameter.value.toLowerCase();
    if (block.external) {
      reporter.report(
        "RC0308",
        `external role ${quoted(name)} sets ${parameter}, but an external role's settings belong to the program that manages it; set it there and remove it here`,
        item.span,
      );
      continue;
    }
    if (!isParameterName(parameter)) {
      reporter.report("RC0312", `${quoted(item.parameter.value)} is not a parameter name: use a name such as statement_timeout, or two joined by a dot for a custom one (app.tenant)`, item.parameter.span);
      continue;
    }
    if (forbiddenParameters.has(parameter)) {
      reporter.report(
        "RC0313",
        `role ${quoted(name)} cannot be given ${parameter}: it would make every session of the role act as another role, with what that role holds; grant what it needs instead`,
        item.parameter.span,
      );
      continue;
    }
    if (item.values.length > 1 && !listParameters.has(parameter)) {
      reporter.report("RC0312", `${parameter} takes one value, not ${item.values.length}; only a list parameter such as search_path takes several`, item.values[1]!.span);
      continue;
    }
    const bad = item.values.find((v) => controlCharacters.test(v.value));
    if (bad) {
      reporter.report("RC0312", `the value of ${parameter} holds a control character or line break, which no setting needs; remove it`, bad.span);
      continue;
    }
    // Once for every database and once `in database` is two settings, as PostgreSQL keeps them.
    const settings = item.inDatabase ? inDatabase : everywhere;
    if (settings.has(parameter)) {
      reporter.report("RC0311", `role ${quoted(name)} sets ${parameter}${item.inDatabase ? " in database" : ""} twice; keep one`, item.span);
      continue;
    }
    settings.set(parameter, { parameter, values: item.values.map((v) => v.value) });
  }
  const sorted = (m: Map<string, RoleSetting>) => [...m.values()].sort((a, b) => compareText(a.parameter, b.parameter));
  return { settings: sorted(everywhere), databaseSettings: sorted(inDatabase) };
}
