import type { Name } from "../syntax/ast.js";
import type { DeclaredRole } from "./declare-roles.js";
import { didYouMean } from "./did-you-mean.js";
import { quoted, type Reporter } from "./reporter.js";
import { compareText } from "../model/ir.js";

/**
 * Resolves `member of` lines to each role's direct parents. Unknown parents are RC0201;
 * a chain of memberships that leads back to where it started is RC0202, reported once per cycle.
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

function reportCycles(parents: Map<string, string[]>, edgeNames: Map<string, Name>, reporter: Reporter): void {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (role: string): void => {
    state.set(role, "open");
    stack.push(role);
    for (const parent of parents.get(role) ?? []) {
      const s = state.get(parent);
      if (s === "open") {
        const cycle = [...stack.slice(stack.indexOf(parent)), parent];
        const closing = edgeNames.get(`${role}\u0000${parent}`)!;
        reporter.report(
          "RC0202",
          `membership cycle: ${cycle.map(quoted).join(" → ")}; a role cannot be a member of itself, directly or through others`,
          closing.span,
        );
      } else if (s === undefined) visit(parent);
    }
    stack.pop();
    state.set(role, "done");
  };
  for (const role of [...parents.keys()].sort(compareText)) if (!state.has(role)) visit(role);
}
