import { compareText } from "../../../model/ir.js";
import { databasePatternMatches, type MysqlLive } from "../catalog/read-mysql.js";
import { compositeKey } from "../../../model/composite-key.js";
import { mysqlRoutineMatchKey } from "../catalog/read-mysql-routines.js";

/**
 * What an account or role holds on the declared objects, in the words a plan prints: its own
 * table and column privileges on them and on the declared routines, database-wide grants that cover a declared database, its
 * global privileges, and, through every role granted to it (and theirs), what those hold. Used
 * to say what a path the .roles files do not describe (a role granted to PUBLIC, an account
 * matched before a declared one) actually gives.
 */
export type ReachOf = (user: string, host: string) => string[];

export function reachOnDeclared(live: MysqlLive, declaredObjects: ReadonlySet<string>, declaredDatabases: readonly string[], declaredRoutines: ReadonlySet<string> = new Set()): ReachOf {
  const roleHost = live.mariadb ? "" : "%";
  const own = new Map<string, string[]>();
  const add = (user: string, host: string, what: string) => {
    const key = compositeKey(user, host);
    own.set(key, [...(own.get(key) ?? []), what]);
  };
  for (const row of live.privileges) {
    if (!declaredObjects.has(compositeKey(row.db, row.table))) continue;
    const what = [...row.privileges, ...(row.grantOption ? ["GRANT OPTION"] : [])].join(", ");
    if (what) add(row.user, row.host, `${what}${row.column !== null ? ` (${row.column})` : ""} on ${row.db}.${row.table}`);
  }
  for (const r of live.routinePrivileges) {
    if (!declaredRoutines.has(mysqlRoutineMatchKey(r.db, r.kind, r.name))) continue;
    const what = [...r.privileges, ...(r.grantOption ? ["GRANT OPTION"] : [])].join(", ");
    if (what) add(r.user, r.host, `${what} on ${r.kind} ${r.db}.${r.name}`);
  }
  for (const d of live.databaseGrants) {
    if (!declaredDatabases.some((db) => databasePatternMatches(d.pattern, db))) continue;
    add(d.user, d.host, `${[...d.privileges, ...(d.grantOption ? ["GRANT OPTION"] : [])].join(", ")} on ${d.pattern}.*`);
  }
  for (const p of live.principals) {
    const what = [...p.globalPrivileges, ...(p.globalGrantOption ? ["GRANT OPTION"] : [])].join(", ");
    if (what) add(p.user, p.host, `${what} on *.*`);
  }

  return (user, host) => {
    const found: string[] = [];
    // Roles can be granted in a cycle on MariaDB; each is followed once.
    const seen = new Set<string>();
    const visit = (u: string, h: string, through: string | null) => {
      const key = compositeKey(u, h);
      if (seen.has(key)) return;
      seen.add(key);
      for (const what of own.get(key) ?? []) found.push(through === null ? what : `${what} (through role ${through})`);
      for (const e of live.edges.filter((e) => e.child === u && e.childHost === h).sort((a, b) => compareText(a.parent, b.parent))) {
        visit(e.parent, roleHost, through ?? e.parent);
      }
    };
    visit(user, host, null);
    return found;
  };
}
