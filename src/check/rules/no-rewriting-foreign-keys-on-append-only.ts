import type { ResolvedProgram } from "../resolved-program.js";
import { objectRef, type Reporter } from "../reporter.js";

/** Actions that change the referencing rows when the referenced row changes. */
const rewriting = new Set(["cascade", "set null", "set default"]);

// Reports on delete/update cascade, set null or set default on a key from an append-only table (RC0503): MySQL fires no trigger for such a change, so audit rows would change unseen, and on PostgreSQL the trigger refuses it, so the referenced row could never change.
export function noRewritingForeignKeysOnAppendOnlyRule({ schemaBlocks, catalog }: ResolvedProgram, reporter: Reporter): void {
  for (const block of schemaBlocks) {
    for (const key of block.foreignKeys) {
      const child = catalog.get(block.name.value)?.objects.get(key.table.value);
      if (child?.kind !== "table" || !child.appendOnly) continue;
      for (const action of key.actions) {
        if (!rewriting.has(action.action)) continue;
        reporter.report(
          "RC0503",
          `on ${action.event} ${action.action} would change rows of append-only table ${objectRef(child.schema, child.name)}: MySQL fires no trigger for it, and on PostgreSQL the trigger refuses it, so the referenced row could never be ${action.event === "delete" ? "deleted" : "updated"}; use restrict or no action`,
          action.span,
        );
      }
    }
  }
}
