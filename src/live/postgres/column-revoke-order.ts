import type { PlanChange } from "../plan.js";

/** Privileges PostgreSQL keeps per column as well as per table. */
const columnPrivileges = new Set(["select", "insert", "update", "references"]);

/**
 * On PostgreSQL a table-wide REVOKE of select, insert, update or references also takes that
 * privilege from every column of the table. When the same plan narrows a table-wide grant to
 * columns (`select on s.*` becoming `select on s.* except s.t(ssn)`), the table-wide revoke must
 * therefore run before the column grants, or it takes them away again. The whole plan runs in
 * one transaction, so revoking first leaves no gap. Every other change keeps its place.
 */
export function revokesBeforeTheirColumnGrants(ordered: readonly PlanChange[]): PlanChange[] {
  const keyOf = (role: string, fact: { schema: string; name: string; verb: string }) => [role, fact.schema, fact.name, fact.verb].join("\u0000");
  const columnGrants = new Set<string>();
  for (const change of ordered) {
    if (change.kind === "grant" && change.fact.column !== null) columnGrants.add(keyOf(change.role, change.fact));
  }
  const early = (change: PlanChange) =>
    change.kind === "revoke" && change.fact.column === null && columnPrivileges.has(change.fact.verb) && columnGrants.has(keyOf(change.role, change.fact));
  const moved = ordered.filter(early);
  if (moved.length === 0) return [...ordered];
  const movedKeys = new Set(moved.map((c) => (c.kind === "revoke" ? keyOf(c.role, c.fact) : "")));
  const out: PlanChange[] = [];
  const placed = new Set<PlanChange>();
  for (const change of ordered) {
    if (placed.has(change)) continue;
    if (change.kind === "grant" && change.fact.column !== null && movedKeys.has(keyOf(change.role, change.fact))) {
      // Every early revoke of this role, object and verb goes right before its first column grant.
      for (const revoke of moved) {
        if (!placed.has(revoke) && revoke.kind === "revoke" && keyOf(revoke.role, revoke.fact) === keyOf(change.role, change.fact)) {
          out.push(revoke);
          placed.add(revoke);
        }
      }
    }
    out.push(change);
    placed.add(change);
  }
  return out;
}
