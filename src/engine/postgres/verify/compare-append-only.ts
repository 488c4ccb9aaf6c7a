import type { AppendOnlyMismatch } from "../../verify-report.js";
import { appendOnlyNames } from "../script/render-postgres.js";
import type { Model } from "../../../model/ir.js";
import type { SqlSession } from "../../session.js";


interface TableRow {
  owner: string;
  row_trigger: string | null;
  truncate_trigger: string | null;
}

/**
 * Checks the structure behind append-only tables: each table and partition is owned by the
 * dedicated owner role, carries both triggers enabled ALWAYS ('A'), and the owner role cannot
 * log in and has no members.
 */
export async function compareAppendOnly(model: Model, session: SqlSession): Promise<AppendOnlyMismatch[]> {
  const tables = model.objects.filter((o) => o.appendOnly).flatMap((o) => [o.name, ...o.partitions].map((name) => ({ schema: o.schema, name })));
  if (tables.length === 0) return [];
  const mismatches: AppendOnlyMismatch[] = [];
  const owner = appendOnlyNames.owner;
  const ownerRows = await session.query<{ rolcanlogin: boolean; members: number }>(
    `SELECT r.rolcanlogin, (SELECT count(*)::int FROM pg_catalog.pg_auth_members m WHERE m.roleid = r.oid) AS members
     FROM pg_catalog.pg_roles r WHERE r.rolname = $1`,
    [owner],
  );
  const ownerRow = ownerRows[0];
  if (!ownerRow) mismatches.push({ table: "*", what: `owner role ${owner}`, expected: "exists", actual: "missing" });
  else {
    if (ownerRow.rolcanlogin) mismatches.push({ table: "*", what: `owner role ${owner} login`, expected: "false", actual: "true" });
    if (ownerRow.members > 0) mismatches.push({ table: "*", what: `members of ${owner}`, expected: "0", actual: String(ownerRow.members) });
  }
  // Without them the owner of a table's schema could drop it (ddl-probes.ts tries).
  const events = await session.query<{ evtname: string; evtenabled: string }>(
    "SELECT evtname, evtenabled::text AS evtenabled FROM pg_catalog.pg_event_trigger WHERE evtname = ANY ($1::text[])",
    [[appendOnlyNames.dropEventTrigger, appendOnlyNames.renameEventTrigger]],
  );
  for (const name of [appendOnlyNames.dropEventTrigger, appendOnlyNames.renameEventTrigger]) {
    const state = events.find((e) => e.evtname === name)?.evtenabled;
    if (state !== "A") mismatches.push({ table: "*", what: `event trigger ${name}`, expected: "enabled always (A)", actual: state === undefined ? "missing" : `evtenabled = ${state}` });
  }
  for (const table of tables) {
    const rows = await session.query<TableRow>(
      `SELECT c.relowner::pg_catalog.regrole::text AS owner,
              (SELECT t.tgenabled::text FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = $3) AS row_trigger,
              (SELECT t.tgenabled::text FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = $4) AS truncate_trigger
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relname = $2`,
      [table.schema, table.name, appendOnlyNames.rowTrigger, appendOnlyNames.truncateTrigger],
    );
    const label = `${table.schema}.${table.name}`;
    const row = rows[0];
    if (!row) {
      mismatches.push({ table: label, what: "table", expected: "exists", actual: "missing" });
      continue;
    }
    if (row.owner !== owner && row.owner !== `"${owner}"`) mismatches.push({ table: label, what: "owner", expected: owner, actual: row.owner });
    for (const [what, state] of [["row trigger", row.row_trigger], ["truncate trigger", row.truncate_trigger]] as const) {
      if (state !== "A") mismatches.push({ table: label, what, expected: "enabled always (A)", actual: state === null ? "missing" : `tgenabled = ${state}` });
    }
  }
  return mismatches;
}
