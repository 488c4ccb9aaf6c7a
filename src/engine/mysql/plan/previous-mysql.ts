import { defaultAccountOptions } from "../../../model/account-options.js";
import { mysqlAppendOnlyTriggers, mysqlNames } from "../script/render-mysql.js";
import { compareText, objectKey, type Model } from "../../../model/ir.js";
import { desiredMysql } from "./desired-mysql.js";
import { serverPrivilegeOf } from "../server-privileges.js";
import type { MysqlLive, MysqlPrivilegeRow } from "../catalog/read-mysql.js";
import { compositeKey, splitCompositeKey } from "../../../model/composite-key.js";
import { mysqlRoutineMatchKey, type MysqlRoutinePrivilegeRow, type MysqlRoutineRow } from "../catalog/read-mysql-routines.js";

/**
 * What a MySQL/MariaDB migration is planned from: the grant tables as the previous migration's
 * script left them, so the planner that serves `apply` serves `migrate` too.
 */
export function previousMysql(previous: Model, current: Model, mariadb: boolean): MysqlLive {
  const desired = desiredMysql(previous, mariadb);
  const principals = [...desired.principals].map(([name, p]) => ({
    user: name,
    host: p.host,
    isRole: !p.isAccount,
    locked: true,
    maxUserConnections: p.isAccount ? Math.max(p.desired.connectionLimit, 0) : 0,
    account: p.desired.account ?? defaultAccountOptions,
    defaultRoles: desired.defaultRoles.get(name) ?? [],
    // What the previous script granted on the server, no more: as MariaDB's access mask would say.
    globalPrivileges: (desired.serverPrivileges.get(name) ?? []).map((v) => serverPrivilegeOf(v).keyword),
    globalGrantOption: false,
    globalAccess: mariadb ? (desired.serverPrivileges.get(name) ?? []).reduce((bits, v) => bits | serverPrivilegeOf(v).mariadbBit, 0n) : null,
  }));
  // External accounts and roles are taken to exist, as the previous migration found them, with
  // what it gave them; their login roles too, when the previous sources had them.
  const known = new Set(principals.map((p) => p.user));
  const next = desiredMysql(current, mariadb);
  for (const [name, e] of [...next.externals, ...desired.externals]) {
    if (known.has(name) || (e.loginRoleOf !== undefined && !desired.externals.has(name))) continue;
    known.add(name);
    const server = [...(desired.serverPrivileges.get(name) ?? [])];
    principals.push({
      user: name,
      host: e.host,
      isRole: !e.isAccount,
      locked: true,
      maxUserConnections: 0,
      account: defaultAccountOptions,
      defaultRoles: [],
      globalPrivileges: server.map((v) => serverPrivilegeOf(v).keyword),
      globalGrantOption: false,
      globalAccess: mariadb ? server.reduce((bits, v) => bits | serverPrivilegeOf(v).mariadbBit, 0n) : null,
    });
  }
  const hostOf = (name: string) => desired.principals.get(name)?.host ?? desired.externals.get(name)?.host ?? "";
  const edges = [...desired.edges.keys()].map((edge) => {
    const [parent, child] = splitCompositeKey(edge) as [string, string];
    return { parent, child, childHost: hostOf(child), admin: desired.adminEdges.has(edge) };
  });
  const rows = new Map<string, { user: string; host: string; db: string; table: string; column: string | null; privileges: string[] }>();
  for (const fact of desired.privileges.values()) {
    const key = compositeKey(fact.grantee, fact.schema, fact.name, fact.column);
    const row = rows.get(key) ?? { user: fact.grantee, host: fact.grantee === "PUBLIC" ? "" : hostOf(fact.grantee), db: fact.schema, table: fact.name, column: fact.column, privileges: [] };
    row.privileges.push(fact.verb.toUpperCase());
    rows.set(key, row);
  }
  const privileges: MysqlPrivilegeRow[] = [...rows.values()].map((r) => ({ ...r, grantOption: false }));
  const definer = `${mysqlNames.definer.name}@${mysqlNames.definer.host}`;
  const triggers = desired.appendOnly.flatMap((o) => {
    const names = mysqlAppendOnlyTriggers(o.name);
    return [
      { db: o.schema, table: o.name, name: names.update, event: "UPDATE", timing: "BEFORE", definer, statement: "SIGNAL SQLSTATE '45000'" },
      { db: o.schema, table: o.name, name: names.delete, event: "DELETE", timing: "BEFORE", definer, statement: "SIGNAL SQLSTATE '45000'" },
    ];
  });
  const objects = new Map<string, { db: string; name: string; kind: "table" | "view" }>();
  for (const o of [...current.objects, ...previous.objects]) {
    if (o.kind !== "sequence" && !objects.has(objectKey(o))) objects.set(objectKey(o), { db: o.schema, name: o.name, kind: o.kind });
  }
  // Routines are taken to exist, as declared now or before; the previous script gave EXECUTE alone.
  const routines = new Map<string, MysqlRoutineRow>();
  for (const r of [...current.routines, ...previous.routines]) {
    const key = mysqlRoutineMatchKey(r.schema, r.kind, r.name);
    if (!routines.has(key)) routines.set(key, { db: r.schema, name: r.name, kind: r.kind });
  }
  const routinePrivileges: MysqlRoutinePrivilegeRow[] = [...desired.routinePrivileges.values()].map((f) => ({
    user: f.grantee,
    host: hostOf(f.grantee),
    db: f.routine.schema,
    name: f.routine.name,
    kind: f.routine.kind,
    privileges: ["EXECUTE"],
    grantOption: false,
  }));
  return {
    mariadb,
    version: mariadb ? "MariaDB" : "8.0",
    currentUser: null,
    principals,
    edges,
    privileges,
    databaseGrants: [],
    objects: [...objects.values()],
    triggers,
    cascades: [],
    routines: [...routines.values()],
    routinePrivileges,
    queries: 0,
  };
}

