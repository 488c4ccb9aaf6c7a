import type { DeclaredRole } from "./declare-roles.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { quoted, type Reporter } from "./reporter.js";
import { compareText } from "../model/ir.js";
import { formatName } from "../syntax/names.js";
import { predefinedRoles } from "../model/predefined-roles.js";

/**
 * Resolves `member of` lines to each role's direct parents, PostgreSQL's predefined roles among
 * them (those that bypass grants or the server's bounds are RC0204). Unknown parents are RC0201; a parent
 * that is external is RC0203, whether the child is owned or external too: the one membership a
 * program declares with an external role is that role's own, in a role the program owns.
 * Cycles are kept: the rule that reports them (RC0202) needs the whole graph.
 */
export function resolveMemberships(roles: Map<string, DeclaredRole>, reporter: Reporter): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const [name, role] of roles) {
    const list: string[] = [];
    for (const item of role.block.items) {
      if (item.kind !== "Membership") continue;
      for (const parent of item.parents) {
        const predefined = predefinedRoles.get(parent.value);
        if (predefined && !roles.has(parent.value)) {
          if (predefined.use === "refuse") {
            reporter.report("RC0204", `role ${quoted(name)} cannot be a member of ${parent.value}: it ${predefined.why}`, parent.span);
          } else if (role.external) {
            reporter.report(
              "RC0203",
              `external role ${quoted(name)} cannot be made a member of ${parent.value} here: this program manages only an external role's memberships in roles it owns`,
              parent.span,
            );
          } else if (!list.includes(parent.value)) list.push(parent.value);
          continue;
        }
        if (!roles.has(parent.value)) {
          reporter.report(
            "RC0201",
            `unknown role ${quoted(parent.value)} in member of${didYouMean(parent.value, [...roles.keys(), ...predefinedRoles.keys()])}; declare it with a role block`,
            parent.span,
          );
          continue;
        }
        const parentRole = roles.get(parent.value)!;
        if (parentRole.external) {
          reporter.report(
            "RC0203",
            role.external
              ? `external role ${quoted(name)} cannot be a member of ${quoted(parent.value)}, which is external too: this program manages only an external role's memberships in roles it owns; declare this membership in the program that owns ${quoted(parent.value)}`
              : `role ${quoted(name)} cannot be a member of ${quoted(parent.value)}, which is external: that role's memberships are managed by the program that owns it; declare \`external role ${formatName(name)} { member of ${formatName(parent.value)} }\` in that program instead`,
            parent.span,
          );
          continue;
        }
        if (list.includes(parent.value)) continue;
        list.push(parent.value);
      }
    }
    parents.set(name, list.sort(compareText));
  }
  return parents;
}
