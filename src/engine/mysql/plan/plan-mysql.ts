import { mysqlAppendOnlyTriggers, mysqlNames } from "../script/render-mysql.js";
import { compareText, objectKey, type Model, type RoutineName } from "../../../model/ir.js";
import { columnVerbs, type Verb } from "../../../model/verbs.js";
import { privilegeKey, PUBLIC, type PrivilegeFact } from "../../../model/permission-state.js";
import { type Blocker, type Plan, type PlanChange, type RoleField, type UnmanagedRole } from "../../plan.js";
import { defaultAccountOptions, hourlyLimits, requiredTexts, type AccountOptions } from "../../../model/account-options.js";
import { passwordExpireClause } from "../statements.js";
import { orderMysqlChanges } from "./change-order.js";
import { desiredMysql, mysqlRoutineGrantKey } from "./desired-mysql.js";
import type { RoleState } from "../../../model/permission-state.js";
import { loginPathBlockers, sameNameAccountBlockers } from "./login-paths-mysql.js";
import { reachOnDeclared } from "./reach-mysql.js";
import { databasePatternMatches, type MysqlLive, type MysqlPrincipalRow } from "../catalog/read-mysql.js";
import { mariadbGrantOptionBit, serverPrivilegeOf } from "../server-privileges.js";
import type { ServerVerb } from "../../../model/verbs.js";
import { compositeKey, sameParts, splitCompositeKey } from "../../../model/composite-key.js";
import { mysqlRoutineMatchKey } from "../catalog/read-mysql-routines.js";

/** Who a plan's `role` is on the server: a role is named alone, an account with its host. */
export interface MysqlGrantee {
  readonly user: string;
  /** Null for a role. */
  readonly host: string | null;
}

export interface MysqlPlan extends Plan {
  readonly mariadb: boolean;
  /** Every name a change's `role` can be, with the account or role it stands for. */
  readonly grantees: ReadonlyMap<string, MysqlGrantee>;
  /** For a table-wide revoke of a per-column verb: the column grants MariaDB takes with it, to grant again. */
  readonly regrants: ReadonlyMap<PlanChange, readonly PrivilegeFact[]>;
}

/** A privilege as the grant tables name it → the verb (or MySQL privilege) a PrivilegeFact holds. */
export const verbOfPrivilege: Record<string, PrivilegeFact["verb"]> = {
  SELECT: "select",
  INSERT: "insert",
  UPDATE: "update",
  DELETE: "delete",
  REFERENCES: "references",
  TRIGGER: "trigger",
  CREATE: "create",
  DROP: "drop",
  INDEX: "index",
  ALTER: "alter",
  "CREATE VIEW": "create view",
  "SHOW VIEW": "show view",
  "DELETE HISTORY": "delete history",
};

/** Accounts a server keeps for itself, and the definer that rolec manages on its own terms. */
export function isSystemAccount(user: string): boolean {
  return user === "root" || user === "mysql" || user === "PUBLIC" || user === "debian-sys-maint" || user === "mariadb.sys" || user.startsWith("mysql.") || user.startsWith("rolec_");
}

/**
 * The MySQL/MariaDB plan: the changes that make the server hold what the compiled script would
 * leave, for the accounts and roles the .roles files declare (plus, on MariaDB, each account's
 * `rolec_login_<account>` default role and PUBLIC's grants on declared objects). Database-wide
 * and global grants cannot be narrowed to a table, so those of managed roles are revoked whole
 * and those of other roles are reported.
 */
export function planMysql(model: Model, live: MysqlLive, options: { prune?: boolean } = {}): MysqlPlan {
  const mariadb = live.mariadb;
  const desired = desiredMysql(model, mariadb, live);
  const { principals, externals, appendOnly } = desired;
  const keyOf = (user: string, host: string): string => {
    const managed = principals.get(user) ?? externals.get(user);
    if (managed && managed.host === host) return user;
    if (user === PUBLIC && mariadb && host === "") return PUBLIC;
    if (mariadb && host === "" && !managed) return user;
    return `${user}@${host}`;
  };
  const grantees = new Map<string, MysqlGrantee>();
  for (const [name, p] of [...principals, ...externals]) grantees.set(name, { user: name, host: p.isAccount ? p.host : null });
  if (mariadb) grantees.set(PUBLIC, { user: PUBLIC, host: null });
  for (const p of live.principals) {
    const key = keyOf(p.user, p.host);
    if (!grantees.has(key)) grantees.set(key, { user: p.user, host: p.isRole || (mariadb && p.host === "") ? null : p.host });
  }
  // What each managed account or role holds on the declared objects and databases is managed,
  // external ones included; their global privileges and default roles only for the program's own.
  const manages = (key: string) => principals.has(key) || externals.has(key) || (key === PUBLIC && mariadb);
  const prunes = (key: string, user: string) => options.prune === true && !manages(key) && !isSystemAccount(user);
  // Declared roles that can be parents, by whether they are external: a membership in an external
  // role is its owner's business, and an external role's memberships are managed only in the program's own roles.
  const externalParent = (name: string) => externals.has(name) && !externals.get(name)!.isAccount && externals.get(name)!.loginRoleOf === undefined;
  const ownedParent = (name: string) => principals.has(name) && !principals.get(name)!.isAccount;
  const managesEdge = (parent: string, childKey: string) =>
    principals.has(childKey) ? !externalParent(parent) : externals.has(childKey) ? ownedParent(parent) : false;

  // The account running rolec needs global privileges, and is an admin member of every role it created: not findings.
  const isCurrentUser = (user: string, host: string) => live.currentUser !== null && live.currentUser.user === user && live.currentUser.host === host;
  const changes: PlanChange[] = [];
  const blockers: Blocker[] = [];
  const unmanaged = new Map<string, string[]>();
  const report = (role: string, what: string) => unmanaged.set(role, [...(unmanaged.get(role) ?? []), what]);

  // Objects: every declared table and view must exist as declared.
  const liveObjects = new Map(live.objects.map((o) => [compositeKey(o.db, o.name), o]));
  const declared = model.objects.filter((o) => o.kind !== "sequence");
  const existing = new Set<string>();
  for (const o of declared) {
    const found = liveObjects.get(objectKey(o));
    if (!found) blockers.push({ what: `${o.schema}.${o.name} does not exist`, hint: "create it (or fix its declaration), then plan again", span: o.span });
    else if (found.kind !== o.kind) blockers.push({ what: `${o.schema}.${o.name} is a ${found.kind}, declared a ${o.kind}`, hint: "fix the declaration", span: o.span });
    else existing.add(objectKey(o));
  }
  // Routines: every declared function and procedure must exist, known by its database, kind and name in any case.
  const liveRoutines = new Set(live.routines.map((r) => mysqlRoutineMatchKey(r.db, r.kind, r.name)));
  const existingRoutines = new Set<string>();
  for (const r of model.routines) {
    const key = mysqlRoutineMatchKey(r.schema, r.kind, r.name);
    if (liveRoutines.has(key)) existingRoutines.add(key);
    else blockers.push({ what: `${r.kind} ${r.schema}.${r.name} does not exist`, hint: "create it (or fix its declaration), then plan again", span: r.span });
  }
  const declaredDatabases = [...new Set([...declared.map((o) => o.schema), ...model.routines.map((r) => r.schema)])];
  for (const c of live.cascades) {
    const table = appendOnly.find((o) => o.schema === c.db && o.name === c.table);
    if (table) {
      blockers.push({
        what: `foreign key ${c.name} on ${c.db}.${c.table} (ON DELETE ${c.deleteRule}, ON UPDATE ${c.updateRule}) would change an append-only table without firing its triggers`,
        hint: "make it ON DELETE RESTRICT ON UPDATE RESTRICT",
        span: table.span,
      });
    }
  }

  // Accounts and roles.
  const livePrincipal = new Map(live.principals.map((p) => [compositeKey(p.user, p.host), p]));
  for (const [name, e] of externals) {
    if (livePrincipal.has(compositeKey(name, e.host))) continue;
    const who = e.isAccount ? `${name}@${e.host}` : name;
    // An external account's login role is rolec's own, and made here like the program's; the account itself never is.
    if (e.loginRoleOf !== undefined) changes.push({ kind: "create-role", role: name, desired: roleStateOf(name, `default role of ${e.loginRoleOf}`) });
    else if (e.required) {
      blockers.push({ what: `${who} is declared external but does not exist`, hint: "this program never creates an external role: create it with the program that manages it, then plan again", ...(e.span ? { span: e.span } : {}) });
    }
  }
  for (const [name, p] of principals) {
    const current = livePrincipal.get(compositeKey(name, p.host));
    if (!current) {
      changes.push({ kind: "create-role", role: name, desired: p.desired, ...(p.desired.span ? { span: p.desired.span } : {}) });
      const server = desired.serverPrivileges.get(name) ?? [];
      if (server.length > 0) changes.push({ kind: "grant-server", role: name, privileges: server });
      continue;
    }
    const alter = (field: RoleField, from: string, to: string) => {
      if (from !== to) changes.push({ kind: "alter-role", role: name, field, from, to, desired: p.desired, ...(p.desired.span ? { span: p.desired.span } : {}) });
    };
    if (p.isAccount) {
      alter("connection limit", String(current.maxUserConnections), String(p.desired.connectionLimit));
      const want = p.desired.account ?? defaultAccountOptions;
      alter("require", requirementText(current.account), requirementText(want));
      for (const limit of hourlyLimits) alter(limit.label, String(current.account[limit.field]), String(want[limit.field]));
      alter("password lifetime", passwordExpireClause(current.account), passwordExpireClause(want));
    }
    // The definer has no password: unlocked, anyone could log in as it and drop the triggers.
    if (name === mysqlNames.definer.name) alter("login", current.locked ? "ACCOUNT LOCK" : "ACCOUNT UNLOCK", "ACCOUNT LOCK");
    changes.push(...serverChanges(name, current, desired.serverPrivileges.get(name) ?? [], mariadb, true));
  }
  for (const [name, e] of externals) {
    const current = livePrincipal.get(compositeKey(name, e.host));
    // An external role's other global privileges are its owner's business; what the files give it is granted.
    if (current) changes.push(...serverChanges(name, current, desired.serverPrivileges.get(name) ?? [], mariadb, false));
  }
  for (const p of live.principals) {
    const key = keyOf(p.user, p.host);
    if (p.user === PUBLIC && (p.globalPrivileges.length > 0 || p.globalGrantOption)) {
      blockers.push({ what: `PUBLIC holds global privileges (${p.globalPrivileges.join(", ") || "GRANT OPTION"}), which reach every table of every account`, hint: "REVOKE ... ON *.* FROM PUBLIC" });
    } else if (!manages(key) && !isSystemAccount(p.user) && !isCurrentUser(p.user, p.host) && p.globalPrivileges.length > 0) {
      report(key, `global ${p.globalPrivileges.join(", ")} on *.*, which reaches every declared table`);
    }
  }

  // Memberships, with MariaDB's one default role per account standing for all of its parents.
  const wantedEdges = new Set(desired.edges.keys());
  const edgeSpan = desired.edges;
  const liveEdges = live.edges.map((e) => ({ ...e, key: keyOf(e.child, e.childHost) }));
  for (const edge of [...wantedEdges].sort(compareText)) {
    const [parent, child] = splitCompositeKey(edge) as [string, string];
    const held = liveEdges.find((e) => e.parent === parent && e.key === child);
    const admin = desired.adminEdges.has(edge);
    const span = edgeSpan.get(edge);
    if (!held) changes.push({ kind: "grant-membership", role: child, parent, inherit: true, admin, ...(span ? { span } : {}) });
    else if (admin && !held.admin) changes.push({ kind: "grant-admin-option", role: child, parent, ...(span ? { span } : {}) });
  }
  for (const e of liveEdges) {
    if (e.key === PUBLIC) continue; // roles granted to PUBLIC: a blocker when they reach a declared object (loginPathBlockers)
    // The account that created a role is its admin member; that is how the server works, not drift.
    if (isCurrentUser(e.child, e.childHost) && !manages(e.key)) continue;
    if (manages(e.key)) {
      if (!managesEdge(e.parent, e.key)) continue; // an owned role's in an external role, or an external one's elsewhere
      if (!wantedEdges.has(compositeKey(e.parent, e.key))) changes.push({ kind: "revoke-membership", role: e.key, parent: e.parent });
      else if (e.admin && !desired.adminEdges.has(compositeKey(e.parent, e.key))) changes.push({ kind: "revoke-admin-option", role: e.key, parent: e.parent });
    } else if (principals.has(e.parent) && !isSystemAccount(e.child)) {
      if (prunes(e.key, e.child)) changes.push({ kind: "revoke-membership", role: e.key, parent: e.parent });
      else report(e.key, `member of ${e.parent}`);
    }
  }

  // Default roles: MariaDB activates one (rolec_login_<account>), MySQL 8 every granted role (SET DEFAULT ROLE ALL).
  for (const r of model.roles.filter((r) => r.login && !r.external)) {
    const current = livePrincipal.get(compositeKey(r.name, r.host));
    const from = current ? [...current.defaultRoles].sort(compareText) : [];
    const to = desired.defaultRoles.get(r.name) ?? [];
    if (!sameParts(from, to)) changes.push({ kind: "set-default-role", role: r.name, from, to });
  }

  // Table and column privileges on declared objects.
  const kindOf = new Map(declared.map((o) => [objectKey(o), o.kind]));
  const wanted = desired.privileges;
  const held = new Map<string, PrivilegeFact>();
  for (const row of live.privileges) {
    const object = compositeKey(row.db, row.table);
    const kind = kindOf.get(object);
    if (!kind || !existing.has(object)) continue;
    const key = keyOf(row.user, row.host);
    const ours = manages(key) || prunes(key, row.user);
    for (const privilege of row.privileges) {
      const verb = verbOfPrivilege[privilege];
      if (!verb) continue;
      const fact: PrivilegeFact = { grantee: key, schema: row.db, name: row.table, kind, verb, column: row.column, grantable: row.grantOption };
      if (ours) held.set(privilegeKey(fact), fact);
      else if (!isSystemAccount(row.user)) report(key, `${privilege}${row.column !== null ? ` (${row.column})` : ""} on ${row.db}.${row.table}`);
    }
    if (ours && row.grantOption && row.column === null) changes.push({ kind: "revoke-table-grant-option", role: key, schema: row.db, table: row.table });
  }
  for (const [key, fact] of wanted) {
    if (existing.has(objectKey(fact)) && !held.has(key)) changes.push({ kind: "grant", role: fact.grantee, fact });
  }
  // Column revokes before table-wide ones: MariaDB's table-wide revoke of a verb takes its column grants with it.
  const regrants = new Map<PlanChange, PrivilegeFact[]>();
  const extra = [...held.values()].filter((f) => !wanted.has(privilegeKey(f))).sort((a, b) => Number(a.column === null) - Number(b.column === null));
  for (const fact of extra) {
    const change: PlanChange = { kind: "revoke", role: fact.grantee, fact, owner: "" };
    changes.push(change);
    if (fact.column === null && columnVerbs.has(fact.verb as Verb)) {
      const keep = [...wanted.values()].filter((w) => w.grantee === fact.grantee && w.schema === fact.schema && w.name === fact.name && w.verb === fact.verb && w.column !== null);
      if (keep.length > 0) regrants.set(change, keep);
    }
  }

  // EXECUTE on declared routines; any other privilege there (ALTER ROUTINE, which MySQL gives a
  // routine's creator, or GRANT OPTION) is revoked from managed roles and reported for others.
  const declaredRoutine = new Map(model.routines.map((r) => [mysqlRoutineMatchKey(r.schema, r.kind, r.name), r]));
  const heldExecute = new Set<string>();
  for (const row of live.routinePrivileges) {
    const routine = declaredRoutine.get(mysqlRoutineMatchKey(row.db, row.kind, row.name));
    if (!routine) continue;
    const key = keyOf(row.user, row.host);
    const factKey = mysqlRoutineGrantKey(key, row.db, row.kind, row.name);
    const all = [...row.privileges, ...(row.grantOption ? ["GRANT OPTION"] : [])];
    if (!(manages(key) || prunes(key, row.user))) {
      if (!isSystemAccount(row.user) && all.length > 0) report(key, `${all.join(", ")} on ${row.kind} ${row.db}.${routine.name}`);
      continue;
    }
    if (row.privileges.includes("EXECUTE")) heldExecute.add(factKey);
    const extra = all.filter((p) => p !== "EXECUTE" || !desired.routinePrivileges.has(factKey));
    if (extra.length > 0) changes.push({ kind: "revoke-routine-privileges", role: key, routine: routineName(routine), routineKind: routine.kind, privileges: extra });
  }
  for (const [key, fact] of desired.routinePrivileges) {
    if (existingRoutines.has(mysqlRoutineMatchKey(fact.routine.schema, fact.routine.kind, fact.routine.name)) && !heldExecute.has(key)) {
      changes.push({ kind: "grant-routine", role: fact.grantee, routine: routineName(fact.routine) });
    }
  }

  // Database-wide grants that reach a declared database: revoked whole from managed roles, reported for others.
  for (const d of live.databaseGrants) {
    if (!declaredDatabases.some((db) => databasePatternMatches(d.pattern, db))) continue;
    const key = keyOf(d.user, d.host);
    if (manages(key) || prunes(key, d.user)) changes.push({ kind: "revoke-wide", role: key, database: d.pattern, privileges: d.privileges, grantOption: d.grantOption });
    else if (!isSystemAccount(d.user)) report(key, `${d.privileges.join(", ") || "GRANT OPTION"} on ${d.pattern}.*, which reaches every table in it, append-only ones included`);
  }

  // Append-only tables carry both triggers, defined by the locked definer; other declared tables none of rolec's.
  const definer = `${mysqlNames.definer.name}@${mysqlNames.definer.host}`;
  for (const o of declared.filter((o) => o.kind === "table" && existing.has(objectKey(o)))) {
    const triggers = live.triggers.filter((t) => t.db === o.schema && t.table === o.name);
    if (!o.appendOnly) {
      if (triggers.length > 0) changes.push({ kind: "unguard", role: undefined, schema: o.schema, table: o.name, triggers: triggers.map((t) => t.name).sort(compareText) });
      continue;
    }
    const names = mysqlAppendOnlyTriggers(o.name);
    const problems: string[] = [];
    for (const [event, name] of [["UPDATE", names.update], ["DELETE", names.delete]] as const) {
      const t = triggers.find((t) => t.name === name);
      if (!t) problems.push(`${o.schema}.${o.name} has no ${name} trigger`);
      else if (t.event !== event || t.timing !== "BEFORE") problems.push(`${name} is ${t.timing} ${t.event}, not BEFORE ${event}`);
      else if (t.definer !== definer) problems.push(`${name} is defined by ${t.definer}, not ${definer}`);
      else if (!/^\s*SIGNAL\s+SQLSTATE\s+'45000'/i.test(t.statement)) problems.push(`${name} does not refuse the change`);
    }
    if (problems.length > 0) changes.push({ kind: "guard-append-only", role: undefined, schema: o.schema, table: o.name, partitions: [], problems });
  }

  // Paths the files do not describe by which a login reaches the declared objects all the same.
  blockers.push(...loginPathBlockers(live, principals, reachOnDeclared(live, existing, declaredDatabases, existingRoutines), externals));
  blockers.push(...sameNameAccountBlockers(live, principals, declaredDatabases, existingRoutines));

  const unmanagedList: UnmanagedRole[] = [...unmanaged]
    .map(([role, holds]) => ({ role, holds: [...new Set(holds)] }))
    .sort((a, b) => compareText(a.role, b.role));
  return { changes: orderMysqlChanges(changes), blockers, unmanaged: unmanagedList, mariadb, grantees, regrants };
}

/**
 * A managed account's or role's privileges on the whole server: the declared ones it lacks are
 * granted; anything else it holds globally (`revokes`: the program owns it) is revoked whole, the
 * declared ones granted again at once. On MariaDB the access mask says what no column shows.
 */
function serverChanges(role: string, current: MysqlPrincipalRow, declared: readonly ServerVerb[], mariadb: boolean, revokes: boolean): PlanChange[] {
  const changes: PlanChange[] = [];
  const held = new Set(current.globalPrivileges);
  const missing = declared.filter((v) => !held.has(serverPrivilegeOf(v).keyword));
  if (missing.length > 0) changes.push({ kind: "grant-server", role, privileges: missing });
  if (!revokes) return changes;
  const keywords = new Set(declared.map((v) => serverPrivilegeOf(v).keyword));
  const extra = current.globalPrivileges.filter((p) => !keywords.has(p));
  const declaredBits = declared.reduce((bits, v) => bits | serverPrivilegeOf(v).mariadbBit, mariadbGrantOptionBit);
  const hidden = mariadb && current.globalAccess !== null && extra.length === 0 && (current.globalAccess & ~declaredBits) !== 0n;
  const privileges = hidden ? ["privileges no column of mysql.user shows"] : extra;
  if (privileges.length > 0 || current.globalGrantOption) {
    changes.push({ kind: "revoke-wide", role, database: null, privileges, grantOption: current.globalGrantOption, ...(privileges.length > 0 && declared.length > 0 ? { keep: declared } : {}) });
  }
  return changes;
}

/** A routine as a change names it: without its declaration's place and comment. */
function routineName(r: RoutineName): RoutineName {
  return { schema: r.schema, name: r.name, args: r.args };
}

function roleStateOf(name: string, comment: string): RoleState {
  return { name, login: false, connectionLimit: -1, powers: [], settings: [], inherit: true, comment };
}

/**
 * An account's TLS requirement in a plan's words: NONE, SSL, X509, or the issuer, subject and
 * cipher required. The texts may come from the server, and only reach a terminal or JSON: each is
 * written as a JSON string, never as SQL.
 */
function requirementText(options: AccountOptions): string {
  if (options.require !== "specified") return options.require.toUpperCase();
  return requiredTexts(options).map(([word, value]) => `${word} ${JSON.stringify(value)}`).join(" ") || "SPECIFIED";
}
