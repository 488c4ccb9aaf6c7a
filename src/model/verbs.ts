import type { ObjectKind } from "../syntax/ast.js";

/** A privilege as the databases know it; `all` is resolved to these by the checker. */
export type Verb = "select" | "insert" | "update" | "delete" | "truncate" | "references" | "trigger" | "usage";

/** The order verbs are listed in everywhere output is written, so output is stable. */
export const verbOrder: readonly Verb[] = ["select", "insert", "update", "delete", "truncate", "references", "trigger", "usage"];

/**
 * Which verbs mean something on which kind of object. Views take no truncate or references
 * (PostgreSQL accepts the grant but nothing can use it); sequences take usage, select
 * (currval) and update (nextval, setval).
 */
export const verbsByKind: Record<ObjectKind, readonly Verb[]> = {
  table: ["select", "insert", "update", "delete", "truncate", "references", "trigger"],
  view: ["select", "insert", "update", "delete", "trigger"],
  sequence: ["select", "update", "usage"],
};

/** What may be granted on a schema itself: USAGE (looking up its objects) and CREATE (making new ones). */
export type SchemaVerb = "usage" | "create";
export const schemaVerbOrder: readonly SchemaVerb[] = ["usage", "create"];

/** What may be granted on the database itself: CONNECT, TEMPORARY (temporary tables) and CREATE (schemas). */
export type DatabaseVerb = "connect" | "temporary" | "create";
export const databaseVerbOrder: readonly DatabaseVerb[] = ["connect", "temporary", "create"];

/**
 * What may be granted on the whole MySQL/MariaDB server (`*.*`): the privileges monitoring and
 * replication accounts need, none of which reaches a table's rows through SQL. Written with
 * underscores in the language; GRANT spells them with spaces.
 */
export type ServerVerb = "process" | "replication_client" | "replication_slave" | "show_databases";
export const serverVerbOrder: readonly ServerVerb[] = ["process", "replication_client", "replication_slave", "show_databases"];

export function isServerVerb(verb: string): verb is ServerVerb {
  return (serverVerbOrder as readonly string[]).includes(verb);
}

/** Verbs that can be granted on some columns only. */
export const columnVerbs: ReadonlySet<Verb> = new Set<Verb>(["select", "insert", "update", "references"]);

/**
 * What no role may hold on an append-only table. Update, delete and truncate would rewrite
 * history; trigger would let a role add a trigger that does; references would let a role's
 * foreign keys lock or block audit rows.
 */
export const appendOnlyForbidden: ReadonlySet<Verb> = new Set<Verb>(["update", "delete", "truncate", "trigger", "references"]);

export function appliesTo(verb: Verb, kind: ObjectKind): boolean {
  return verbsByKind[kind].includes(verb);
}

export function compareVerbs(a: Verb, b: Verb): number {
  return verbOrder.indexOf(a) - verbOrder.indexOf(b);
}

/**
 * The kinds of object default privileges are given for (ALTER DEFAULT PRIVILEGES ... ON TABLES,
 * SEQUENCES, FUNCTIONS, TYPES, SCHEMAS), in PostgreSQL's order. `tables` covers views,
 * materialized views and foreign tables too, `functions` procedures too.
 */
export type DefaultObjects = "tables" | "sequences" | "functions" | "types" | "schemas";
export const defaultObjectsOrder: readonly DefaultObjects[] = ["tables", "sequences", "functions", "types", "schemas"];

/** A privilege a default can give: an object verb, EXECUTE (functions) or CREATE (schemas). */
export type DefaultVerb = Verb | "execute" | "create";

/** What each kind of object takes, in the order output lists them; `all` means every one. */
export const defaultVerbsByObjects: Record<DefaultObjects, readonly DefaultVerb[]> = {
  tables: verbsByKind.table,
  sequences: verbsByKind.sequence,
  functions: ["execute"],
  types: ["usage"],
  schemas: ["usage", "create"],
};

export function compareDefaultVerbs(objects: DefaultObjects, a: DefaultVerb, b: DefaultVerb): number {
  const order = defaultVerbsByObjects[objects];
  return order.indexOf(a) - order.indexOf(b);
}
