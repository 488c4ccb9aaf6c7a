import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describeChange, renderRoles, renderSchemas, type SqlSession } from "../../src/engine/index.js";
import { applyOnPostgres, importPostgres, openPglite, planOnPostgres, renderPostgres, verifyScript } from "../../src/engine/postgres/index.js";
import { planPostgresMigration } from "../../src/engine/postgres/migration-plan.js";
import { buildAllowlist } from "../../src/emit/index.js";
import { serverUrl, withDeclaredObjects } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// Grants on a partition itself (`select on s.events_2025`): what a query that names the partition
// needs, as PostgreSQL checks it there. Asked of the server (real statements run as the roles,
// and the ACLs), never of rolec's model.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const yes = async () => true;

const source = `schema s {
  table events (id, at) partitions (events_2025, events_2026)
  append_only table log (id, msg) partitions (log_a, log_b)
}
role pt_analyst {
  select on s.events
  select on s.events_2025
  select (id), insert on s.log_a
}
role pt_fixer { update (at) on s.events_2026 }
`;
const program = programOf(source);
const roles = ["pt_analyst", "pt_fixer", "pt_other"];

function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, async (session, databaseUrl) => {
    await session.exec("CREATE ROLE pt_other");
    return fn(session, databaseUrl);
  });
}

/** Runs one statement as the role, undone: "ok" or the error's SQLSTATE. */
async function asRole(session: SqlSession, role: string, sql: string): Promise<string> {
  await session.exec(`BEGIN; SET LOCAL ROLE ${role}`);
  try {
    await session.exec(sql);
    return "ok";
  } catch (error) {
    return String((error as { code?: string }).code);
  } finally {
    await session.exec("ROLLBACK");
  }
}

/** The partitions' ACLs and their columns' as the catalog has them, owner's entries aside: `relation[(column)] grantee=privileges`. */
async function partitionAcls(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `WITH acl(relation, grantee, privilege) AS (
       SELECT c.relname, a.grantee, a.privilege_type FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL aclexplode(c.relacl) a
       WHERE n.nspname = 's' AND c.relispartition AND a.grantee <> c.relowner
       UNION ALL
       SELECT c.relname || '(' || att.attname || ')', a.grantee, a.privilege_type FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute att ON att.attrelid = c.oid AND att.attnum > 0 CROSS JOIN LATERAL aclexplode(att.attacl) a
       WHERE n.nspname = 's' AND c.relispartition AND a.grantee <> c.relowner
     )
     SELECT relation || ' ' || COALESCE(r.rolname, 'PUBLIC') || '=' || string_agg(privilege, ',' ORDER BY privilege) AS line
     FROM acl LEFT JOIN pg_roles r ON r.oid = acl.grantee GROUP BY relation, r.rolname ORDER BY 1`,
  );
  return rows.map((r) => r.line);
}

serverTest("apply grants on the partitions the lines name, real statements agree, and a grant made by hand on a partition is planned away", async (t) => {
  await onServer(async (session) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await partitionAcls(session), ["events_2025 pt_analyst=SELECT", "events_2026(at) pt_fixer=UPDATE", "log_a pt_analyst=INSERT", "log_a(id) pt_analyst=SELECT"]);
    t.is(await asRole(session, "pt_analyst", "SELECT * FROM s.events_2025"), "ok");
    t.is(await asRole(session, "pt_analyst", "SELECT * FROM s.events_2026"), "42501");
    t.is(await asRole(session, "pt_analyst", "SELECT * FROM s.events"), "ok", "the table's own grant reaches every partition through it");
    t.is(await asRole(session, "pt_analyst", "SELECT id FROM s.log_a"), "ok");
    t.is(await asRole(session, "pt_analyst", "SELECT msg FROM s.log_a"), "42501");
    t.is(await asRole(session, "pt_fixer", "UPDATE s.events_2026 SET at = NULL"), "ok");
    t.is(await asRole(session, "pt_fixer", "UPDATE s.events_2026 SET id = NULL"), "42501");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    await session.exec("GRANT DELETE ON s.events_2025 TO pt_analyst; REVOKE SELECT ON s.events_2025 FROM pt_analyst; GRANT SELECT ON s.log_b TO pt_other");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`).sort(), [
      "grant pt_analyst: SELECT on s.events_2025",
      "revoke pt_analyst: DELETE on s.events_2025",
    ]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
    t.deepEqual(await partitionAcls(session), ["events_2025 pt_analyst=SELECT", "events_2026(at) pt_fixer=UPDATE", "log_a pt_analyst=INSERT", "log_a(id) pt_analyst=SELECT", "log_b pt_other=SELECT"], "a role the files do not declare keeps its own");
  });
});

serverTest("the script through psql gives the same, run twice; import writes the partition grants back and plan with those files is empty", async (t) => {
  await onServer(async (session, databaseUrl) => {
    const script = path.join(mkdtempSync(path.join(tmpdir(), "rolec-pt-")), "postgres.sql");
    writeFileSync(script, renderPostgres(program.model));
    for (const run of ["first", "second"]) {
      const result = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl, "-f", script], { encoding: "utf8" });
      t.is(result.status, 0, `${run} run: ${result.stderr}`);
      // Between the runs, a grant by hand on a partition, which the second run takes back.
      if (run === "first") await session.exec("GRANT SELECT ON s.events_2026 TO pt_fixer");
    }
    t.deepEqual(await partitionAcls(session), ["events_2025 pt_analyst=SELECT", "events_2026(at) pt_fixer=UPDATE", "log_a pt_analyst=INSERT", "log_a(id) pt_analyst=SELECT"]);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    const imported = await importPostgres(session, ["s"]);
    t.deepEqual(imported.warnings.filter((w) => w.includes("partition")), []);
    const text = renderRoles(imported.program);
    t.regex(text, /^ {2}select on s\.events_2025$/m);
    t.regex(text, /^ {2}update \(at\) on s\.events_2026$/m);
    const files = programOf({ "schemas.roles": renderSchemas(imported.program), "roles.roles": text });
    t.deepEqual(files.diagnostics.filter((d) => d.severity === "error"), []);
    t.deepEqual((await planOnPostgres(files.model, session)).plan.changes, []);
  });
});

test("a migration grants on a partition the sources add, and revokes one they take away", (t) => {
  const before = programOf(source.replace("  select on s.events_2025\n", ""));
  const sql = (from: typeof program, to: typeof program) => planPostgresMigration(from.model, to.model, {}).statements.map((s) => s.sql);
  t.deepEqual(sql(before, program), ['GRANT SELECT ON TABLE "s"."events_2025" TO "pt_analyst";']);
  t.deepEqual(sql(program, before), ['REVOKE SELECT ON TABLE "s"."events_2025" FROM "pt_analyst" CASCADE;']);
  t.deepEqual(sql(program, program), []);
});

test("verify proves the partition grants with real statements, and reports a script that leaves one out", async (t) => {
  const script = renderPostgres(program.model);
  const tampered = script.replace(`GRANT SELECT ON TABLE "s"."events_2025" TO "pt_analyst";`, "");
  t.not(tampered, script);
  for (const [text, wanted] of [[script, []], [tampered, ["pt_analyst select s.events_2025: granted / not granted", "pt_analyst select s.events_2025: allowed / denied (permission denied)"]]] as const) {
    const session = await openPglite();
    try {
      const report = await verifyScript(program.model, text, session);
      t.deepEqual(report.roleMismatches, []);
      t.deepEqual([...new Set(report.mismatches.map((m) => `${m.role} ${m.verb} ${m.object}: ${m.expected} / ${m.actual}`))], [...wanted]);
    } finally {
      await session.close();
    }
  }
});

test("the checker takes a partition as a grant's object, holds it to its table's append-only rule, and keeps it out of schema.*", (t) => {
  t.deepEqual(program.diagnostics.filter((d) => d.severity !== "info"), []);
  t.deepEqual(program.model.grants.filter((g) => g.object.name.startsWith("events_")).map((g) => `${g.role} ${g.verb} ${g.object.name}`), ["pt_analyst select events_2025", "pt_fixer update events_2026"]);
  t.deepEqual(programOf(`schema s {\n  append_only table log (id) partitions (log_a)\n}\nrole r { update on s.log_a }\n`).diagnostics.map((d) => d.code), ["RC0501"]);
  const wildcard = programOf(`schema s {\n  table events (id) partitions (events_2025)\n}\nrole r { select on s.* }\n`);
  t.deepEqual(wildcard.model.grants.map((g) => g.object.name), ["events"]);
  t.deepEqual(programOf(source, { databases: ["mysql"] }).diagnostics.filter((d) => d.code === "RC0924").length, 3);
});

test("the allow-list gives a partition granted on its own entry, a table, with what the lines grant there", (t) => {
  const list = buildAllowlist(program.model) as { roles: Record<string, { grants: Record<string, Record<string, { kind: string; privileges: Record<string, { columns: unknown }> }>> }> };
  const analyst = list.roles.pt_analyst!.grants.s!;
  t.deepEqual(Object.keys(analyst).sort(), ["events", "events_2025", "log_a"]);
  t.is(analyst.events_2025!.kind, "table");
  t.deepEqual(analyst.log_a!.privileges.select!.columns, ["id"]);
  t.deepEqual(Object.keys(list.roles.pt_fixer!.grants.s!), ["events_2026"]);
});
