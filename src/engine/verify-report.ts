import type { DbObject } from "../model/ir.js";
import type { DatabaseVerb, SchemaVerb, ServerVerb, Verb } from "../model/verbs.js";

// What a verification finds, the same for every engine: the report `rolec verify` prints.

export interface Mismatch {
  /** Undefined for the object's owner. */
  readonly role: string | undefined;
  readonly object: string;
  readonly verb: Verb | SchemaVerb | DatabaseVerb | ServerVerb | "execute";
  readonly column?: string;
  /** The grant option on the verb, not the verb itself, is what differs. */
  readonly grantOption?: true;
  /** How it was checked: PostgreSQL's privilege functions, or a real statement. */
  readonly check: "privilege function" | "statement";
  readonly expected: string;
  readonly actual: string;
  readonly sql?: string;
}

export interface VerifyReport {
  /** Set when the compiled script itself failed; nothing else was checked. */
  readonly scriptError?: string;
  readonly privilegeChecks: number;
  readonly statementChecks: number;
  readonly mismatches: readonly Mismatch[];
  /** Declared roles whose attributes or memberships differ from the model. */
  readonly roleMismatches: readonly RoleMismatch[];
  /** Append-only tables whose owner or triggers are not as the script sets them. */
  readonly appendOnlyMismatches: readonly AppendOnlyMismatch[];
  /** Per role and object, what the model grants (and the database was found to enforce). */
  readonly summary: readonly { role: string; object: string; privileges: string[] }[];
}

export function display(object: DbObject): string {
  return `${object.schema}.${object.name}`;
}

/** Whether the database did exactly what the model says. */
export function verified(report: VerifyReport): boolean {
  return !report.scriptError && report.mismatches.length === 0 && report.roleMismatches.length === 0 && report.appendOnlyMismatches.length === 0;
}

/** A role whose attributes or memberships in the database differ from the model. */
export interface RoleMismatch {
  readonly role: string;
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
}

/** An append-only table or partition whose owner or triggers differ from what the script sets. */
export interface AppendOnlyMismatch {
  readonly table: string;
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
}
