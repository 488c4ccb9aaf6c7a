import { appendOnlyNames } from "../emit/postgres/render-postgres.js";
import { mysqlAppendOnlyTriggers, mysqlNames } from "../emit/mysql/render-mysql.js";
import { compareText, objectKey, type Model } from "../model/ir.js";
import { desiredMysql } from "../live/mysql/desired-mysql.js";
import type { MysqlLive, MysqlPrivilegeRow } from "../live/mysql/read-mysql.js";
import type { LiveDatabase, LiveObject } from "../live/live-database.js";
import { desiredState, sortState } from "../live/permission-state.js";

/**
 * A migration is planned as if the database held exactly what the previous migration left: the
 * previous sources' state, dressed up as what reading a live database would return, so the same
 * planners (and the same statements) serve `apply` and `migrate`. Every object the current
 * sources declare is taken to exist, owned by a role the files do not declare.
 */
export function previousPostgres(previous: Model, current: Model): LiveDatabase {
  const state = desiredState(previous);
  const guarded = new Set(previous.objects.filter((o) => o.appendOnly).flatMap((o) => [o.name, ...o.partitions].map((name) => objectKey({ schema: o.schema, name }))));
  const objects = new Map<string, LiveObject>();
  for (const model of [previous, current]) {
    for (const o of model.objects) {
      for (const name of [o.name, ...o.partitions]) {
        const key = objectKey({ schema: o.schema, name });
        if (objects.has(key)) continue;
        const isGuarded = guarded.has(key);
        objects.set(key, {
          schema: o.schema,
          name,
          kind: o.kind,
          owner: isGuarded ? appendOnlyNames.owner : "",
          columns: o.columns,
          parent: name === o.name ? null : `${o.schema}.${o.name}`,
          isPartition: name !== o.name,
          triggers: isGuarded
            ? [appendOnlyNames.rowTrigger, appendOnlyNames.truncateTrigger].map((trigger) => ({
                name: trigger,
                enabled: "always" as const,
                function: `${o.schema}.${appendOnlyNames.function}`,
                functionOwner: appendOnlyNames.owner,
              }))
            : [],
        });
      }
    }
  }
  const ownerRole = guarded.size > 0 ? [{ name: appendOnlyNames.owner, login: false, connectionLimit: 0, powers: [], inherit: false, comment: null }] : [];
  // External roles are another program's, and are taken to exist: the migration's own checks refuse to run while one it needs does not.
  const externalRoles = externalNames(previous, current)
    .filter((name) => !state.roles.some((r) => r.name === name))
    .map((name) => ({ name, login: false, connectionLimit: -1, powers: [], inherit: true, comment: null }));
  const schemas = [...new Set([...previous.objects, ...current.objects].map((o) => o.schema))].sort(compareText);
  return {
    engine: "postgres",
    // Statements that work on every supported version: no per-membership INHERIT (PostgreSQL 16).
    serverVersion: 150000,
    state: sortState({ ...state, roles: [...state.roles, ...ownerRole, ...externalRoles] }),
    objects: [...objects.values()],
    schemas: schemas.map((name) => ({ name, owner: "" })),
    queries: 0,
  };
}

/** The same for MySQL/MariaDB: the grant tables as the previous migration's script left them. */
export function previousMysql(previous: Model, current: Model, mariadb: boolean): MysqlLive {
  const desired = desiredMysql(previous, mariadb);
  const principals = [...desired.principals].map(([name, p]) => ({
    user: name,
    host: p.host,
    isRole: !p.isAccount,
    locked: true,
    maxUserConnections: p.isAccount ? Math.max(p.desired.connectionLimit, 0) : 0,
    defaultRoles: desired.defaultRoles.get(name) ?? [],
    globalPrivileges: [],
    globalGrantOption: false,
  }));
  // External accounts and roles are taken to exist, as the previous migration found them, with
  // what it gave them; their login roles too, when the previous sources had them.
  const known = new Set(principals.map((p) => p.user));
  const next = desiredMysql(current, mariadb);
  for (const [name, e] of [...next.externals, ...desired.externals]) {
    if (known.has(name) || (e.loginRoleOf !== undefined && !desired.externals.has(name))) continue;
    known.add(name);
    principals.push({ user: name, host: e.host, isRole: !e.isAccount, locked: true, maxUserConnections: 0, defaultRoles: [], globalPrivileges: [], globalGrantOption: false });
  }
  const hostOf = (name: string) => desired.principals.get(name)?.host ?? desired.externals.get(name)?.host ?? "";
  const edges = [...desired.edges.keys()].map((edge) => {
    const [parent, child] = edge.split("\u0000") as [string, string];
    return { parent, child, childHost: hostOf(child), admin: false };
  });
  const rows = new Map<string, { user: string; host: string; db: string; table: string; column: string | null; privileges: string[] }>();
  for (const fact of desired.privileges.values()) {
    const key = [fact.grantee, fact.schema, fact.name, fact.column ?? ""].join("\u0000") + (fact.column === null ? "\u0001" : "");
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
    queries: 0,
  };
}

/** The roles either model declares external, sorted. */
function externalNames(previous: Model, current: Model): string[] {
  return [...new Set([...previous.roles, ...current.roles].filter((r) => r.external).map((r) => r.name))].sort(compareText);
}
