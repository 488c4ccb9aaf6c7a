import type { AccountOptionName, RoleAttributeName, VerbName } from "../../grammar/index.js";
import type { Span } from "../source/source.js";

/**
 * The `.roles` syntax tree. Every node carries the span it was parsed from, so every
 * diagnostic and every grant in the model can point back at the line that asked for it.
 */
export interface Name {
  readonly kind: "Name";
  /** The name exactly as meant: quotes removed, `""` turned into `"`, case kept. Whether it was quoted is presentation, left to the formatter. */
  readonly value: string;
  readonly span: Span;
}

export interface RolesFile {
  readonly kind: "File";
  readonly path: string;
  readonly items: readonly TopLevel[];
  readonly span: Span;
}

export type TopLevel = SchemaBlock | RoleBlock | PublicBlock;

/** A grant line of any kind: on objects, on a schema, or on the database. */
export type AnyGrant = GrantStatement | SchemaGrantStatement | DatabaseGrantStatement | ServerGrantStatement | DefaultGrantStatement;

/** `public { select on s.lookup }`: what PUBLIC, and so every role, holds. Only grants belong (the checker says so of the rest). */
export interface PublicBlock {
  readonly kind: "Public";
  readonly items: readonly RoleItem[];
  readonly span: Span;
}

export interface SchemaBlock {
  readonly kind: "Schema";
  readonly name: Name;
  readonly objects: readonly ObjectDecl[];
  /** Functions and procedures, in declaration order. */
  readonly routines: readonly RoutineDecl[];
  /** Types and domains, in declaration order. */
  readonly types: readonly TypeDecl[];
  /** Declared only so the checker can judge them; rolec never creates a foreign key. */
  readonly foreignKeys: readonly ForeignKeyDecl[];
  readonly span: Span;
}

export type ReferentialAction = "cascade" | "restrict" | "set null" | "set default" | "no action";

/** `foreign key audit (customer_id) references customers (id) on delete restrict`: the referencing table is in this schema. */
export interface ForeignKeyDecl {
  readonly kind: "ForeignKey";
  readonly table: Name;
  readonly columns: readonly Name[];
  /** Undefined when the referenced table is in the same schema. */
  readonly referencedSchema: Name | undefined;
  readonly referencedTable: Name;
  readonly referencedColumns: readonly Name[];
  readonly actions: readonly { readonly event: "delete" | "update"; readonly action: ReferentialAction; readonly span: Span }[];
  readonly span: Span;
}

export type ObjectKind = "table" | "view" | "sequence";

export interface ObjectDecl {
  readonly kind: "Object";
  readonly objectKind: ObjectKind;
  readonly appendOnly: boolean;
  /** `sensitive table`: every column of it is sensitive. */
  readonly sensitive: boolean;
  /** `append_only` and `sensitive` as written, in order, for the checker to find one written twice. */
  readonly modifiers: readonly { readonly word: "append_only" | "sensitive"; readonly span: Span }[];
  readonly name: Name;
  /** Empty for sequences. */
  readonly columns: readonly Name[];
  /** The columns marked `sensitive` (`ssn sensitive`), in declaration order. */
  readonly sensitiveColumns: readonly string[];
  /** The partitions of a partitioned table, in the same schema; empty otherwise. */
  readonly partitions: readonly Name[];
  readonly doc: string | undefined;
  readonly span: Span;
}

export type RoutineKind = "function" | "procedure";

export type TypeKind = "type" | "domain";

/** `type money` or `domain cents`: a type (enum, composite, range, base) or a domain roles may be granted USAGE on. */
export interface TypeDecl {
  readonly kind: "Type";
  readonly typeKind: TypeKind;
  readonly name: Name;
  readonly doc: string | undefined;
  readonly span: Span;
}

/** `function total(integer, text)`: a function or procedure, known by its name and argument types. */
export interface RoutineDecl {
  readonly kind: "Routine";
  readonly routineKind: RoutineKind;
  readonly name: Name;
  readonly args: readonly ArgType[];
  readonly doc: string | undefined;
  readonly span: Span;
}

/**
 * An argument type as written; the checker decides which spellings name a type
 * (src/model/argument-types.ts).
 */
export interface ArgType {
  readonly kind: "ArgType";
  /** Written `schema.type`; undefined for a built-in type. */
  readonly schema: Name | undefined;
  /** One name, or several for SQL's own spellings (`double precision`, `timestamp with time zone`). */
  readonly words: readonly Name[];
  /** A one-word type written in double quotes: `"char"` is PostgreSQL's one-byte type, where `char` is character. */
  readonly quoted: boolean;
  /** Written with `[]`. */
  readonly array: boolean;
  readonly span: Span;
}

export interface RoleBlock {
  readonly kind: "Role";
  /**
   * `external role NAME`: a role the program references but does not manage (another program, or
   * a person, does). Its block, which may be left out, holds only what this program says about it.
   */
  readonly external: boolean;
  readonly name: Name;
  readonly options: readonly RoleOption[];
  readonly items: readonly RoleItem[];
  readonly doc: string | undefined;
  readonly span: Span;
}

export type RoleOption =
  | { readonly kind: "Login"; readonly span: Span }
  | { readonly kind: "ConnectionLimit"; readonly limit: number; readonly span: Span }
  /** `valid_until '2027-01-01T00:00:00Z'`: when the role's password stops being accepted (PostgreSQL); the text as written, quotes removed. */
  | { readonly kind: "ValidUntil"; readonly value: string; readonly span: Span }
  /** A PostgreSQL role attribute (`createdb`, ...); `superuser` is parsed only so that the checker can refuse it. */
  | { readonly kind: "Attribute"; readonly attribute: RoleAttributeName; readonly span: Span }
  /**
   * A MySQL/MariaDB account option: `require_ssl` and `require_x509` take nothing (value
   * undefined), `require_issuer`, `require_subject` and `require_cipher` a string (quotes
   * removed), the hourly limits and `password_lifetime` a whole number.
   */
  | { readonly kind: "AccountOption"; readonly option: AccountOptionName; readonly value: string | number | undefined; readonly span: Span }
  /** Where a login role's MySQL/MariaDB account may connect from (`'%'` when not given); PostgreSQL has no such notion. */
  | { readonly kind: "Host"; readonly host: Name; readonly span: Span };

export type RoleItem = Membership | Setting | GrantStatement | SchemaGrantStatement | DatabaseGrantStatement | ServerGrantStatement | DefaultGrantStatement;

/** `set statement_timeout = '5s'`: a run-time parameter the role gets at login (ALTER ROLE ... SET). */
export interface Setting {
  readonly kind: "Setting";
  /** `in database`: for the database the program is applied to only. */
  readonly inDatabase: boolean;
  /** The parameter as written, `app.tenant` for a dotted one; the checker decides whether it is a parameter name. */
  readonly parameter: Name;
  /** One value, or several for a list-valued parameter such as search_path. */
  readonly values: readonly SettingValue[];
  readonly span: Span;
}

export interface SettingValue {
  /** How it was written, which the formatter keeps: 'quoted', a whole number, or a name. */
  readonly form: "string" | "integer" | "name";
  /** The value itself: quotes removed, a doubled quote made one. */
  readonly value: string;
  readonly span: Span;
}

export interface Membership {
  readonly kind: "Membership";
  readonly parents: readonly Name[];
  /** `with admin option`: the member may grant these roles to others (PostgreSQL's ADMIN OPTION). */
  readonly admin: boolean;
  readonly span: Span;
}

export interface GrantStatement {
  readonly kind: "Grant";
  readonly privileges: readonly Privilege[];
  readonly target: ObjectRef;
  readonly exclusions: readonly Exclusion[];
  /** `with grant option`; the checker says which grants may carry one. */
  readonly grantOption?: GrantOption;
  readonly span: Span;
}

/** `usage, create on schema sales`: privileges on a schema itself. */
export interface SchemaGrantStatement {
  readonly kind: "SchemaGrant";
  readonly privileges: readonly Privilege[];
  readonly schema: Name;
  /** `with grant option`; the checker says which grants may carry one. */
  readonly grantOption?: GrantOption;
  readonly span: Span;
}

/** `connect, temporary on database`: privileges on the database the program is applied to. */
export interface DatabaseGrantStatement {
  readonly kind: "DatabaseGrant";
  readonly privileges: readonly Privilege[];
  /** `with grant option`; the checker says which grants may carry one. */
  readonly grantOption?: GrantOption;
  readonly span: Span;
}

/** `process, replication_client on server`: MySQL/MariaDB privileges on the whole server (`*.*`). */
export interface ServerGrantStatement {
  readonly kind: "ServerGrant";
  readonly privileges: readonly Privilege[];
  /** `with grant option`; the checker says which grants may carry one. */
  readonly grantOption?: GrantOption;
  readonly span: Span;
}

/**
 * `select on future tables in schema app created by migrator`: default privileges, what the objects
 * a role creates later get (ALTER DEFAULT PRIVILEGES FOR ROLE ... [IN SCHEMA ...]).
 */
export interface DefaultGrantStatement {
  readonly kind: "DefaultGrant";
  readonly privileges: readonly Privilege[];
  /** The kind of object as written (`tables`, `sequences`, ...); the checker judges the word. */
  readonly objects: Name;
  /** `in schema NAME`; undefined for objects created in any schema. */
  readonly schema: Name | undefined;
  /** The role whose objects get the privileges (`created by ROLE`). */
  readonly creator: Name;
  /** `with grant option`; the checker says which grants may carry one. */
  readonly grantOption?: GrantOption;
  readonly span: Span;
}

/** `with grant option`: the grantee may grant the privileges on to others. */
export interface GrantOption {
  readonly kind: "GrantOption";
  readonly span: Span;
}

export interface Privilege {
  readonly kind: "Privilege";
  readonly verb: VerbName;
  /** Undefined when no column list was written. */
  readonly columns: readonly Name[] | undefined;
  readonly span: Span;
}

export interface ObjectRef {
  readonly kind: "ObjectRef";
  readonly schema: Name;
  /** Undefined for `schema.*`. */
  readonly object: Name | undefined;
  /** `schema.function(integer, text)`: a function's or procedure's argument types; undefined when not written. */
  readonly signature?: readonly ArgType[];
  readonly span: Span;
}

export interface Exclusion {
  readonly kind: "Exclusion";
  readonly schema: Name;
  readonly object: Name;
  readonly columns: readonly Name[] | undefined;
  readonly span: Span;
}
