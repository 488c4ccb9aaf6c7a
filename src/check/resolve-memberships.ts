import type { Name } from "../syntax/ast.js";
import type { DeclaredRole } from "./declare-roles.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { quoted, type Reporter } from "./reporter.js";
import { compareText } from "../model/ir.js";
import { formatName } from "../syntax/names.js";

/**
 * Resolves `member of` lines to each role's direct parents. Unknown parents are RC0201; a parent
 * that is external is RC0203, whether the child is owned or external too: the one membership a
 * program declares with an external role is that role's own, in a role the program owns. A
 * chain of memberships that leads back to where it started is RC0202, reported once per cycle.
 */
export function resolveMemberships(roles: Map<string, DeclaredRole>, reporter: Reporter): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  const edgeNames = new Map<string, Name>();
  for (const [name, role] of roles) {
    const list: string[] = [];
    for (const item of role.block.items) {
      if (item.kind !== "Membership") continue;
      for (const parent of item.parents) {
        if (!roles.has(parent.value)) {
          reporter.report(
            "RC0201",
            `unknown role ${quoted(parent.value)} in member of${didYouMean(parent.value, roles.keys())}; declare it with a role block`,
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
        edgeNames.set(`${name}\u0000${parent.value}`, parent);
      }
    }
    parents.set(name, list.sort(compareText));
  }
  reportCycles(parents, edgeNames, reporter);
  return parents;
}

/** Depth-first search with an explicit stack, so a long chain of roles cannot overflow the call stack. */
function reportCycles(parents: Map<string, string[]>, edgeNames: Map<string, Name>, reporter: Reporter): void {
  const state = new Map<string, "open" | "done">();
  for (const root of [...parents.keys()].sort(compareText)) {
    if (state.has(root)) continue;
    const path: string[] = [root];
    const nextParent: number[] = [0];
    state.set(root, "open");
    while (path.length > 0) {
      const role = path[path.length - 1]!;
      const list = parents.get(role) ?? [];
      const i = nextParent[nextParent.length - 1]!;
      if (i >= list.length) {
        state.set(role, "done");
        path.pop();
        nextParent.pop();
        continue;
      }
      nextParent[nextParent.length - 1] = i + 1;
      const parent = list[i]!;
      const s = state.get(parent);
      if (s === "open") {
        const cycle = [...path.slice(path.indexOf(parent)), parent];
        reporter.report(
          "RC0202",
          `membership cycle: ${cycle.map(quoted).join(" → ")}; a role cannot be a member of itself, directly or through others`,
          edgeNames.get(`${role}\u0000${parent}`)!.span,
        );
      } else if (s === undefined) {
        state.set(parent, "open");
        path.push(parent);
        nextParent.push(0);
      }
    }
  }
}
