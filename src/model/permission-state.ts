import type { AccountOptions } from "./account-options.js";
import { inherits } from "./role-attributes.js";
import { schemaCreate, schemaUsage } from "./effective.js";
import { compareText, grantableRelations, objectKey, ownedRoles, type Model, type ObjectName } from "./ir.js";
import type { DatabaseVerb, Verb } from "./verbs.js";
import type { Span } from "../source/source.js";
import type { RoleSetting } from "./role-settings.js";
import { compositeKey } from "./composite-key.js";

/**
 * Permissions as a set of small facts, the same whether they were read from a live database or
 * derived from the .roles files: a plan is the difference of two such states. Everything is
 * sorted, so two equal states print the same.
 */
export interface PermissionState {
  readonly roles: readonly RoleState[];
  readonly memberships: readonly MembershipFact[];
  /** Privileges on tables, views and sequences, one per grantee × object × verb × column. */
  readonly privileges: readonly PrivilegeFact[];
  readonly schemaPrivileges: readonly SchemaPrivilegeFact[];
}

/** The grantee that stands for every role. */
export { PUBLIC } from "./ir.js";

/** Role attributes beyond login, in the order they are compared and shown; a declared role holds exactly its declared ones, never superuser. */
export const rolePowers = ["superuser", "createrole", "createdb", "replication", "bypassrls"] as const;
export type RolePower = (typeof rolePowers)[number];

export interface RoleState {
  readonly name: string;
  readonly login: boolean;
  /** -1: no limit. */
  readonly connectionLimit: number;
  readonly powers: readonly RolePower[];
  /** Run-time parameters it gets at login in every database, sorted by parameter. */
  readonly settings: readonly RoleSetting[];
  /** PostgreSQL: those it gets in the database read (or planned for) only; absent where nothing reads them. */
  readonly databaseSettings?: readonly RoleSetting[];
  readonly inherit: boolean;
  /** MySQL/MariaDB: an account's options (account-options.ts); absent for a role, and on PostgreSQL. */
  readonly account?: AccountOptions;
  /** VALID UNTIL (valid-until.ts); in a desired state, absent where the files do not say and it is left alone. */
  readonly validUntil?: string;
  readonly comment: string | null;
  /** The .roles line that declares it; undefined for a role read from a database. */
  readonly span?: Span;
}

export interface MembershipFact {
  readonly parent: string;
  readonly child: string;
  readonly admin: boolean;
  /** PostgreSQL 16 and later keep it per membership; earlier, every membership of an INHERIT role inherits. */
  readonly inherit: boolean;
  /** Who granted it, when read from a database (PostgreSQL 16 keeps one membership per grantor). */
  readonly grantor?: string;
  readonly span?: Span;
}

export interface PrivilegeFact extends ObjectName {
  /** A role name, or PUBLIC. */
  readonly grantee: string;
  readonly kind: "table" | "view" | "sequence";
  /** PostgreSQL 17 adds MAINTAIN, MySQL has privileges of its own: the language grants neither, but a database may hold them. */
  readonly verb: Verb | "maintain" | MysqlTablePrivilege;
  /** Null: the whole object; otherwise one column. */
  readonly column: string | null;
  readonly grantable: boolean;
  readonly grantor?: string;
  /** The .roles lines that ask for it. */
  readonly sources?: readonly Span[];
}

/** Table privileges MySQL/MariaDB know that the .roles language never grants. */
export type MysqlTablePrivilege = "create" | "drop" | "index" | "alter" | "create view" | "show view" | "delete history";

export interface SchemaPrivilegeFact {
  readonly grantee: string;
  readonly schema: string;
  readonly privilege: "usage" | "create";
  readonly grantable: boolean;
  readonly grantor?: string;
}

/** One entry of a function's or procedure's ACL (EXECUTE), or of a type's or domain's (USAGE): the only privilege each has. */
export interface RoutinePrivilegeFact {
  /** A role name, or PUBLIC. */
  readonly grantee: string;
  readonly grantable: boolean;
  readonly grantor?: string;
}

/** One entry of the database's own ACL (CONNECT, TEMPORARY, CREATE), as read from PostgreSQL. */
export interface DatabasePrivilegeFact {
  /** A role name, or PUBLIC. */
  readonly grantee: string;
  readonly privilege: DatabaseVerb;
  readonly grantable: boolean;
  readonly grantor?: string;
}

/**
 * One privilege of one grantee in a default ACL (ALTER DEFAULT PRIVILEGES): what objects `owner`
 * creates later, in `schema` or anywhere (null), start out granting.
 */
export interface DefaultPrivilegeFact {
  readonly owner: string;
  readonly schema: string | null;
  readonly objects: "tables" | "sequences" | "functions" | "types" | "schemas" | "large objects";
  /** A role name, or PUBLIC. */
  readonly grantee: string;
  /** Upper case, as PostgreSQL names it: SELECT, INSERT, ... */
  readonly privilege: string;
  readonly grantable: boolean;
  /** PostgreSQL's own default where the role has no entry for every schema (PUBLIC's EXECUTE on functions, USAGE on types). */
  readonly builtIn?: true;
}

/**
 * The state the .roles files ask for, on the objects and roles they declare. External roles have
 * no role state here (their attributes are their owner's), but their grants and their
 * memberships in the program's own roles are part of it.
 */
export function desiredState(model: Model): PermissionState {
  const kinds = new Map(grantableRelations(model.objects).map((o) => [objectKey(o), o.kind]));
  const roles: RoleState[] = ownedRoles(model).map((r) => ({
    name: r.name,
    login: r.login,
    connectionLimit: r.connectionLimit,
    powers: rolePowers.filter((p) => (r.attributes as readonly string[]).includes(p)),
    inherit: inherits(r),
    settings: r.settings,
    databaseSettings: r.databaseSettings,
    ...(r.validUntil !== undefined ? { validUntil: r.validUntil } : {}),
    comment: r.doc ?? null,
    span: r.span,
  }));
  // PostgreSQL 16 keeps INHERIT per membership: a NOINHERIT role's memberships do not inherit.
  const memberships: MembershipFact[] = model.roles.flatMap((r) => r.memberOf.map((parent) => ({ parent, child: r.name, admin: (r.adminOf ?? []).includes(parent), inherit: inherits(r), span: r.span })));
  const privileges: PrivilegeFact[] = [];
  for (const g of [...model.grants, ...(model.public?.grants ?? [])]) {
    const kind = kinds.get(objectKey(g.object))!;
    for (const column of g.columns === "all" ? [null] : g.columns) {
      privileges.push({ grantee: g.role, schema: g.object.schema, name: g.object.name, kind, verb: g.verb, column, grantable: g.grantable === true, sources: g.sources });
    }
  }
  const schemaPrivileges: SchemaPrivilegeFact[] = [];
  // `usage on schema s with grant option`: the declared options; USAGE implied by a grant in the schema has none.
  const schemaOptions = new Set(model.schemaGrants.filter((g) => g.grantable).map((g) => compositeKey(g.role, g.schema, g.verb)));
  for (const [role, schemas] of schemaUsage(model)) {
    for (const schema of schemas) schemaPrivileges.push({ grantee: role, schema, privilege: "usage", grantable: schemaOptions.has(compositeKey(role, schema, "usage")) });
  }
  for (const [role, schemas] of schemaCreate(model)) {
    for (const schema of schemas) schemaPrivileges.push({ grantee: role, schema, privilege: "create", grantable: schemaOptions.has(compositeKey(role, schema, "create")) });
  }
  return sortState({ roles, memberships, privileges, schemaPrivileges });
}

export function privilegeKey(p: Pick<PrivilegeFact, "grantee" | "schema" | "name" | "verb" | "column">): string {
  return compositeKey(p.grantee, p.schema, p.name, p.verb, p.column);
}

export function sortState(state: PermissionState): PermissionState {
  return {
    roles: [...state.roles].sort((a, b) => compareText(a.name, b.name)),
    memberships: [...state.memberships].sort((a, b) => compareText(a.child, b.child) || compareText(a.parent, b.parent) || compareText(a.grantor ?? "", b.grantor ?? "")),
    privileges: [...state.privileges].sort(
      (a, b) =>
        compareText(a.grantee, b.grantee) ||
        compareText(a.schema, b.schema) ||
        compareText(a.name, b.name) ||
        compareText(a.verb, b.verb) ||
        compareText(a.column ?? "", b.column ?? "") ||
        compareText(a.grantor ?? "", b.grantor ?? ""),
    ),
    schemaPrivileges: [...state.schemaPrivileges].sort(
      (a, b) => compareText(a.grantee, b.grantee) || compareText(a.schema, b.schema) || compareText(a.privilege, b.privilege) || compareText(a.grantor ?? "", b.grantor ?? ""),
    ),
  };
}
