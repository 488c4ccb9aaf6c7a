import { quoteMysqlGrantee, quoteMysqlIdent } from "../quote.js";
import { compareText } from "../../../model/ir.js";
import { PUBLIC } from "../../../model/permission-state.js";
import type { Blocker } from "../../plan.js";
import { fromWhere, matchedBefore } from "../catalog/account-matching.js";
import type { MysqlExternal, MysqlPrincipal } from "./desired-mysql.js";
import type { ReachOf } from "./reach-mysql.js";
import { databasePatternMatches, type MysqlLive } from "../catalog/read-mysql.js";
import { mysqlRoutineMatchKey } from "../catalog/read-mysql-routines.js";

/**
 * Paths by which a login gets more on the declared objects than the .roles files give, that a
 * plan cannot take away without touching what the files do not manage: a role granted to PUBLIC
 * (every account holds it, and it may serve objects the files do not declare), an anonymous
 * account holding something there (anyone logging in under a name without an account of its own
 * gets it), and an account the server matches before a declared one (a login as the declared
 * account gets that account's privileges instead). Each is a blocker: apply refuses until a
 * person revokes or drops it, and plan never says "No changes" while one is there.
 */
export function loginPathBlockers(
  live: MysqlLive,
  principals: ReadonlyMap<string, MysqlPrincipal>,
  reachOf: ReachOf,
  externals: ReadonlyMap<string, MysqlExternal> = new Map(),
): Blocker[] {
  const blockers: Blocker[] = [];
  const roleHost = live.mariadb ? "" : "%";
  const listed = (reach: readonly string[]) => reach.join("; ");

  for (const e of live.edges.filter((e) => e.child === PUBLIC && e.childHost === "").sort((a, b) => compareText(a.parent, b.parent))) {
    // An external role granted to PUBLIC is one too: every account would hold what the files grant it.
    const declared = principals.get(e.parent) ?? (externals.has(e.parent) ? { desired: { span: externals.get(e.parent)!.span } } : undefined);
    const reach = reachOf(e.parent, roleHost);
    if (!declared && reach.length === 0) continue; // it reaches nothing the files declare: not theirs to judge
    const role = quoteMysqlIdent(e.parent);
    blockers.push({
      what: `role ${role}${declared ? ", which the .roles files declare," : ""} is granted to PUBLIC, so every account holds ${reach.length > 0 ? `what it reaches: ${listed(reach)}` : "what it is granted"}`,
      hint: `REVOKE ${role} FROM PUBLIC (the .roles files never grant to PUBLIC)${declared ? "" : ", or revoke those privileges from it"}`,
      ...(declared?.desired.span ? { span: declared.desired.span } : {}),
    });
  }

  const accounts = [...principals].filter(([, p]) => p.isAccount);
  for (const other of live.principals) {
    if (other.isRole || other.user === PUBLIC) continue;
    const shadowed = accounts.filter(([name, p]) => (other.user === "" || other.user === name) && matchedBefore(other.host, p.host));
    const reach = shadowed.length > 0 || other.user === "" ? reachOf(other.user, other.host) : [];
    const who = quoteMysqlGrantee(other.user, other.host);
    const holds = reach.length > 0 ? `its privileges (${listed(reach)})` : "its privileges (none on the declared objects)";
    for (const [name, p] of shadowed) {
      blockers.push({
        what: `${other.user === "" ? "anonymous account " : ""}${who} is matched before ${quoteMysqlGrantee(name, p.host)} when ${name} logs in from ${fromWhere(other.host)}: such a login gets ${holds}, not the declared account's`,
        hint: `DROP USER ${who}${other.user === "" ? " (anonymous accounts are what mysql_secure_installation removes)" : `, or declare ${name} with that host instead`}`,
        ...(p.desired.span ? { span: p.desired.span } : {}),
      });
    }
    if (other.user === "" && shadowed.length === 0 && reach.length > 0) {
      blockers.push({
        what: `anonymous account ${who} holds ${listed(reach)}: anyone who logs in from ${fromWhere(other.host)} under a name without an account of its own gets it`,
        hint: `DROP USER ${who}, or revoke those privileges from it`,
      });
    }
  }
  return blockers;
}

/**
 * MariaDB only: an account named like a declared role, on a host that also matches the empty host
 * a role has ('%'), lends the role its database-wide and routine grants: MariaDB matches the role
 * against the account's mysql.db and mysql.procs_priv rows (not its table or global ones). The
 * role, and every account that holds it, then gets them. The account is not the files' to
 * change, so it blocks, like the paths above.
 */
export function sameNameAccountBlockers(
  live: MysqlLive,
  principals: ReadonlyMap<string, MysqlPrincipal>,
  declaredDatabases: readonly string[],
  declaredRoutines: ReadonlySet<string> = new Set(),
): Blocker[] {
  if (!live.mariadb) return [];
  const blockers: Blocker[] = [];
  for (const other of live.principals) {
    const declared = principals.get(other.user);
    if (other.isRole || !declared || declared.isAccount || !databasePatternMatches(other.host, "")) continue;
    const grants = live.databaseGrants.filter((d) => d.user === other.user && d.host === other.host && declaredDatabases.some((db) => databasePatternMatches(d.pattern, db)));
    const onRoutines = live.routinePrivileges.filter((r) => r.user === other.user && r.host === other.host && declaredRoutines.has(mysqlRoutineMatchKey(r.db, r.kind, r.name)));
    if (grants.length === 0 && onRoutines.length === 0) continue;
    const who = quoteMysqlGrantee(other.user, other.host);
    const held = [
      ...grants.map((d) => `${[...d.privileges, ...(d.grantOption ? ["GRANT OPTION"] : [])].join(", ")} on ${d.pattern}.*`),
      ...onRoutines.map((r) => `${[...r.privileges, ...(r.grantOption ? ["GRANT OPTION"] : [])].join(", ")} on ${r.kind} ${r.db}.${r.name}`),
    ].join("; ");
    blockers.push({
      what: `account ${who} has the name of role ${quoteMysqlIdent(other.user)}, which the .roles files declare, and MariaDB gives the role (and every account that holds it) that account's database-wide and routine grants: ${held}`,
      hint: `DROP USER ${who}, or revoke those grants from it`,
      ...(declared.desired.span ? { span: declared.desired.span } : {}),
    });
  }
  return blockers;
}
