import type { ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";

// Reports a host MySQL/MariaDB cannot use (RC0909): MySQL keeps hosts in lower case and at most 255 characters, MariaDB refuses a backslash in SET DEFAULT ROLE and an @ anywhere, and an empty host names no place.
export function mysqlUsableHostsRule({ roleBlocks }: ResolvedProgram, reporter: Reporter): void {
  for (const role of roleBlocks) {
    for (const option of role.options) {
      if (option.kind !== "Host") continue;
      const host = option.host.value;
      if (host === host.toLowerCase() && !host.includes("\\") && !host.includes("@") && host.trim() !== "" && [...host].length <= 255) continue;
      reporter.report(
        "RC0909",
        `host ${quoted(host)} cannot be used: MySQL keeps hosts in lower case, at most 255 characters, and MariaDB refuses a backslash or an @ in one; write it in lower case, without backslashes or @`,
        option.host.span,
      );
    }
  }
}
