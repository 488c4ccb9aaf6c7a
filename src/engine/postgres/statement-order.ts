/**
 * The order in which PostgreSQL changes run, the same in the compiled script and in a plan (and
 * so in apply and in a migration): the script renders one section per step in this order, and a
 * plan sorts its changes by step. Written once, so the two cannot order a change differently.
 *
 * - Roles exist before anything is granted to them or taken from them.
 * - Memberships are as declared before the checks that look through them (who owns what).
 * - Grants a role other than the owner made (from a grant option) are revoked as that role
 *   before anything else is taken away: it may need the schema USAGE that a later step takes.
 * - The database's own privileges, schemas, then default privileges, then append-only guards (which change owners), then the
 *   privileges on objects, which the guards' owner changes would otherwise reach.
 * - Within a step, what is taken away goes before what is given. Everything runs in one
 *   transaction, so nobody sees the moment between; and a table-wide REVOKE of select, insert,
 *   update or references also takes that verb from every column, so a column grant made before
 *   it (a table-wide grant narrowed to columns) would be lost.
 */
export const postgresSteps = ["roles", "memberships", "other grantors", "database", "schemas", "default privileges", "append-only", "unguard", "object privileges"] as const;

export type PostgresStep = (typeof postgresSteps)[number];

/** Whether a change takes something away (sorted first within its step) or gives or sets something. */
export type Direction = "take away" | "give";

/** A change's place: its step, then take-away before give, then the order the planner found it in. */
export function postgresRank(step: PostgresStep, direction: Direction): number {
  return postgresSteps.indexOf(step) * 2 + (direction === "take away" ? 0 : 1);
}
