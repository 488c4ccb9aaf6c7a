import type { hourlyLimits } from "../model/account-options.js";
import type { DatabasePrivilegeFact, DefaultPrivilegeFact, PrivilegeFact, RoleState, RoutinePrivilegeFact, SchemaPrivilegeFact } from "../model/permission-state.js";
import type { RoutineKind, RoutineName } from "../model/ir.js";
import type { DatabaseVerb, ServerVerb } from "../model/verbs.js";
import type { Span } from "../source/source.js";

// What every engine's planner returns and every stage above reads: the changes from the live
// database to the .roles files, in words an engine-neutral renderer can show.

/** One step from the live database towards the .roles files. */
export type PlanChange =
  | { readonly kind: "create-role"; readonly role: string; readonly desired: RoleState; readonly span?: Span }
  | { readonly kind: "alter-role"; readonly role: string; readonly field: RoleField; readonly from: string; readonly to: string; readonly desired: RoleState; readonly span?: Span }
  | { readonly kind: "grant-membership"; readonly role: string; readonly parent: string; readonly inherit: boolean; readonly admin: boolean; readonly span?: Span }
  // PostgreSQL only: a declared membership's ADMIN OPTION (`with admin option`), where the membership is there already.
  | { readonly kind: "grant-admin-option"; readonly role: string; readonly parent: string; readonly span?: Span }
  | { readonly kind: "revoke-membership"; readonly role: string; readonly parent: string; readonly grantor?: string }
  | { readonly kind: "revoke-admin-option"; readonly role: string; readonly parent: string; readonly grantor?: string }
  // PostgreSQL 16 and later: a membership's own INHERIT option, which follows the member's NOINHERIT.
  | { readonly kind: "set-inherit"; readonly role: string; readonly parent: string; readonly inherit: boolean }
  | { readonly kind: "grant"; readonly role: string; readonly fact: PrivilegeFact }
  | { readonly kind: "revoke"; readonly role: string; readonly fact: PrivilegeFact; readonly owner: string }
  | { readonly kind: "revoke-grant-option"; readonly role: string; readonly fact: PrivilegeFact; readonly owner: string }
  | { readonly kind: "grant-schema"; readonly role: string; readonly fact: SchemaPrivilegeFact }
  | { readonly kind: "revoke-schema"; readonly role: string; readonly fact: SchemaPrivilegeFact; readonly owner: string; readonly grantOptionOnly: boolean }
  // PostgreSQL only: privileges on the database the program is applied to.
  | { readonly kind: "grant-database"; readonly role: string; readonly privilege: DatabaseVerb; readonly grantOption?: true }
  | { readonly kind: "revoke-database"; readonly role: string; readonly fact: DatabasePrivilegeFact; readonly owner: string; readonly grantOptionOnly: boolean }
  // PostgreSQL only: EXECUTE on a function or procedure.
  | { readonly kind: "grant-routine"; readonly role: string; readonly routine: RoutineName; readonly grantOption?: true }
  | { readonly kind: "revoke-routine"; readonly role: string; readonly routine: RoutineName; readonly fact: RoutinePrivilegeFact; readonly owner: string; readonly grantOptionOnly: boolean }
  // PostgreSQL only: USAGE on a type or domain.
  | { readonly kind: "grant-type"; readonly role: string; readonly type: TypeName; readonly grantOption?: true }
  | { readonly kind: "revoke-type"; readonly role: string; readonly type: TypeName; readonly fact: RoutinePrivilegeFact; readonly owner: string; readonly grantOptionOnly: boolean }
  // PostgreSQL only: a grant a revoke above takes with it (REVOKE ... CASCADE, or a table-wide REVOKE reaching column grants).
  | { readonly kind: "cascade-revoke"; readonly role: string; readonly grant: AclGrant; readonly cause: PlanChange }
  // PostgreSQL only: a declared privilege a revoke above takes with it, granted again afterwards.
  | { readonly kind: "regrant"; readonly role: string; readonly fact: PrivilegeFact | SchemaPrivilegeFact; readonly cause: PlanChange }
  // PostgreSQL only: default privileges (ALTER DEFAULT PRIVILEGES), what objects a role creates later get.
  | { readonly kind: "grant-default"; readonly role: string; readonly fact: DefaultPrivilegeFact; readonly span?: Span }
  | { readonly kind: "revoke-default"; readonly role: string; readonly fact: DefaultPrivilegeFact }
  | { readonly kind: "guard-append-only"; readonly role: undefined; readonly schema: string; readonly table: string; readonly partitions: readonly string[]; readonly problems: readonly string[] }
  | { readonly kind: "unguard"; readonly role: undefined; readonly schema: string; readonly table: string; readonly triggers?: readonly string[] }
  // MySQL/MariaDB only: the roles an account activates at login.
  | { readonly kind: "set-default-role"; readonly role: string; readonly from: readonly string[]; readonly to: readonly string[] }
  // MySQL/MariaDB only: a grant option covers every privilege of a table row at once.
  | { readonly kind: "revoke-table-grant-option"; readonly role: string; readonly schema: string; readonly table: string }
  // MySQL/MariaDB only: privileges on a stored function or procedure (EXECUTE, ALTER ROUTINE, GRANT OPTION), one row of mysql.procs_priv.
  | { readonly kind: "revoke-routine-privileges"; readonly role: string; readonly routine: RoutineName; readonly routineKind: RoutineKind; readonly privileges: readonly string[] }
  // MySQL/MariaDB only: privileges on the whole server (`process on server`).
  | { readonly kind: "grant-server"; readonly role: string; readonly privileges: readonly ServerVerb[] }
  // MySQL/MariaDB only: a database-wide (`db`.*, or a pattern) or global (*.*) grant, which can only
  // be revoked whole; the server privileges the role is given (`keep`) are granted again at once.
  | { readonly kind: "revoke-wide"; readonly role: string; readonly database: string | null; readonly privileges: readonly string[]; readonly grantOption: boolean; readonly keep?: readonly ServerVerb[] };

export type RoleField =
  | "login"
  | "connection limit"
  | "powers"
  | "valid until"
  | "settings"
  | "settings in database"
  | "inherit"
  | "comment"
  // MySQL/MariaDB account options (account-options.ts).
  | "require"
  | (typeof hourlyLimits)[number]["label"]
  | "password lifetime";

/** A type or domain as a change names it. */
export interface TypeName {
  readonly kind: "type" | "domain";
  readonly schema: string;
  readonly name: string;
}

/** Something that stops the plan from being applied until a person fixes it. */
export interface Blocker {
  readonly what: string;
  readonly hint: string;
  readonly span?: Span;
}

/** A role the .roles files do not declare that holds something on what they manage. */
export interface UnmanagedRole {
  readonly role: string;
  readonly holds: readonly string[];
}

export interface Plan {
  readonly changes: readonly PlanChange[];
  readonly blockers: readonly Blocker[];
  readonly unmanaged: readonly UnmanagedRole[];
}

/** Whether a change takes something away that is in the database but in no .roles file. */
export function isDrift(change: PlanChange): boolean {
  return (
    change.kind === "revoke" ||
    change.kind === "revoke-grant-option" ||
    change.kind === "revoke-membership" ||
    change.kind === "revoke-admin-option" ||
    change.kind === "revoke-schema" ||
    change.kind === "revoke-database" ||
    change.kind === "revoke-routine" ||
    change.kind === "revoke-routine-privileges" ||
    change.kind === "revoke-type" ||
    change.kind === "revoke-table-grant-option" ||
    change.kind === "revoke-wide" ||
    change.kind === "revoke-default"
  );
}

/** One entry of an ACL: what `grantor` gave `grantee` on an object, one of its columns, or a schema. */
export interface AclGrant {
  readonly schema: string;
  /** Null: the schema itself. */
  readonly name: string | null;
  readonly kind: "table" | "view" | "sequence" | "schema";
  readonly column: string | null;
  /** Lower case: select, usage, ... */
  readonly privilege: string;
  readonly grantor: string;
  /** Only the grant option goes; the privilege stays. */
  readonly grantOptionOnly: boolean;
}

/** A change of the plan with the SQL that makes it. */
export interface PlannedStatement {
  readonly change: PlanChange;
  readonly sql: string;
}
