import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";

// Reports `member of` and `set` in a `public` block (RC0314): PUBLIC is every role at once, so it
// is a member of nothing and takes no settings; only grants say what it holds.
export function publicTakesGrantsOnlyRule({ publicBlocks }: ResolvedProgram, reporter: Reporter): void {
  for (const block of publicBlocks) {
    for (const item of block.items) {
      if (item.kind === "Membership") {
        reporter.report("RC0314", "PUBLIC cannot be a member of a role: it stands for every role; grant what every role needs in the public block itself", item.span);
      } else if (item.kind === "Setting") {
        reporter.report("RC0314", "PUBLIC takes no settings: set them on the roles that need them (`set` in a role block)", item.span);
      }
    }
  }
}
