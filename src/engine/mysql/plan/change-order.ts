import { mysqlRank, type MysqlStep } from "../statement-order.js";
import type { PlanChange } from "../../plan.js";

/**
 * The step of statement-order.ts each kind of MySQL/MariaDB change belongs to, listed in the
 * order changes of one step run (a grant option before the privileges of its row).
 */
const stepOf: Partial<Record<PlanChange["kind"], MysqlStep>> = {
  "create-role": "roles",
  "alter-role": "roles",
  "grant-membership": "memberships",
  "grant-admin-option": "memberships",
  grant: "object privileges",
  "grant-routine": "object privileges",
  "grant-server": "object privileges",
  "guard-append-only": "append-only",
  unguard: "unguard",
  "set-default-role": "default roles",
  "revoke-admin-option": "memberships taken away",
  "revoke-membership": "memberships taken away",
  "revoke-table-grant-option": "object privileges taken away",
  revoke: "object privileges taken away",
  "revoke-routine-privileges": "object privileges taken away",
  "revoke-wide": "database-wide and global taken away",
};
const kindOrder = Object.keys(stepOf);

/** The plan's changes in the order the compiled script would make them; a stable sort otherwise. */
export function orderMysqlChanges(changes: readonly PlanChange[]): PlanChange[] {
  const rank = (change: PlanChange): number => {
    const step = stepOf[change.kind];
    if (!step) throw new Error(`bug: a MySQL plan cannot sort a ${change.kind} change`);
    return mysqlRank(step) * 100 + kindOrder.indexOf(change.kind);
  };
  return changes
    .map((change, index) => ({ change, index, rank: rank(change) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((e) => e.change);
}
