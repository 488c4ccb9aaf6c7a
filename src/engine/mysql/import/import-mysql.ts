import { isDefaultAccount } from "../../../model/account-options.js";
import { mysqlGrantable } from "../capabilities.js";
import { mysqlAppendOnlyTriggers, mysqlNames } from "../script/render-mysql.js";
import { PUBLIC } from "../../../model/permission-state.js";
import { isSystemAccount, verbOfPrivilege } from "../plan/plan-mysql.js";
import { readMysql, type MysqlLive, type MysqlPrincipalRow } from "../catalog/read-mysql.js";
import { compareRoutines, compareText, type RoutineName } from "../../../model/ir.js";
import { mysqlRoutineMatchKey } from "../catalog/read-mysql-routines.js";
import { serverPrivileges } from "../server-privileges.js";
import type { ServerVerb } from "../../../model/verbs.js";
import { appendOnlyForbidden, appliesTo, type Verb } from "../../../model/verbs.js";
import { pullMysql } from "../catalog/pull-mysql.js";
import type { MysqlSession } from "../session/mysql-session.js";
import type { ImportedGrant, ImportedObject, ImportedProgram, ImportedRole, ImportedRoutine } from "../../imported-program.js";
import { compositeKey, sameParts } from "../../../model/composite-key.js";

export interface MysqlImport {
  readonly program: ImportedProgram;
  readonly live: MysqlLive;
  /** What the server holds that the files cannot say, one sentence each. */
  readonly warnings: readonly string[];
}

/** The privileges the .roles language can grant on a MySQL/MariaDB table or view. */
const languageVerbs = new Set<string>(["select", "insert", "update", "delete", "references", "trigger"]);

/**
 * Reads a MySQL/MariaDB server (every database but the system's, or those named; each database is
 * a schema) and describes it in the .roles language: its tables, views, sequences and columns,
 * and the accounts and roles that hold something on them or are members of such roles, with
 * their memberships and table and column grants; the roles those are members of that hold
 * nothing here are external roles. A database-wide grant on an
 * imported database becomes a `schema.*` line. Accounts that cannot be declared (the server's
 * own, the one importing, rolec's, those with global privileges, and names that two accounts
 * share) are left out, and so is anything the language cannot say, each with a warning.
 */
export async function importMysql(session: MysqlSession, only: readonly string[], shown: string): Promise<MysqlImport> {
  const snapshot = await pullMysql(session, only, shown);
  const databases = snapshot.schemas.map((s) => s.name);
  const live = await readMysql(session, databases);
  const warnings: string[] = [];
  const warn = (text: string) => warnings.push(text);
  const key = (schema: string, name: string) => compositeKey(schema, name);

  // Objects, append-only where rolec's pair of triggers guards them.
  const definer = `${mysqlNames.definer.name}@${mysqlNames.definer.host}`;
  const appendOnly = new Set<string>();
  for (const schema of snapshot.schemas) {
    for (const o of schema.objects.filter((o) => o.kind === "table")) {
      const triggers = live.triggers.filter((t) => t.db === schema.name && t.table === o.name);
      if (triggers.length === 0) continue;
      appendOnly.add(key(schema.name, o.name));
      const names = mysqlAppendOnlyTriggers(o.name);
      const intact = ([["UPDATE", names.update], ["DELETE", names.delete]] as const).every(([event, name]) =>
        triggers.some((t) => t.name === name && t.event === event && t.timing === "BEFORE" && t.definer === definer),
      );
      if (!intact) warn(`${schema.name}.${o.name} has some of rolec's append-only triggers but not both as rolec makes them; it is declared append_only, so plan will repair them`);
    }
  }
  const objects = new Map(snapshot.schemas.flatMap((s) => s.objects.map((o) => [key(s.name, o.name), o] as const)));
  // Routines, by their database, kind and name in any case: procs_priv keeps the name as the GRANT spelled it.
  const routines = new Map(
    snapshot.schemas.flatMap((s) => (s.routines ?? []).map((r) => [mysqlRoutineMatchKey(s.name, r.kind, r.name), { schema: s.name, name: r.name, kind: r.kind, args: r.args }] as const)),
  );
  const importedSchemas = snapshot.schemas
    .map((s) => ({
      name: s.name,
      objects: s.objects
        .map((o): ImportedObject => ({ kind: o.kind, name: o.name, columns: o.columns, appendOnly: appendOnly.has(key(s.name, o.name)), partitions: [] }))
        .sort((a, b) => compareText(a.name, b.name)),
      routines: [...routines.values()]
        .filter((r) => r.schema === s.name)
        .map((r): ImportedRoutine => ({ kind: r.kind, name: r.name, args: r.args }))
        .sort((a, b) => compareText(a.name, b.name) || compareText(a.kind, b.kind)),
    }))
    .filter((s) => s.objects.length > 0 || s.routines.length > 0);
  for (const s of importedSchemas) {
    if (s.objects.some((o) => o.kind !== "sequence" && o.columns.length === 0)) warn(`database ${s.name} has tables or views without columns, which the language cannot declare; add a column or leave them out`);
  }

  // Accounts and roles: a role is named alone, an account by its name and host, and the language has one name for both.
  const isRole = (p: MysqlPrincipalRow) => p.isRole || (!live.mariadb && p.host === "%" && live.edges.some((e) => e.parent === p.user));
  const isCurrentUser = (p: { user: string; host: string }) => live.currentUser?.user === p.user && live.currentUser.host === p.host;
  const byName = new Map<string, MysqlPrincipalRow[]>();
  for (const p of live.principals) {
    if (p.user === PUBLIC || p.user === "" || isSystemAccount(p.user) || isCurrentUser(p)) continue;
    byName.set(p.user, [...(byName.get(p.user) ?? []), p]);
  }
  const excluded = new Map<string, string>();
  const principalOf = (user: string, host: string): MysqlPrincipalRow | undefined => {
    const rows = byName.get(user);
    const row = rows?.find((p) => p.host === host);
    if (!rows || !row) return undefined;
    if (rows.length > 1) {
      excluded.set(user, `${rows.map((p) => (isRole(p) ? `role ${p.user}` : `${p.user}@${p.host}`)).join(" and ")} share a name, and a .roles file names a role once`);
      return undefined;
    }
    if (!serverGrantsOf(row, live.mariadb)) {
      const beyond = row.globalPrivileges.filter((p) => !serverPrivileges.some((s) => s.keyword === p));
      excluded.set(user, `it holds global privileges (${[...beyond, ...(row.globalGrantOption ? ["GRANT OPTION"] : [])].join(", ") || "ones no column of mysql.user shows"}), which reach every table and which the language never grants`);
      return undefined;
    }
    return row;
  };

  const onImported = live.privileges.filter((r) => objects.has(key(r.db, r.table)));
  const onImportedRoutines = live.routinePrivileges.filter((r) => routines.has(mysqlRoutineMatchKey(r.db, r.kind, r.name)));
  const wide = live.databaseGrants.filter((d) => databases.includes(d.pattern));
  const included = new Map<string, MysqlPrincipalRow>();
  // An account or role given server privileges (a monitoring or replication account) is the
  // files' business too, whatever it holds in these databases.
  const onServer = live.principals.filter((p) => p.globalPrivileges.length > 0).map((p) => ({ user: p.user, host: p.host }));
  for (const r of [...onImported, ...wide, ...onImportedRoutines, ...onServer]) {
    const p = principalOf(r.user, r.host);
    if (p) included.set(p.user, p);
  }
  // An edge names its parent role by name alone (MariaDB) or with a host this reader does not keep (MySQL 8).
  const parentOf = (name: string) => {
    const row = byName.get(name)?.find(isRole);
    return row && principalOf(row.user, row.host);
  };
  // The accounts and roles that matter to these databases: those holding something on what is
  // imported, and their members, who get it through them. Accounts, roles and role grants are
  // server-wide, so other databases' are none of these files' business.
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of live.edges) {
      if (!included.has(e.parent) || included.get(e.parent) !== parentOf(e.parent)) continue;
      const child = principalOf(e.child, e.childHost);
      if (child && !included.has(child.user)) {
        included.set(child.user, child);
        grew = true;
      }
    }
  }
  // A role they are members of that holds nothing here is external: its memberships stay its
  // owner's (another database's program, or a person), and plan leaves them alone.
  const external = new Set<string>();
  for (const e of live.edges) {
    const child = included.get(e.child);
    if (!child || child.host !== e.childHost || included.has(e.parent) || e.parent.startsWith(mysqlNames.loginRolePrefix)) continue;
    if (parentOf(e.parent)) external.add(e.parent);
  }
  for (const [name, reason] of [...excluded].sort(([a], [b]) => compareText(a, b))) warn(`${name} is left out: ${reason}`);
  const unrelated = [...byName]
    .filter(([name, rows]) => !included.has(name) && !external.has(name) && !excluded.has(name) && rows.length === 1 && !rows[0]!.globalPrivileges.length && !rows[0]!.globalGrantOption)
    .map(([, rows]) => (isRole(rows[0]!) ? rows[0]!.user : `${rows[0]!.user}@${rows[0]!.host}`))
    .sort(compareText);
  if (unrelated.length > 0) {
    warn(`left out ${unrelated.length} account(s) and role(s) that hold nothing on the imported objects and are members of no role that does: ${unrelated.join(", ")}`);
  }

  const roles: ImportedRole[] = [...included.values()]
    .sort((a, b) => compareText(a.user, b.user))
    .map((p) => {
      const name = p.user;
      const login = !isRole(p);
      const memberOf: string[] = [];
      const adminOf: string[] = [];
      const heldExternal: string[] = [];
      for (const e of live.edges.filter((e) => e.child === p.user && e.childHost === p.host)) {
        if (e.parent.startsWith(mysqlNames.loginRolePrefix)) continue; // rolec's own default role, made from the memberships
        if (external.has(e.parent)) {
          heldExternal.push(e.parent); // left alone, ADMIN OPTION included
          continue;
        }
        if (included.has(e.parent)) {
          memberOf.push(e.parent);
          if (e.admin) adminOf.push(e.parent);
        } else warn(`${name} is a member of ${e.parent}, which is not imported; plan will revoke that membership`);
      }
      if (login) warnDefaultRoles(p, memberOf, heldExternal, live, warn);

      // Database-wide grants on an imported database become `schema.*`; any other is revoked by plan.
      const grants = new Map<string, { schema: string; object: string | null; verb: string; columns: string[] | null }>();
      const wildcard = new Set<string>();
      for (const d of live.databaseGrants.filter((d) => d.user === p.user && d.host === p.host)) {
        const imported = databases.includes(d.pattern);
        for (const privilege of d.privileges) {
          const verb = verbOfPrivilege[privilege];
          if (imported && verb !== undefined && languageVerbs.has(verb)) {
            wildcard.add(compositeKey(d.pattern, verb));
            grants.set(compositeKey(d.pattern, "*", verb), { schema: d.pattern, object: null, verb, columns: null });
          }
        }
        const unsaid = d.privileges.filter((privilege) => !imported || !languageVerbs.has(verbOfPrivilege[privilege] ?? ""));
        if (imported && d.privileges.length > unsaid.length) {
          warn(`${name} holds ${d.privileges.filter((x) => !unsaid.includes(x)).join(", ")} on ${d.pattern}.* database-wide; it is imported as ${d.pattern}.*, which rolec grants table by table, so plan will replace the database-wide grant (tables created later are not covered)`);
        }
        if (unsaid.length > 0 || d.grantOption) warn(`${name} holds ${[...unsaid, ...(d.grantOption ? ["GRANT OPTION"] : [])].join(", ")} on ${d.pattern}.*, which the language cannot grant; plan will revoke it`);
      }
      for (const row of onImported.filter((r) => r.user === p.user && r.host === p.host)) {
        const object = objects.get(key(row.db, row.table))!;
        const where = `${row.db}.${row.table}`;
        if (object.kind === "sequence") {
          warn(`${name} holds ${row.privileges.join(", ")} on sequence ${where}; the MySQL target leaves sequences alone, so it is not imported`);
          continue;
        }
        if (row.grantOption && row.column === null) warn(`${name} holds privileges on ${where} WITH GRANT OPTION; plan will revoke the grant option`);
        for (const privilege of row.privileges) {
          const verb = verbOfPrivilege[privilege];
          if (verb === undefined || !languageVerbs.has(verb) || !appliesTo(verb as Verb, object.kind) || !mysqlGrantable(verb as Verb, object.kind)) {
            warn(`${name} holds ${privilege} on ${where}, which the language cannot grant; plan will revoke it`);
            continue;
          }
          if (appendOnly.has(key(row.db, row.table)) && appendOnlyForbidden.has(verb as Verb)) {
            warn(`${name} holds ${privilege} on ${where}, which is append-only; plan will revoke it`);
            continue;
          }
          if (wildcard.has(compositeKey(row.db, verb))) continue; // the schema.* line says it already
          const k = compositeKey(row.db, row.table, verb);
          const entry = grants.get(k) ?? { schema: row.db, object: row.table, verb, columns: [] };
          if (row.column === null) entry.columns = null;
          else if (entry.columns !== null) entry.columns.push(row.column);
          grants.set(k, entry);
        }
      }
      const columnOrder = (g: { schema: string; object: string | null }) => (g.object === null ? [] : (objects.get(key(g.schema, g.object))?.columns ?? []));
      const importedGrants: ImportedGrant[] = [...grants.values()].map((g) => ({
        ...g,
        columns: g.columns === null ? null : [...columnOrder(g).filter((c) => g.columns!.includes(c)), ...g.columns.filter((c) => !columnOrder(g).includes(c))],
      }));
      const routineGrants: RoutineName[] = [];
      for (const row of onImportedRoutines.filter((r) => r.user === p.user && r.host === p.host)) {
        const routine = routines.get(mysqlRoutineMatchKey(row.db, row.kind, row.name))!;
        if (row.privileges.includes("EXECUTE")) routineGrants.push({ schema: routine.schema, name: routine.name, args: routine.args });
        const unsaid = [...row.privileges.filter((x) => x !== "EXECUTE"), ...(row.grantOption ? ["GRANT OPTION"] : [])];
        if (unsaid.length > 0) warn(`${name} holds ${unsaid.join(", ")} on ${routine.kind} ${routine.schema}.${routine.name}, which the language cannot grant there; plan will revoke it`);
      }
      return {
        name,
        external: false,
        login,
        connectionLimit: login && p.maxUserConnections > 0 ? p.maxUserConnections : -1,
        comment: null,
        ...(login && p.host !== "%" ? { host: p.host } : {}),
        ...(login && !isDefaultAccount(p.account) ? { account: p.account } : {}),
        memberOf: memberOf.sort(compareText),
        ...(adminOf.length > 0 ? { adminOf: adminOf.sort(compareText) } : {}),
        grants: importedGrants,
        ...((serverGrantsOf(p, live.mariadb) ?? []).length > 0 ? { serverGrants: serverGrantsOf(p, live.mariadb)! } : {}),
        ...(routineGrants.length > 0 ? { routineGrants: routineGrants.sort(compareRoutines) } : {}),
      };
    });
  for (const r of onImportedRoutines.filter((r) => r.user === PUBLIC)) {
    warn(`PUBLIC holds ${[...r.privileges, ...(r.grantOption ? ["GRANT OPTION"] : [])].join(", ")} on ${r.kind} ${r.db}.${r.name}; the language cannot grant to PUBLIC, so plan will revoke it`);
  }
  // A table row of column grants holds no table-wide privilege itself: its column rows say them.
  for (const r of onImported.filter((r) => r.user === PUBLIC && (r.privileges.length > 0 || r.grantOption))) {
    warn(`PUBLIC holds ${[...r.privileges, ...(r.grantOption ? ["GRANT OPTION"] : [])].join(", ")}${r.column !== null ? ` (${r.column})` : ""} on ${r.db}.${r.table}; the language cannot grant to PUBLIC, so plan will revoke it`);
  }
  const externalRoles: ImportedRole[] = [...external].sort(compareText).map((name) => ({ name, external: true, login: false, connectionLimit: -1, comment: null, memberOf: [], grants: [] }));
  return { program: { schemas: importedSchemas, roles: [...roles, ...externalRoles] }, live, warnings };
}

/**
 * The server privileges an account or role holds, as the language says them; undefined when it
 * holds any other global privilege (or GRANT OPTION on *.*), which the language never grants.
 */
function serverGrantsOf(p: MysqlPrincipalRow, mariadb: boolean): ServerVerb[] | undefined {
  if (p.globalGrantOption) return undefined;
  const held = serverPrivileges.filter((s) => p.globalPrivileges.includes(s.keyword));
  if (held.length !== p.globalPrivileges.length) return undefined;
  // MariaDB keeps some global privileges in its access mask only.
  const bits = held.reduce((b, s) => b | s.mariadbBit, 0n);
  if (mariadb && p.globalAccess !== null && (p.globalAccess & ~bits) !== 0n) return undefined;
  return held.map((s) => s.verb);
}

/**
 * The roles an account has when it logs in: rolec gives a MariaDB account with parents one
 * default role, `rolec_login_<account>`, holding them all, and a MySQL 8 account every role it
 * is granted. Anything else is set by plan; say so.
 */
function warnDefaultRoles(p: MysqlPrincipalRow, memberOf: readonly string[], heldExternal: readonly string[], live: MysqlLive, warn: (text: string) => void): void {
  const account = `${p.user}@${p.host}`;
  if (live.mariadb) {
    const loginRole = `${mysqlNames.loginRolePrefix}${p.user}`;
    const expected = memberOf.length > 0 || heldExternal.length > 0 ? [loginRole] : [];
    if (sameParts(p.defaultRoles, expected)) return;
    if (expected.length > 0) warn(`${account}'s default role is ${p.defaultRoles[0] ?? "none"}; rolec activates every role an account is a member of through one default role, ${loginRole}, so plan will create it and set it`);
    else warn(`${account}'s default role is ${p.defaultRoles[0]}, which it is not imported as a member of; plan will unset it`);
    return;
  }
  const expected = [...memberOf, ...heldExternal].sort(compareText);
  if (!sameParts(p.defaultRoles, expected)) warn(`${account}'s default roles are ${p.defaultRoles.join(", ") || "none"}; rolec makes them every role it is a member of, so plan will set them`);
}
