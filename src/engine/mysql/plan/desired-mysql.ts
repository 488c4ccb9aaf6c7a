import { defaultAccountOptions, type AccountOptions } from "../../../model/account-options.js";
import { mysqlGrantable } from "../capabilities.js";
import { mysqlNames } from "../script/render-mysql.js";
import { compareText, ownedRoles, requiredExternalRoles, routineKey, type DbObject, type Model, type Role, type Routine } from "../../../model/ir.js";
import type { MysqlLive } from "../catalog/read-mysql.js";
import type { ServerVerb, Verb } from "../../../model/verbs.js";
import { sortServerVerbs } from "../server-privileges.js";
import type { Span } from "../../../source/source.js";
import { desiredState, privilegeKey, type PrivilegeFact, type RoleState } from "../../../model/permission-state.js";
import { compositeKey } from "../../../model/composite-key.js";
import { mysqlRoutineMatchKey } from "../catalog/read-mysql-routines.js";

/** An account or role the plan manages: creates, alters, and takes every global privilege from. */
export interface MysqlPrincipal {
  /** The host it has in the grant tables: an account's own; a role's '' (MariaDB) or '%' (MySQL 8). */
  readonly host: string;
  readonly isAccount: boolean;
  readonly desired: RoleState;
}

/**
 * An external role or account: never created or altered, but what it holds on the declared
 * objects and its memberships in the program's own roles are managed. On MariaDB an external
 * account with such memberships has a login role too (`rolec_login_<account>`), which stands for
 * it and is external as well: its owner's program grants it to the account as its default role.
 */
export interface MysqlExternal {
  readonly host: string;
  readonly isAccount: boolean;
  /** Granted something, or made a member of a role: it must exist. A login role is created if missing. */
  readonly required: boolean;
  /** For a login role: the external account it stands for. */
  readonly loginRoleOf?: string;
  readonly span?: Span;
}

/** What the compiled script leaves on a MySQL/MariaDB server, as facts a plan compares with the grant tables. */
export interface MysqlDesired {
  readonly principals: ReadonlyMap<string, MysqlPrincipal>;
  readonly externals: ReadonlyMap<string, MysqlExternal>;
  /** MariaDB: each account with parents and its `rolec_login_<account>` default role. */
  readonly loginRoles: ReadonlyMap<string, string>;
  /** `parent \0 child` → the .roles line that asks for it. */
  readonly edges: ReadonlyMap<string, Span | undefined>;
  /** The edges held WITH ADMIN OPTION (`with admin option`): a role's or account's own, never a login role's. */
  readonly adminEdges: ReadonlySet<string>;
  /** Each account's default roles, sorted. */
  readonly defaultRoles: ReadonlyMap<string, readonly string[]>;
  /** By privilegeKey. */
  readonly privileges: ReadonlyMap<string, PrivilegeFact>;
  /** Each role's and account's privileges on the whole server, in the language's order. */
  readonly serverPrivileges: ReadonlyMap<string, readonly ServerVerb[]>;
  /** EXECUTE on declared routines, by mysqlRoutineGrantKey. */
  readonly routinePrivileges: ReadonlyMap<string, MysqlRoutineFact>;
  readonly appendOnly: readonly DbObject[];
}

/** EXECUTE on one routine for one role or account: MySQL/MariaDB know the routine by its database, kind and name. */
export interface MysqlRoutineFact {
  readonly grantee: string;
  readonly routine: Routine;
  readonly sources: readonly Span[];
}

/** A grantee's row of mysql.procs_priv: routine names match in any case. */
export function mysqlRoutineGrantKey(grantee: string, db: string, kind: string, name: string): string {
  return compositeKey(grantee, mysqlRoutineMatchKey(db, kind, name));
}

function roleState(name: string, login: boolean, connectionLimit: number, comment: string | null, span?: Span, account?: AccountOptions): RoleState {
  return { name, login, connectionLimit, powers: [], settings: [], inherit: true, comment, ...(span ? { span } : {}), ...(account ? { account } : {}) };
}

/**
 * The script's outcome for a model: the declared roles and accounts; on MariaDB, for an account
 * with parents, a default role `rolec_login_<account>` holding them all (MariaDB activates one
 * default role; MySQL 8 activates every granted role with SET DEFAULT ROLE ALL); the definer of
 * the append-only triggers; and the table and column privileges MySQL can grant.
 */
export function desiredMysql(model: Model, mariadb: boolean, live?: Pick<MysqlLive, "edges">): MysqlDesired {
  const roleHost = mariadb ? "" : "%";
  const appendOnly = model.objects.filter((o) => o.appendOnly);
  const principals = new Map<string, MysqlPrincipal>();
  const externals = new Map<string, MysqlExternal>();
  const required = new Set(requiredExternalRoles(model).map((r) => r.name));
  for (const r of model.roles) {
    const host = r.login ? r.host : roleHost;
    if (r.external) externals.set(r.name, { host, isAccount: r.login, required: required.has(r.name), span: r.span });
    else principals.set(r.name, { host, isAccount: r.login, desired: roleState(r.name, r.login, r.login ? Math.max(r.connectionLimit, 0) : -1, r.doc ?? null, r.span, r.login ? (r.account ?? defaultAccountOptions) : undefined) });
  }
  // An owned account that holds an external role (granted by that role's program, as the script
  // leaves it) activates it at login too: by its login role on MariaDB, among ALL on MySQL 8.
  const externalRoleNames = new Set(model.roles.filter((r) => r.external && !r.login).map((r) => r.name));
  const heldExternal = (r: Role) => (live?.edges ?? []).filter((e) => e.child === r.name && e.childHost === r.host && externalRoleNames.has(e.parent)).map((e) => e.parent);
  const loginRoles = new Map<string, string>();
  if (mariadb) {
    for (const r of model.roles.filter((r) => r.login && (r.memberOf.length > 0 || (!r.external && heldExternal(r).length > 0)))) {
      const name = `${mysqlNames.loginRolePrefix}${r.name}`;
      loginRoles.set(r.name, name);
      if (r.external) externals.set(name, { host: "", isAccount: false, required: false, loginRoleOf: r.name, span: r.span });
      else principals.set(name, { host: "", isAccount: false, desired: roleState(name, false, -1, `default role of ${r.name}@${r.host}`) });
    }
  }
  if (appendOnly.length > 0) {
    principals.set(mysqlNames.definer.name, { host: mysqlNames.definer.host, isAccount: true, desired: roleState(mysqlNames.definer.name, true, 0, "defines the append-only triggers") });
  }

  const edges = new Map<string, Span | undefined>();
  const adminEdges = new Set<string>();
  for (const r of model.roles) {
    for (const parent of r.adminOf ?? []) adminEdges.add(compositeKey(parent, r.name));
    const loginRole = loginRoles.get(r.name);
    // As the script does: the account holds its parents itself (so SET ROLE works), and through its login role.
    for (const parent of r.memberOf) {
      for (const child of loginRole ? [r.name, loginRole] : [r.name]) edges.set(compositeKey(parent, child), r.span);
    }
    // An external account's login role is granted to it by its owner's program.
    if (loginRole && !r.external) edges.set(compositeKey(loginRole, r.name), r.span);
  }

  // Default roles are an account's own: an external account's are its owner's business.
  const defaultRoles = new Map<string, readonly string[]>();
  for (const r of ownedRoles(model).filter((r) => r.login)) {
    const loginRole = loginRoles.get(r.name);
    defaultRoles.set(r.name, mariadb ? (loginRole ? [loginRole] : []) : [...new Set([...r.memberOf, ...heldExternal(r)])].sort(compareText));
  }

  const privileges = new Map<string, PrivilegeFact>();
  for (const fact of desiredState(model).privileges) {
    if (fact.kind === "sequence" || !mysqlGrantable(fact.verb as Verb, fact.kind)) continue;
    privileges.set(privilegeKey(fact), fact);
  }
  for (const o of appendOnly) {
    const fact: PrivilegeFact = { grantee: mysqlNames.definer.name, schema: o.schema, name: o.name, kind: "table", verb: "trigger", column: null, grantable: false, sources: [o.span] };
    privileges.set(privilegeKey(fact), fact);
  }
  const routines = new Map(model.routines.map((r) => [routineKey(r), r]));
  const routinePrivileges = new Map<string, MysqlRoutineFact>();
  for (const g of model.routineGrants) {
    const routine = routines.get(routineKey(g.routine));
    if (!routine) throw new Error(`bug: EXECUTE on an undeclared routine ${routineKey(g.routine)}`);
    routinePrivileges.set(mysqlRoutineGrantKey(g.role, routine.schema, routine.kind, routine.name), { grantee: g.role, routine, sources: g.sources });
  }
  const serverPrivileges = new Map<string, ServerVerb[]>();
  for (const g of model.serverGrants) serverPrivileges.set(g.role, sortServerVerbs([...(serverPrivileges.get(g.role) ?? []), g.verb]));
  return { principals, externals, loginRoles, edges, adminEdges, defaultRoles, privileges, serverPrivileges, routinePrivileges, appendOnly };
}
