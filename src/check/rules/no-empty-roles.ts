import type { ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";

// Reports a role with no grants and no memberships (RC0803): it can do nothing, so it is most likely unfinished or left over.
export function noEmptyRolesRule({ roles, filesWithSyntaxErrors }: ResolvedProgram, reporter: Reporter): void {
  for (const [name, role] of roles) {
    // An external role without grants or memberships here is a reference, not an empty role; a
    // role whose body lost lines to a syntax error is not empty either: the syntax error says why.
    // Settings alone give a role nothing to do.
    if (role.external || role.block.items.some((i) => i.kind !== "Setting") || filesWithSyntaxErrors.has(role.block.span.file)) continue;
    reporter.report("RC0803", `role ${quoted(name)} has no grants and is a member of no role, so it can do nothing; give it a grant or remove it`, role.block.name.span);
  }
}
