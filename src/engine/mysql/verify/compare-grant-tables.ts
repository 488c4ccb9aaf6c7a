import { mysqlGrantable } from "../capabilities.js";
import { mysqlNames } from "../script/render-mysql.js";
import { quoteMysqlGrantee } from "../quote.js";
import { objectKey, type Model } from "../../../model/ir.js";
import type { RoleMismatch } from "../../verify-report.js";
import type { MysqlSession } from "../session/mysql-session.js";
import { databasePatternMatches } from "../catalog/read-mysql.js";
import { compositeKey, splitCompositeKey } from "../../../model/composite-key.js";
import { serverPrivileges } from "../server-privileges.js";

/**
 * What statements cannot show: the grant tables themselves. Each declared role or account must
 * hold exactly its declared memberships (ADMIN OPTION only where declared), no privilege on a declared table or
 * routine beyond those declared (DROP, ALTER, ALTER ROUTINE, GRANT OPTION...), no database-wide
 * grant on a declared database and no global privilege but the server privileges declared.
 */
export async function compareGrantTables(model: Model, databases: Readonly<Record<string, string>>, admin: MysqlSession, mariadb: boolean): Promise<RoleMismatch[]> {
  const mismatches: RoleMismatch[] = [];
  const roleHost = mariadb ? "" : "%";
  const hostOf = new Map(model.roles.map((r) => [r.name, r.login ? r.host : roleHost]));
  // MariaDB 10.11 and later keep grants to PUBLIC, which reach every account, under User 'PUBLIC'.
  if (mariadb) hostOf.set("PUBLIC", "");
  const expectedEdges = new Set<string>();
  const adminEdges = new Set<string>();
  const edge = (parent: string, child: string, host: string) => compositeKey(parent, child, host);
  for (const role of model.roles) {
    for (const parent of role.memberOf) expectedEdges.add(edge(parent, role.name, hostOf.get(role.name)!));
    for (const parent of role.adminOf ?? []) adminEdges.add(edge(parent, role.name, hostOf.get(role.name)!));
    if (mariadb && role.login && role.memberOf.length > 0) {
      const loginRole = mysqlNames.loginRolePrefix + role.name;
      expectedEdges.add(edge(loginRole, role.name, role.host));
      for (const parent of role.memberOf) expectedEdges.add(edge(parent, loginRole, ""));
    }
  }
  const liveEdges = await admin.query<{ parent: string; child: string; host: string; admin: number }>(
    mariadb
      ? "SELECT Role AS parent, User AS child, Host AS host, Admin_option = 'Y' AS admin FROM mysql.roles_mapping"
      : "SELECT FROM_USER AS parent, TO_USER AS child, TO_HOST AS host, WITH_ADMIN_OPTION = 'Y' AS admin FROM mysql.role_edges",
  );
  const managed = new Set([...hostOf].map(([name, host]) => compositeKey(name, host)));
  for (const role of model.roles) if (mariadb && role.login && role.memberOf.length > 0) managed.add(compositeKey(mysqlNames.loginRolePrefix + role.name, ""));
  const seen = new Set<string>();
  for (const e of liveEdges) {
    if (!managed.has(compositeKey(e.child, e.host))) continue;
    const key = edge(e.parent, e.child, e.host);
    seen.add(key);
    if (!expectedEdges.has(key)) mismatches.push({ role: e.child, what: `member of ${e.parent}`, expected: "not a member (not declared)", actual: "member" });
    else if ((Number(e.admin) === 1) !== adminEdges.has(key)) mismatches.push({ role: e.child, what: `admin option on ${e.parent}`, expected: String(adminEdges.has(key)), actual: String(Number(e.admin) === 1) });
  }
  for (const key of expectedEdges) {
    if (seen.has(key)) continue;
    const [parent, child] = splitCompositeKey(key);
    mismatches.push({ role: child!, what: `member of ${parent}`, expected: "member", actual: "not a member" });
  }

  // Table-wide privileges beyond the declared ones: the verbs statements probe are checked there;
  // here every other one (DROP, ALTER, INDEX, GRANT OPTION...) must be absent.
  const declaredDb = new Map(Object.entries(databases).map(([schema, db]) => [db, schema]));
  const declared = new Map(model.objects.map((o) => [objectKey(o), o]));
  const grantedVerbs = new Map<string, Set<string>>();
  for (const g of model.grants) {
    const object = declared.get(objectKey(g.object));
    if (!object || !mysqlGrantable(g.verb, object.kind) || g.columns !== "all") continue;
    const key = compositeKey(g.role, objectKey(g.object));
    let verbs = grantedVerbs.get(key);
    if (!verbs) grantedVerbs.set(key, (verbs = new Set()));
    verbs.add(g.verb);
  }
  const tablePrivileges = await admin.query<{ User: string; Host: string; Db: string; Table_name: string; Table_priv: string }>(
    "SELECT User, Host, Db, Table_name, Table_priv FROM mysql.tables_priv WHERE Db IN (?)",
    [[...declaredDb.keys(), "\u0000"]],
  );
  for (const row of tablePrivileges) {
    if (hostOf.get(row.User) !== row.Host) continue;
    const schema = declaredDb.get(row.Db)!;
    if (!declared.has(objectKey({ schema, name: row.Table_name }))) continue;
    const verbs = grantedVerbs.get(compositeKey(row.User, objectKey({ schema, name: row.Table_name }))) ?? new Set<string>();
    for (const privilege of row.Table_priv.split(",").filter(Boolean)) {
      if (!verbs.has(privilege.toLowerCase())) {
        mismatches.push({ role: row.User, what: `${privilege.toUpperCase()} on ${schema}.${row.Table_name}`, expected: "not granted (not declared)", actual: "granted" });
      }
    }
  }

  // Routines: a declared role holds EXECUTE where declared (the calls prove that) and nothing else,
  // neither ALTER ROUTINE nor GRANT OPTION. procs_priv keeps a routine's name as the GRANT spelled it.
  const routineNamed = new Map(model.routines.map((r) => [compositeKey(r.schema, r.kind, r.name.toLowerCase()), r]));
  const routinePrivileges = await admin.query<{ User: string; Host: string; Db: string; Routine_name: string; Routine_type: string; Proc_priv: string }>(
    "SELECT User, Host, Db, Routine_name, Routine_type, Proc_priv FROM mysql.procs_priv WHERE Db IN (?)",
    [[...declaredDb.keys(), "\u0000"]],
  );
  for (const row of routinePrivileges) {
    if (hostOf.get(row.User) !== row.Host) continue;
    const schema = declaredDb.get(row.Db)!;
    const routine = routineNamed.get(compositeKey(schema, row.Routine_type.toLowerCase(), row.Routine_name.toLowerCase()));
    if (!routine) continue;
    for (const privilege of row.Proc_priv.split(",").filter((p) => p !== "" && p !== "Execute")) {
      mismatches.push({ role: row.User, what: `${privilege.toUpperCase()} on ${routine.kind} ${schema}.${routine.name}`, expected: "not granted (not declared)", actual: "granted" });
    }
  }

  // A database grant on a pattern (`sales%`.*) reaches every database it matches.
  const databaseGrants = await admin.query<{ User: string; Host: string; Db: string }>("SELECT User, Host, Db FROM mysql.db");
  for (const row of databaseGrants) {
    if (hostOf.get(row.User) !== row.Host) continue;
    for (const [db, schema] of declaredDb) {
      if (databasePatternMatches(row.Db, db)) mismatches.push({ role: row.User, what: `database-wide grant on ${schema}${row.Db === db ? "" : ` (through ${row.Db})`}`, expected: "none", actual: "granted" });
    }
  }

  // A role given server privileges holds exactly those globally: their mysql.user columns, and on
  // MariaDB nothing else in the access mask (where some global privileges have no column).
  const serverOf = new Map<string, Set<string>>();
  for (const g of model.serverGrants) serverOf.set(g.role, new Set([...(serverOf.get(g.role) ?? []), g.verb]));
  for (const [name, verbs] of serverOf) {
    const host = hostOf.get(name)!;
    const [row] = await admin.query<Record<string, string | null>>(
      mariadb
        ? "SELECT u.*, JSON_VALUE(g.Priv, '$.access') AS rolec_access FROM mysql.user u JOIN mysql.global_priv g ON g.User = u.User AND g.Host = u.Host WHERE u.User = ? AND u.Host = ?"
        : "SELECT u.*, NULL AS rolec_access FROM mysql.user u WHERE u.User = ? AND u.Host = ?",
      [name, host],
    );
    if (!row) continue; // a missing role is reported with its memberships and probes
    for (const p of serverPrivileges) {
      const held = row[p.column] === "Y";
      if (held !== verbs.has(p.verb)) mismatches.push({ role: name, what: `${p.keyword} on the server`, expected: verbs.has(p.verb) ? "granted" : "not granted (not declared)", actual: held ? "granted" : "not granted" });
    }
    const others = Object.keys(row).filter((c) => c.endsWith("_priv") && row[c] === "Y" && !serverPrivileges.some((p) => p.column === c));
    const declaredBits = serverPrivileges.filter((p) => verbs.has(p.verb)).reduce((bits, p) => bits | p.mariadbBit, 0n);
    const hidden = row.rolec_access !== null && row.rolec_access !== undefined && (BigInt(row.rolec_access) & ~declaredBits) !== 0n;
    if (others.length > 0 || hidden) {
      mismatches.push({ role: name, what: "global privileges", expected: "the server privileges declared, no other", actual: others.length > 0 ? `also ${others.join(", ")}` : "also privileges no column of mysql.user shows" });
    }
  }

  // SHOW GRANTS is the one portable way to read global privileges; USAGE alone means none.
  for (const role of model.roles.filter((r) => !serverOf.has(r.name))) {
    const rows = await admin.query<Record<string, string>>(`SHOW GRANTS FOR ${quoteMysqlGrantee(role.name, role.login ? role.host : null)}`);
    for (const line of rows.map((r) => Object.values(r)[0]!)) {
      if (/^GRANT .* ON \*\.\* TO /.test(line) && (!/^GRANT USAGE ON \*\.\* /.test(line) || / WITH GRANT OPTION/.test(line))) {
        mismatches.push({ role: role.name, what: "global privileges", expected: "none", actual: line.replace(/ IDENTIFIED BY .*$/, "") });
      }
    }
  }
  return mismatches;
}
