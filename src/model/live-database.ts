import type { DatabasePrivilegeFact, DefaultPrivilegeFact, PermissionState, RoutinePrivilegeFact } from "./permission-state.js";
import type { RoutineName } from "./ir.js";
import type { RoutineKind } from "../syntax/ast.js";

/** What a live database holds, as far as permissions are concerned: the state, plus what a plan must know about objects. */
export interface LiveDatabase {
  readonly engine: "postgres" | "mysql";
  /** PostgreSQL: server_version_num (e.g. 150004); MySQL: 0. */
  readonly serverVersion: number;
  readonly state: PermissionState;
  /** Tables, views and sequences in the schemas read. */
  readonly objects: readonly LiveObject[];
  /** PostgreSQL: the functions and procedures in the schemas read (aggregates count as functions), extensions' left out; absent where nothing reads them. */
  readonly routines?: readonly LiveRoutine[];
  /** PostgreSQL: the types and domains in the schemas read (no array type, no table's row type, an extension's left out); absent where nothing reads them. */
  readonly types?: readonly LiveType[];
  /** The schemas read that exist, with their owners. */
  readonly schemas: readonly { readonly name: string; readonly owner: string }[];
  /** PostgreSQL: the database read (the current one), its owner and its own ACL; absent where nothing reads it. */
  readonly database?: { readonly name: string; readonly owner: string; readonly privileges: readonly DatabasePrivilegeFact[] };
  /** PostgreSQL: the default ACLs, global and in the schemas read; absent where nothing reads them. */
  readonly defaultPrivileges?: readonly DefaultPrivilegeFact[];
  /** PostgreSQL: rolec's event triggers that guard append-only tables against DDL, where they exist. */
  readonly eventTriggers?: readonly { readonly name: string; readonly enabled: LiveTrigger["enabled"] }[];
  /** How many catalog queries the read took. */
  readonly queries: number;
}

export interface LiveObject {
  readonly schema: string;
  readonly name: string;
  readonly kind: "table" | "view" | "sequence";
  readonly owner: string;
  readonly columns: readonly string[];
  /** `schema.table` this one inherits from or is a partition of, if any. */
  readonly parent: string | null;
  readonly isPartition: boolean;
  /** rolec's own triggers on it (the append-only guards), if any. */
  readonly triggers: readonly LiveTrigger[];
}

export interface LiveRoutine extends RoutineName {
  readonly kind: RoutineKind;
  readonly owner: string;
  /** Its ACL, the default one (EXECUTE for PUBLIC) where it has none of its own; the owner's entry included. */
  readonly privileges: readonly RoutinePrivilegeFact[];
}

export interface LiveType {
  readonly schema: string;
  readonly name: string;
  readonly kind: "type" | "domain";
  readonly owner: string;
  /** Its ACL (USAGE), the default one (USAGE for PUBLIC) where it has none of its own; the owner's entry included. */
  readonly privileges: readonly RoutinePrivilegeFact[];
}

export interface LiveTrigger {
  readonly name: string;
  readonly enabled: "always" | "origin" | "replica" | "disabled";
  readonly function: string;
  readonly functionOwner: string;
}
