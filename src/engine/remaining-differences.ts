import { terminalValue } from "../diagnostics/terminal-text.js";
import type { PlanChange } from "./plan.js";
import type { PlannedStatement } from "./plan.js";
import { describeChange } from "./describe-change.js";
import { compositeKey } from "../model/composite-key.js";

/** Enough to see the pattern; the rest is counted, and `rolec plan` lists them all. */
const shownAtMost = 10;

/**
 * When apply's re-read still differs from the files: each difference as plan describes it, and
 * the statement of the plan that ran and should have made it (or that none did), one indented
 * line each, so the report names what did not take and what was run for it.
 */
export function remainingDifferences(remaining: readonly PlanChange[], ran: readonly PlannedStatement[]): string[] {
  const said = (c: PlanChange) => compositeKey(c.kind, c.role ?? "", describeChange(c));
  const lines = remaining.slice(0, shownAtMost).flatMap((change) => {
    const statement = ran.find((s) => said(s.change) === said(change));
    return [
      `  ${change.kind} ${terminalValue(change.role ?? `${change.schema}.${change.table}`)}: ${terminalValue(describeChange(change))}`,
      statement ? `    after running: ${terminalValue(oneLine(statement.sql))}` : "    no statement of the plan was for it",
    ];
  });
  if (remaining.length > shownAtMost) lines.push(`  and ${remaining.length - shownAtMost} more`);
  return lines;
}

function oneLine(sql: string): string {
  return sql.replace(/\s*\n\s*/g, " ");
}
