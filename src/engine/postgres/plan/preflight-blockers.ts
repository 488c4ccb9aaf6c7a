import { appendOnlyNames, renderPreflightQueries } from "../script/render-postgres.js";
import type { PreflightCheck } from "../script/preflight-checks.js";
import type { Model } from "../../../model/ir.js";
import type { LiveDatabase } from "../../../model/live-database.js";
import type { SqlSession } from "../../session.js";
import type { Blocker } from "../../plan.js";

/**
 * Runs the queries behind the script's refusals (RC002 to RC005) on the live database:
 * whatever would make the script stop blocks the plan too, found by the same SQL. Each row names
 * the declared object or role it concerns, so the blocker points at that declaration.
 */
export async function preflightBlockers(model: Model, session: SqlSession, live: LiveDatabase): Promise<Blocker[]> {
  const blockers: Blocker[] = [];
  for (const { check, sql } of renderPreflightQueries(model, (check) => !cannotFindAnything(check, live))) {
    const columns = check.subject === "role" ? "role_name" : "schema_name, object_name";
    const rows = await session.query<{ schema_name?: string; object_name?: string | null; role_name?: string; what: string }>(`SELECT ${columns}, what FROM (\n${sql}\n) AS found ORDER BY what`);
    for (const row of rows) {
      const object =
        row.object_name === null || row.object_name === undefined
          ? undefined
          : model.objects.find((o) => o.schema === row.schema_name && (o.name === row.object_name || o.partitions.includes(row.object_name!)));
      const span = check.subject === "role" ? model.roles.find((r) => r.name === row.role_name)?.span : object?.span;
      blockers.push({ what: `${row.what} (the script refuses this: ${check.sqlstate})`, hint: check.hint, ...(span ? { span } : {}) });
    }
  }
  return blockers;
}

/**
 * True where the catalog read just made shows that a check's query must come back empty, so it
 * need not run: on 10,000 tables these queries cost the server more than the read itself. Each
 * test is a necessary condition of its query's WHERE clause, read off the same catalog rows, so
 * skipping never hides a finding; where in doubt the query runs.
 */
function cannotFindAnything(check: PreflightCheck, live: LiveDatabase): boolean {
  switch (check.name) {
    case "unrevokable-grants":
      // Every row it returns is an ACL entry whose grantor is not its object's owner.
      return everyGrantByTheOwner(live);
    case "still-guarded":
      // Every row it returns is a table owned by rolec's append-only owner role.
      return !live.objects.some((o) => o.owner === appendOnlyNames.owner);
    default:
      return false;
  }
}

function everyGrantByTheOwner(live: LiveDatabase): boolean {
  const ownerOf = new Map<string, string>();
  for (const o of live.objects) ownerOf.set(`${o.schema}\u0000${o.name}`, o.owner);
  const schemaOwner = new Map(live.schemas.map((s) => [s.name, s.owner]));
  return (
    live.state.privileges.every((p) => p.grantor !== undefined && p.grantor === ownerOf.get(`${p.schema}\u0000${p.name}`)) &&
    live.state.schemaPrivileges.every((p) => p.grantor !== undefined && p.grantor === schemaOwner.get(p.schema)) &&
    [...(live.routines ?? []), ...(live.types ?? [])].every((r) => r.privileges.every((p) => p.grantor !== undefined && p.grantor === r.owner))
  );
}
