import type { ResolvedProgram } from "../resolved-program.js";
import type { Reporter } from "../reporter.js";

// Reports `member of`, `set` and `... on server` in a `public` block (RC0314): PUBLIC is every role
// at once, so it is a member of nothing, takes no settings and no server privilege; only grants on
// objects, schemas and the database say what it holds.
export function publicTakesGrantsOnlyRule({ publicBlocks }: ResolvedProgram, reporter: Reporter): void {
  for (const block of publicBlocks) {
    for (const item of block.items) {
      if (item.kind === "Membership") {
        reporter.report("RC0314", "PUBLIC cannot be a member of a role: it stands for every role; grant what every role needs in the public block itself", item.span);
      } else if (item.kind === "Setting") {
        reporter.report("RC0314", "PUBLIC takes no settings: set them on the roles that need them (`set` in a role block)", item.span);
      } else if (item.kind === "ServerGrant") {
        reporter.report("RC0314", "PUBLIC is given no privilege on the whole server, which would reach every account: grant it to the roles that need it", item.span);
      }
    }
  }
}
