import { undeclaredCreatorNames, type ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";

/** Names PostgreSQL reads as role specifications rather than roles. */
const reservedRoleNames = new Set(["public", "current_user", "current_role", "session_user", "none"]);

// Reports a role named public, current_user, current_role, session_user, none, pg_* or rolec_* (RC0702): PostgreSQL reserves these, and rolec_* are rolec's own roles.
export function noReservedRoleNamesRule(program: ResolvedProgram, reporter: Reporter): void {
  const names = [...[...program.roles.values()].map((role) => role.block.name), ...undeclaredCreatorNames(program)];
  for (const { value: name, span } of names) {
    const lower = name.toLowerCase();
    if (!reservedRoleNames.has(lower) && !lower.startsWith("pg_") && !lower.startsWith("rolec_")) continue;
    reporter.report("RC0702", `${quoted(name)} is a reserved role name (public, current_user, current_role, session_user, none, pg_* and rolec_*); choose another name`, span);
  }
}
