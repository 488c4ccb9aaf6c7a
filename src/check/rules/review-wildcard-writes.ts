import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";
import { formatName } from "../../syntax/names.js";
import { grantLines, writeVerbs } from "./review-grant-lines.js";

// Reports write access through a wildcard (RC1002): `insert, update, delete or truncate on s.*`
// (or `all on s.*`) reaches every table a later change adds to the schema, unreviewed.
export function reviewWildcardWritesRule(program: ResolvedProgram, reporter: Reporter): void {
  for (const { owner, statement } of grantLines(program)) {
    if (statement.target.object !== undefined) continue;
    const writes = statement.privileges.filter((p) => p.verb === "all" || writeVerbs.has(p.verb));
    if (writes.length === 0) continue;
    reporter.report(
      "RC1002",
      `${owner} holds ${writes.map((p) => p.verb).join(", ")} on every table of schema ${formatName(statement.target.schema.value)} through a wildcard, those added later included; name the tables it writes`,
      statement.target.span,
    );
  }
}
