import type { ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";
import type { ServerVerb } from "../../model/verbs.js";

/** What each server privilege lets a role do beyond its grants on tables. */
const reachOf: Record<ServerVerb, string> = {
  process: "see every session's statements, with the values they hold",
  replication_client: "see the binary log's positions and the server's replication state",
  replication_slave: "read the binary log: every change to every table, append-only tables and columns no line grants included",
  show_databases: "list every database on the server",
};

// Reports each privilege a line grants on the whole server (RC0408): each reaches past the grants
// on tables, so a reviewer should confirm the role needs it.
export function powerfulServerPrivilegesRule({ roles }: ResolvedProgram, reporter: Reporter): void {
  for (const [name, role] of roles) {
    for (const item of role.block.items) {
      if (item.kind !== "ServerGrant") continue;
      for (const privilege of item.privileges) {
        const reach = privilege.columns ? undefined : (reachOf as Record<string, string | undefined>)[privilege.verb];
        if (reach) reporter.report("RC0408", `role ${quoted(name)} is given ${privilege.verb} on the server, which lets it ${reach}; make sure it needs it`, privilege.span);
      }
    }
  }
}
