import type { AccountOptions } from "./account-options.js";
import type { ObjectKind, RoutineKind, TypeKind } from "../syntax/ast.js";
export type { RoutineKind } from "../syntax/ast.js";
import { argTypeKey, compareArgTypes, formatArgTypes, type ArgType } from "./argument-types.js";
import { formatName } from "../syntax/names.js";
import type { Span } from "../source/source.js";
import type { DatabaseVerb, DefaultObjects, DefaultVerb, SchemaVerb, ServerVerb, Verb } from "./verbs.js";
import type { RoleAttribute } from "./role-attributes.js";
import type { RoleSetting } from "./role-settings.js";
import { compositeKey } from "./composite-key.js";

/**
 * The checked model: a database-neutral description of roles, memberships and grants.
 * Emitters and the live side read only this; nothing below here looks at syntax.
 * Every list is sorted, so everything rendered from it is deterministic.
 */
export interface Model {
  readonly objects: readonly DbObject[];
  /** Declared functions and procedures, sorted by schema, name and argument types. */
  readonly routines: readonly Routine[];
  /** Declared types and domains, sorted by schema and name. */
  readonly types: readonly DbType[];
  readonly roles: readonly Role[];
  /** Each role's own grants, one per role × object × verb, sorted by role, object, verb. */
  readonly grants: readonly Grant[];
  /** EXECUTE on functions and procedures, one per role × routine, sorted by role and routine. */
  readonly routineGrants: readonly RoutineGrant[];
  /** USAGE on types and domains, one per role × type, sorted by role and type. */
  readonly typeGrants: readonly TypeGrant[];
  /** Privileges granted on schemas themselves (`usage, create on schema s`), sorted by role, schema, verb. */
  readonly schemaGrants: readonly SchemaGrant[];
  /**
   * Privileges on the database the program is applied to (`connect on database`), sorted by role
   * and verb. The database's privileges are managed only when there is at least one.
   */
  readonly databaseGrants: readonly DatabaseGrant[];
  /** MySQL/MariaDB privileges on the whole server (`process on server`), sorted by role and verb. */
  readonly serverGrants: readonly ServerGrant[];
  /**
   * Default privileges (`select on future tables in schema s created by c`), PUBLIC's included,
   * sorted by creator, schema (every schema first), kind of object, grantee and verb. A creator
   * some line names has its defaults managed: see defaultCreators.
   */
  readonly defaultGrants: readonly DefaultGrant[];
  /**
   * What a `public` block grants PUBLIC, and so every role; undefined without one. With one,
   * PUBLIC holds exactly this on the managed schemas and the database too (its USAGE on a schema
   * and its CONNECT and TEMPORARY are no longer left as the database gave them).
   */
  readonly public?: PublicGrants;
  readonly sources: readonly SourceDigest[];
  /** The schema snapshot the objects were partly taken from (`--snapshot`), if any. */
  readonly snapshot?: SourceDigest;
  /** SHA-256 over every source file's path and bytes, in path order, and the snapshot's path and digest. */
  readonly sourcesSha256: string;
}

export interface SourceDigest {
  readonly path: string;
  readonly sha256: string;
}

export interface ObjectName {
  readonly schema: string;
  readonly name: string;
}

export interface DbObject extends ObjectName {
  readonly kind: ObjectKind;
  readonly appendOnly: boolean;
  /** `sensitive table`: the table as a whole holds sensitive data. */
  readonly sensitive: boolean;
  /** Its sensitive columns (`ssn sensitive`; every column of a sensitive table), in declaration order. */
  readonly sensitiveColumns: readonly string[];
  /** In declaration order; empty for sequences. */
  readonly columns: readonly string[];
  /** Declared partitions of a partitioned table, in the same schema, in declaration order. */
  readonly partitions: readonly string[];
  readonly doc: string | undefined;
  readonly span: Span;
  /** Only in grantableRelations: the table this partition belongs to, in the same schema. */
  readonly partitionOf?: string;
}

/**
 * Every relation a grant may name: the declared objects, and each partition of a declared table
 * as a table of its own, with its table's columns and append-only mark. A query that names the
 * table needs the table's privileges alone; one that names a partition needs the partition's, so
 * a grant on a partition (`select on app.events_2025`) is for those. Sorted as model.objects is.
 */
export function grantableRelations(objects: readonly DbObject[]): readonly DbObject[] {
  let relations = relationsCache.get(objects);
  if (!relations) {
    const partitions = objects.flatMap((o) => o.partitions.map((name): DbObject => ({ ...o, name, partitions: [], partitionOf: o.name })));
    relations = partitions.length === 0 ? objects : [...objects, ...partitions].sort(compareObjects);
    relationsCache.set(objects, relations);
  }
  return relations;
}

const relationsCache = new WeakMap<readonly DbObject[], readonly DbObject[]>();

/** A function or procedure, known by its schema, name and argument types (overloads are distinct). */
export interface RoutineName {
  readonly schema: string;
  readonly name: string;
  readonly args: readonly ArgType[];
}

export interface Routine extends RoutineName {
  readonly kind: RoutineKind;
  readonly doc: string | undefined;
  readonly span: Span;
}

/** EXECUTE on one function or procedure, the only privilege either takes. */
export interface RoutineGrant {
  readonly role: string;
  readonly routine: RoutineName;
  /** `with grant option`: the role may grant EXECUTE on to others; absent when not declared. */
  readonly grantable?: true;
  /** The grant lines that ask for it, in source order. */
  readonly sources: readonly Span[];
}

/** A type (enum, composite, range, base) or a domain, known by its schema and name. */
export interface DbType extends ObjectName {
  readonly kind: TypeKind;
  readonly doc: string | undefined;
  readonly span: Span;
}

/** USAGE on one type or domain, the only privilege either takes. */
export interface TypeGrant {
  readonly role: string;
  readonly type: ObjectName;
  /** `with grant option`: the role may grant USAGE on to others; absent when not declared. */
  readonly grantable?: true;
  /** The grant lines that ask for it, in source order. */
  readonly sources: readonly Span[];
}

export function routineKey(r: RoutineName): string {
  return compositeKey(r.schema, r.name, r.args.length, ...r.args.map(argTypeKey));
}

export function compareRoutines(a: RoutineName, b: RoutineName): number {
  return compareText(a.schema, b.schema) || compareText(a.name, b.name) || compareArgTypes(a.args, b.args);
}

/** `app.total(integer, text)`, as a `.roles` file and messages write it. */
export function formatRoutine(r: RoutineName): string {
  return `${formatName(r.schema)}.${formatName(r.name)}${formatArgTypes(r.args)}`;
}

export interface Role {
  readonly name: string;
  /**
   * Declared with `external role`: another program (or a person) manages it. It is never created,
   * altered, commented or dropped, and must exist where this program grants it something or makes
   * it a member of a role; its grants on this program's objects and its memberships in roles this
   * program owns are managed as any role's. `login` and `host` only name it (a MySQL account).
   */
  readonly external: boolean;
  readonly login: boolean;
  /** -1 means no limit. */
  readonly connectionLimit: number;
  /** The MySQL/MariaDB account host of a login role ("%" by default); PostgreSQL ignores it. */
  readonly host: string;
  /**
   * A login role's MySQL/MariaDB account options (account-options.ts); absent when it states
   * none, and then the account has the server's defaults. PostgreSQL has none.
   */
  readonly account?: AccountOptions;
  /** PostgreSQL role attributes (createdb, ...), in canonical order; empty for external roles. */
  readonly attributes: readonly RoleAttribute[];
  /**
   * PostgreSQL's VALID UNTIL, as `infinity` or UTC ISO text (valid-until.ts); undefined when the
   * files do not say, and then left as it is, as a person or a password policy may set it.
   */
  readonly validUntil?: string;
  /** Run-time parameters the role gets at login in every database (`ALTER ROLE ... SET`), sorted by parameter; empty for external roles. */
  readonly settings: readonly RoleSetting[];
  /** Run-time parameters it gets at login in the database the program is applied to (`set ... in database`), sorted by parameter. */
  readonly databaseSettings: readonly RoleSetting[];
  readonly doc: string | undefined;
  /** Direct parents, sorted: roles the program owns (never external ones) and PostgreSQL predefined roles (pg_monitor, ...). */
  readonly memberOf: readonly string[];
  /** The parents it holds with ADMIN OPTION (`with admin option`), sorted; absent when none. Never a predefined role. */
  readonly adminOf?: readonly string[];
  readonly span: Span;
}

export interface Grant {
  readonly role: string;
  readonly object: ObjectName;
  readonly verb: Verb;
  /** "all" for the whole object; otherwise the columns, in the object's declaration order. */
  readonly columns: "all" | readonly string[];
  /**
   * `with grant option`: the role may grant the privilege to others (always on the whole object).
   * What it grants roles the files do not declare is left alone; absent when not declared.
   */
  readonly grantable?: true;
  /** The grant lines that ask for it, in source order. */
  readonly sources: readonly Span[];
}

/**
 * A privilege on a schema that a line asks for in so many words. USAGE also comes with any grant
 * on an object in the schema (schemaUsage); this is the one asked for without an object.
 */
export interface SchemaGrant {
  readonly role: string;
  readonly schema: string;
  readonly verb: SchemaVerb;
  /** `with grant option`: the role may grant the privilege on. Never PUBLIC's. */
  readonly grantable?: true;
  readonly sources: readonly Span[];
}

/**
 * A privilege that objects of a kind get when a role creates them (ALTER DEFAULT PRIVILEGES FOR
 * ROLE creator [IN SCHEMA schema] GRANT verb ON objects TO role).
 */
export interface DefaultGrant {
  /** The grantee: a role, or PUBLIC. */
  readonly role: string;
  readonly creator: string;
  /** Null: objects created in any schema (and, for `schemas`, always). */
  readonly schema: string | null;
  readonly objects: DefaultObjects;
  readonly verb: DefaultVerb;
  /** `with grant option`: objects created later give the grantee the option too. Never PUBLIC's. */
  readonly grantable?: true;
  readonly sources: readonly Span[];
}

/**
 * The roles whose default privileges the program manages: those a `created by` names. For each,
 * the defaults for every schema (global) and in each schema the program manages or names hold
 * exactly the declared ones for the declared roles and PUBLIC, PostgreSQL's built-in ones (PUBLIC's
 * EXECUTE on functions and USAGE on types) included. Other creators' defaults are left alone, but
 * for those on tables and sequences that reach a declared role or PUBLIC, which are taken away.
 */
export function defaultCreators(model: Pick<Model, "defaultGrants">): string[] {
  // A creator need not be declared: it is most often the role that owns the tables, which the files may not declare.
  return [...new Set(model.defaultGrants.map((g) => g.creator))].sort(compareText);
}

/** Creators the files do not declare: they must exist, as the program never creates them. */
export function undeclaredCreators(model: Pick<Model, "defaultGrants" | "roles">): string[] {
  const declared = new Set(model.roles.map((r) => r.name));
  return defaultCreators(model).filter((c) => !declared.has(c));
}

/** The schemas whose defaults the program manages for its default creators: the managed ones and those a default line names. */
export function defaultSchemas(model: Pick<Model, "objects" | "routines" | "types" | "schemaGrants" | "public" | "defaultGrants">): string[] {
  return [...new Set([...managedSchemas(model), ...model.defaultGrants.flatMap((g) => (g.schema === null ? [] : [g.schema]))])].sort(compareText);
}

/** The grantee that stands for every role, as PostgreSQL names it. */
export const PUBLIC = "PUBLIC";

/** PUBLIC's own lines, each with `role` PUBLIC. */
export interface PublicGrants {
  readonly grants: readonly Grant[];
  readonly routineGrants: readonly RoutineGrant[];
  readonly typeGrants: readonly TypeGrant[];
  readonly schemaGrants: readonly SchemaGrant[];
  readonly databaseGrants: readonly DatabaseGrant[];
}

/** A privilege on the database the program is applied to, which a line asks for. */
export interface DatabaseGrant {
  readonly role: string;
  readonly verb: DatabaseVerb;
  /** `with grant option`: the role may grant the privilege on. Never PUBLIC's. */
  readonly grantable?: true;
  readonly sources: readonly Span[];
}

/** A MySQL/MariaDB privilege on the whole server (`*.*`), which a line asks for. */
export interface ServerGrant {
  readonly role: string;
  readonly verb: ServerVerb;
  readonly sources: readonly Span[];
}

/**
 * Whether the program manages the database's own privileges: once a line grants one, every
 * declared role holds exactly its declared ones; until then they are left alone, so that adopting
 * or upgrading rolec never takes a CONNECT that a person granted.
 */
export function managesDatabase(model: Pick<Model, "databaseGrants" | "public">): boolean {
  return model.databaseGrants.length > 0 || (model.public?.databaseGrants.length ?? 0) > 0;
}

/** Every database grant, PUBLIC's included, sorted by grantee as the model keeps them. */
export function allDatabaseGrants(model: Pick<Model, "databaseGrants" | "public">): DatabaseGrant[] {
  return [...model.databaseGrants, ...(model.public?.databaseGrants ?? [])];
}

/**
 * Whether the program manages roles' settings for its database (ALTER ROLE ... IN DATABASE):
 * once a line says `in database`, every role it owns holds exactly its declared ones there; until
 * then they are left alone, as a person or another tool may have set them.
 */
export function managesDatabaseSettings(model: Pick<Model, "roles">): boolean {
  return model.roles.some((r) => r.databaseSettings.length > 0);
}

/**
 * The schemas the program manages: those of its objects and those it grants privileges on.
 * An empty `schema` block declares a name for grants to use, and is managed only once one does.
 */
export function managedSchemas(model: Pick<Model, "objects" | "routines" | "types" | "schemaGrants" | "public">): string[] {
  return [...new Set([...model.objects.map((o) => o.schema), ...model.routines.map((r) => r.schema), ...model.types.map((t) => t.schema), ...model.schemaGrants.map((g) => g.schema), ...(model.public?.schemaGrants ?? []).map((g) => g.schema)])].sort(compareText);
}

/** The roles a program owns: it creates them and manages their attributes and memberships. */
export function ownedRoles(model: Pick<Model, "roles">): Role[] {
  return model.roles.filter((r) => !r.external);
}

/**
 * External roles that must exist for the program to run: those it grants something to, makes
 * a member of one of its roles, or names as a creator of default privileges. One that it only names (so that its owned roles' memberships in
 * it are left alone) is never named in a statement, and may be missing.
 */
export function requiredExternalRoles(model: Pick<Model, "roles" | "grants" | "routineGrants" | "typeGrants" | "schemaGrants" | "databaseGrants" | "defaultGrants">): Role[] {
  const granted = new Set([...model.grants, ...model.routineGrants, ...model.typeGrants, ...model.schemaGrants, ...model.databaseGrants, ...model.defaultGrants].flatMap((g) => ("creator" in g ? [g.role, g.creator] : [g.role])));
  return model.roles.filter((r) => r.external && (r.memberOf.length > 0 || granted.has(r.name)));
}

export function objectKey(o: ObjectName): string {
  return compositeKey(o.schema, o.name);
}

export function compareObjects(a: ObjectName, b: ObjectName): number {
  return compareText(a.schema, b.schema) || compareText(a.name, b.name);
}

/** Code-point order, independent of locale, so output never depends on the machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
