import { renderPreflightQueries } from "../script/render-postgres.js";
import type { Model } from "../../../model/ir.js";
import type { SqlSession } from "../../session.js";
import type { Blocker } from "../../plan.js";

/**
 * Runs the queries behind the script's refusals (RC002 to RC005) on the live database:
 * whatever would make the script stop blocks the plan too, found by the same SQL. Each row names
 * the declared object or role it concerns, so the blocker points at that declaration.
 */
export async function preflightBlockers(model: Model, session: SqlSession): Promise<Blocker[]> {
  const blockers: Blocker[] = [];
  for (const { check, sql } of renderPreflightQueries(model)) {
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
