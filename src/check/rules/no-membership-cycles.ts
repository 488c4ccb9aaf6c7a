import type { Name } from "../../syntax/ast.js";
import { compareText } from "../../model/ir.js";
import type { DeclaredRole } from "../declare-roles.js";
import type { ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";

// Reports roles that are members of each other in a circle (RC0202), once per cycle: PostgreSQL refuses such grants.
export function noMembershipCyclesRule({ roles, parents }: ResolvedProgram, reporter: Reporter): void {
  // Depth-first search with an explicit stack, so a long chain of roles cannot overflow the call stack.
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
          membershipName(roles.get(role)!, parent).span,
        );
      } else if (s === undefined) {
        state.set(parent, "open");
        path.push(parent);
        nextParent.push(0);
      }
    }
  }
}

/** Where the role names `parent` in its `member of` lines: the first time, as a parent named twice counts once. */
function membershipName(role: DeclaredRole, parent: string): Name {
  for (const item of role.block.items) {
    if (item.kind !== "Membership") continue;
    const found = item.parents.find((p) => p.value === parent);
    if (found) return found;
  }
  throw new Error(`role ${role.block.name.value} names no parent ${parent}`);
}
