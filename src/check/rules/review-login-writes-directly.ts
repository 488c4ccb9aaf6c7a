import type { ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";
import { writeVerbs } from "./review-grant-lines.js";

// Reports a login role that holds writes by its own lines (RC1003), once per role at its first
// such line: privileges given to a named (NOLOGIN) role that the login is a member of can be
// reviewed, shared and taken away as one.
export function reviewLoginWritesDirectlyRule({ roles }: ResolvedProgram, reporter: Reporter): void {
  for (const [name, role] of roles) {
    if (!role.login || role.external) continue;
    const lines = role.block.items.filter((item) => item.kind === "Grant" && item.privileges.some((p) => p.verb === "all" || writeVerbs.has(p.verb)));
    if (lines.length === 0) continue;
    const more = lines.length > 1 ? ` (and ${lines.length - 1} more line${lines.length === 2 ? "" : "s"})` : "";
    reporter.report("RC1003", `login role ${quoted(name)} holds writes by its own lines, this one${more}; grant them to a role without login and make ${quoted(name)} a member of it`, lines[0]!.span);
  }
}
