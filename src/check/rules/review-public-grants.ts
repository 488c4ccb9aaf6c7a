import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";

// Reports every grant line of a `public` block (RC1007): PUBLIC is every role, declared or not,
// those created later included, so each such line deserves a reviewer's look.
export function reviewPublicGrantsRule({ publicBlocks }: ResolvedProgram, reporter: Reporter): void {
  for (const block of publicBlocks) {
    for (const item of block.items) {
      if (item.kind === "Membership" || item.kind === "Setting") continue;
      reporter.report("RC1007", "this line grants to PUBLIC, and so to every role, those created later included; grant it to the roles that need it unless everyone should", item.span);
    }
  }
}
