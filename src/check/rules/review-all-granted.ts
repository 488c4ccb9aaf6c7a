import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";
import { grantLines } from "./review-grant-lines.js";

// Reports a line that grants `all` (RC1001): every verb of the object's kind, today's and, on a
// later PostgreSQL, tomorrow's, is more than a role usually needs; naming the verbs says what it does.
export function reviewAllGrantedRule(program: ResolvedProgram, reporter: Reporter): void {
  for (const { owner, statement } of grantLines(program)) {
    const all = statement.privileges.find((p) => p.verb === "all");
    if (!all) continue;
    reporter.report("RC1001", `${owner} is granted all on ${statement.target.object === undefined ? "every table and view of the schema" : "the object"}; name the verbs it needs (select, insert, ...)`, all.span);
  }
}
