import { postgresRank, type Direction, type PostgresStep } from "../../emit/postgres/statement-order.js";
import type { PlanChange } from "../plan.js";

/**
 * The step of statement-order.ts each kind of PostgreSQL change belongs to, listed in the order
 * changes of one step and direction run (an ADMIN OPTION goes before the membership it rides on,
 * a grant option before its privilege). `cascade-revoke` and `regrant` are not sorted: they are
 * placed after the change that causes them (revoke-cascade.ts).
 */
const placeOf: Partial<Record<PlanChange["kind"], readonly [PostgresStep, Direction]>> = {
  "create-role": ["roles", "give"],
  "alter-role": ["roles", "give"],
  "revoke-admin-option": ["memberships", "take away"],
  "revoke-membership": ["memberships", "take away"],
  "grant-membership": ["memberships", "give"],
  "set-inherit": ["memberships", "give"],
  "revoke-schema": ["schemas", "take away"],
  "grant-schema": ["schemas", "give"],
  "revoke-default": ["default privileges", "take away"],
  "guard-append-only": ["append-only", "give"],
  unguard: ["unguard", "take away"],
  "revoke-grant-option": ["object privileges", "take away"],
  revoke: ["object privileges", "take away"],
  grant: ["object privileges", "give"],
};
const kindOrder = Object.keys(placeOf);

/** The plan's changes in the order the compiled script would make them; a stable sort otherwise. */
export function orderPostgresChanges(changes: readonly PlanChange[]): PlanChange[] {
  const rank = (change: PlanChange): number => {
    const place = placeOf[change.kind];
    if (!place) throw new Error(`bug: a PostgreSQL plan cannot sort a ${change.kind} change`);
    return postgresRank(...place) * 100 + kindOrder.indexOf(change.kind);
  };
  return changes
    .map((change, index) => ({ change, index, rank: rank(change) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((e) => e.change);
}
