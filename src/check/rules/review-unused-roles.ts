import type { ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";

// Reports a role nothing uses (RC1004): it cannot log in and no role is its member, so what it
// holds reaches no session. Empty roles are RC0803's; external roles are used by another program.
export function reviewUnusedRolesRule({ roles, parents }: ResolvedProgram, reporter: Reporter): void {
  const withMembers = new Set([...parents.values()].flat());
  for (const [name, role] of roles) {
    if (role.login || role.external || withMembers.has(name)) continue;
    if (!role.block.items.some((i) => i.kind !== "Setting")) continue;
    reporter.report("RC1004", `role ${quoted(name)} cannot log in and no role is its member, so what it holds reaches no one; make a login role a member of it, or remove it`, role.block.name.span);
  }
}
