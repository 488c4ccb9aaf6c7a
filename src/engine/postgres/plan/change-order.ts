import { postgresRank, type Direction, type PostgresStep } from "../statement-order.js";
import type { PlanChange } from "../../plan.js";

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
  "grant-admin-option": ["memberships", "give"],
  "set-inherit": ["memberships", "give"],
  "revoke-database": ["database", "take away"],
  "grant-database": ["database", "give"],
  "revoke-schema": ["schemas", "take away"],
  "grant-schema": ["schemas", "give"],
  "revoke-default": ["default privileges", "take away"],
  "grant-default": ["default privileges", "give"],
  "guard-append-only": ["append-only", "give"],
  unguard: ["unguard", "take away"],
  "revoke-grant-option": ["object privileges", "take away"],
  revoke: ["object privileges", "take away"],
  "revoke-routine": ["object privileges", "take away"],
  "revoke-type": ["object privileges", "take away"],
  grant: ["object privileges", "give"],
  "grant-routine": ["object privileges", "give"],
  "grant-type": ["object privileges", "give"],
};
const kindOrder = Object.keys(placeOf);

/**
 * A revoke of a grant that a role the files do not declare made from its grant option, which runs
 * as that role (plan-statements.ts), as the script's "other grantors" step does. A declared
 * grantor's grants go with its own grant option, CASCADE, in the object privileges step.
 */
function byOtherGrantor(change: PlanChange, declared: (role: string) => boolean): boolean {
  // EXECUTE granted by anyone but the owner goes as its grantor, before any grant option is taken (plan-postgres.ts).
  return hasGrantor(change) && (change.kind === "revoke-routine" || change.kind === "revoke-type" || !declared(change.fact.grantor!));
}

function hasGrantor(change: PlanChange): change is Extract<PlanChange, { kind: "revoke" | "revoke-grant-option" | "revoke-schema" | "revoke-database" | "revoke-routine" | "revoke-type" }> {
  if (change.kind !== "revoke" && change.kind !== "revoke-grant-option" && change.kind !== "revoke-schema" && change.kind !== "revoke-database" && change.kind !== "revoke-routine" && change.kind !== "revoke-type") return false;
  return change.fact.grantor !== undefined && change.fact.grantor !== "" && change.fact.grantor !== change.owner;
}

/** The plan's changes in the order the compiled script would make them; a stable sort otherwise. */
export function orderPostgresChanges(changes: readonly PlanChange[], declared: (role: string) => boolean): PlanChange[] {
  const rank = (change: PlanChange): number => {
    const place = byOtherGrantor(change, declared) ? (["other grantors", "take away"] as const) : placeOf[change.kind];
    if (!place) throw new Error(`bug: a PostgreSQL plan cannot sort a ${change.kind} change`);
    // A declared role's grant of its own goes with the CASCADE of that role's revoke, which a
    // declared role always gets (the files give no grant options): that revoke must come first.
    const afterItsGrantor = hasGrantor(change) && declared(change.fact.grantor!) ? 50 : 0;
    return postgresRank(...place) * 100 + afterItsGrantor + kindOrder.indexOf(change.kind);
  };
  return changes
    .map((change, index) => ({ change, index, rank: rank(change) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((e) => e.change);
}
