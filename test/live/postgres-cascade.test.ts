import test from "ava";
import { appendOnlyNames } from "../../src/engine/postgres/index.js";
import { planJson, renderPlanText } from "../../src/live/index.js";
import { describeChange, type PlanChange } from "../../src/engine/index.js";
import { applyOnPostgres, planOnPostgres, readPostgres } from "../../src/engine/postgres/index.js";
import { unlistedLosses } from "../../src/engine/postgres/plan/unlisted-losses.js";
import type { SqlSession } from "../../src/engine/index.js";
import { serverUrl, withDeclaredObjects } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// Every REVOKE a plan runs says CASCADE: what a declared role granted on from a grant option goes
// with it, from undeclared roles too. Plan must list each such loss; apply must take nothing else.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;

const program = programOf(`schema s {
  table customers (id, email, ssn)
}
role cascade_reader { select (id, email) on s.customers }
role cascade_app { select on s.customers }
`);
const roles = ["cascade_reader", "cascade_app", "cascade_partner", "cascade_partner_friend", appendOnlyNames.owner];
const yes = async () => true;

function onServer<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, fn);
}

/**
 * Every entry of every ACL in schema s (the schema's, its relations' and their columns'), as
 * `grantee: PRIVILEGE on what (granted by grantor)`, with ` WITH GRANT OPTION` as its own entry.
 */
async function aclEntries(session: SqlSession): Promise<Set<string>> {
  const rows = await session.query<{ grantee: string; privilege: string; what: string; grantor: string; grantable: boolean }>(`
    SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END AS grantee, a.privilege_type AS privilege,
           a.grantor::regrole::text AS grantor, a.is_grantable AS grantable, x.what
    FROM (
      SELECT 'schema s' AS what, n.nspacl AS acl FROM pg_namespace n WHERE n.nspname = 's'
      UNION ALL SELECT 's.' || c.relname, c.relacl FROM pg_class c WHERE c.relnamespace = 's'::regnamespace
      UNION ALL SELECT 's.' || c.relname || ' (' || t.attname || ')', t.attacl
        FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid WHERE c.relnamespace = 's'::regnamespace AND t.attnum > 0
    ) x CROSS JOIN LATERAL aclexplode(x.acl) a`);
  const entries = new Set<string>();
  for (const r of rows) {
    entries.add(`${r.grantee}: ${r.privilege} on ${r.what} (granted by ${r.grantor})`);
    if (r.grantable) entries.add(`${r.grantee}: ${r.privilege} on ${r.what} (granted by ${r.grantor}) WITH GRANT OPTION`);
  }
  return entries;
}

/** What the plan says apply takes, in aclEntries' words. */
function promisedLosses(changes: readonly PlanChange[]): string[] {
  const out: string[] = [];
  for (const c of changes) {
    if (c.kind === "revoke" || c.kind === "revoke-grant-option" || c.kind === "cascade-revoke") {
      const g =
        c.kind === "cascade-revoke"
          ? c.grant
          : { schema: c.fact.schema, name: c.fact.name, column: c.fact.column, privilege: c.fact.verb, grantor: c.fact.grantor || c.owner, grantOptionOnly: c.kind === "revoke-grant-option" };
      const what = g.name === null ? `schema ${g.schema}` : `${g.schema}.${g.name}${g.column !== null ? ` (${g.column})` : ""}`;
      const entry = `${c.role}: ${g.privilege.toUpperCase()} on ${what} (granted by ${g.grantor})`;
      out.push(`${entry} WITH GRANT OPTION`);
      if (!g.grantOptionOnly) out.push(entry);
    } else if (c.kind === "revoke-schema") {
      const entry = `${c.role}: ${c.fact.privilege.toUpperCase()} on schema ${c.fact.schema} (granted by ${c.fact.grantor || c.owner})`;
      out.push(`${entry} WITH GRANT OPTION`);
      if (!c.grantOptionOnly) out.push(entry);
    }
  }
  return out;
}

serverTest("a revoke's CASCADE is listed, grant by grant, for undeclared roles too; apply takes exactly that", async (t) => {
  await onServer(async (session) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    // cascade_app gets a grant option it should not have and hands SELECT on down a chain of
    // undeclared roles, and to cascade_reader, who is declared and asks for two of its columns
    // and now holds one of them only from cascade_app.
    await session.exec(`
      REVOKE SELECT (email) ON s.customers FROM cascade_reader;
      CREATE ROLE cascade_partner; CREATE ROLE cascade_partner_friend;
      GRANT USAGE ON SCHEMA s TO cascade_partner, cascade_partner_friend;
      GRANT SELECT ON s.customers TO cascade_app WITH GRANT OPTION;
      GRANT SELECT (email) ON s.customers TO cascade_app WITH GRANT OPTION;
      SET ROLE cascade_app;
      GRANT SELECT ON s.customers TO cascade_partner WITH GRANT OPTION;
      GRANT SELECT (email) ON s.customers TO cascade_reader;
      RESET ROLE;
      SET ROLE cascade_partner; GRANT SELECT ON s.customers TO cascade_partner_friend; RESET ROLE;`);
    const before = await aclEntries(session);
    const planned = await planOnPostgres(program.model, session);
    const lines = planned.plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    for (const expected of [
      "revoke-grant-option cascade_app: GRANT OPTION for SELECT on s.customers",
      "cascade-revoke cascade_partner: SELECT on s.customers",
      "cascade-revoke cascade_partner_friend: SELECT on s.customers",
      "cascade-revoke cascade_reader: SELECT (email) on s.customers",
      "regrant cascade_reader: SELECT (email) on s.customers",
    ]) {
      t.true(lines.includes(expected), `${expected} in\n${lines.join("\n")}`);
    }
    // Nothing is both listed as going and as left alone.
    t.deepEqual(planned.plan.unmanaged, []);

    const text = renderPlanText(planned.plan, "db", () => "");
    t.regex(text, /role cascade_partner_friend\n {2}- SELECT on s\.customers +cascade: granted by cascade_partner; goes with the revoke of cascade_app's GRANT OPTION for SELECT on s\.customers\n/);
    const cascades = planned.plan.changes.filter((c) => c.kind === "cascade-revoke").length;
    t.regex(text, new RegExp(`to take away \\(\\d+ drift, ${cascades} by cascade\\)\\.`));
    const json = planJson(planned.plan, planned.statements, () => "") as { changes: { kind: string; role: string; cascadeFrom?: { role: string } }[]; summary: { cascade: number } };
    t.is(json.summary.cascade, cascades);
    t.true(json.changes.some((c) => c.kind === "cascade-revoke" && c.role === "cascade_partner_friend" && c.cascadeFrom?.role === "cascade_app"));

    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    const after = await aclEntries(session);
    const lost = [...before].filter((e) => !after.has(e)).sort();
    t.deepEqual(lost, [...new Set(promisedLosses(planned.plan.changes))].filter((e) => before.has(e)).sort());
    t.true(lost.includes("cascade_partner_friend: SELECT on s.customers (granted by cascade_partner)"));
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
  });
});

serverTest("with --prune, an undeclared role's grant a cascade already took is listed once, and apply does not trip on it", async (t) => {
  await onServer(async (session) => {
    await applyOnPostgres(program.model, session, { confirm: yes });
    await session.exec(`
      CREATE ROLE cascade_partner;
      GRANT USAGE ON SCHEMA s TO cascade_partner;
      GRANT UPDATE ON s.customers TO cascade_app WITH GRANT OPTION;
      SET ROLE cascade_app; GRANT UPDATE ON s.customers TO cascade_partner; RESET ROLE;`);
    const before = await aclEntries(session);
    const planned = await planOnPostgres(program.model, session, { prune: true });
    const lines = planned.plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.true(lines.includes("revoke cascade_app: UPDATE on s.customers"), lines.join("\n"));
    t.true(lines.includes("cascade-revoke cascade_partner: UPDATE on s.customers"), lines.join("\n"));
    t.false(lines.some((l) => l.startsWith("revoke cascade_partner: UPDATE on s.customers")), lines.join("\n"));
    t.is((await applyOnPostgres(program.model, session, { prune: true, confirm: yes })).kind, "applied");
    const after = await aclEntries(session);
    t.deepEqual([...before].filter((e) => !after.has(e)).sort(), [...new Set(promisedLosses(planned.plan.changes))].filter((e) => before.has(e)).sort());
    t.deepEqual((await planOnPostgres(program.model, session, { prune: true })).plan.changes, []);
  });
});

serverTest("apply's last check names what a plan took without listing it", async (t) => {
  await onServer(async (session) => {
    await applyOnPostgres(program.model, session, { confirm: yes });
    await session.exec(`
      CREATE ROLE cascade_partner;
      GRANT USAGE ON SCHEMA s TO cascade_partner;
      GRANT SELECT ON s.customers TO cascade_app WITH GRANT OPTION;
      SET ROLE cascade_app; GRANT SELECT ON s.customers TO cascade_partner; RESET ROLE;`);
    const planned = await planOnPostgres(program.model, session);
    // Run the plan's statements and read the result, then undo them.
    await session.exec("BEGIN");
    try {
      for (const { sql } of planned.statements) await session.exec(sql);
      const after = await readPostgres(session, ["s"], []);
      t.deepEqual(unlistedLosses(planned.plan, planned.live, after), []);
      // The same plan without its cascade lines would have taken SELECT from cascade_partner unsaid.
      const silent = { ...planned.plan, changes: planned.plan.changes.filter((c) => c.kind !== "cascade-revoke") };
      t.deepEqual(unlistedLosses(silent, planned.live, after), ["SELECT on s.customers from cascade_partner"]);
    } finally {
      await session.exec("ROLLBACK");
    }
  });
});
