import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describeChange, renderRoles, renderSchemas, type SqlSession } from "../../src/engine/index.js";
import { applyOnPostgres, importPostgres, openPglite, planOnPostgres, renderPostgres, verifyScript } from "../../src/engine/postgres/index.js";
import { planPostgresMigration } from "../../src/engine/postgres/migration-plan.js";
import { serverUrl, withDeclaredObjects } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// `select on future tables in schema s created by migrator with grant option`: tables the creator
// makes later give the role the grant option too. Asked of the server (pg_default_acl, a table
// made as the creator, and a real GRANT run as the role), never of rolec's model.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const yes = async () => true;

const source = `schema s { table t (a) }
role dgo_lead {
  select on future tables in schema s created by dgo_migrator with grant option
  insert on future tables in schema s created by dgo_migrator
}
role dgo_migrator { create on schema s }
`;
const program = programOf(source);
const roles = ["dgo_lead", "dgo_migrator", "dgo_outsider"];

function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, async (session, databaseUrl) => {
    await session.exec("CREATE ROLE dgo_outsider");
    return fn(session, databaseUrl);
  });
}

/** The creator's default ACL in schema s for dgo_lead, as pg_default_acl has it: `privilege[*]`. */
async function leadDefaults(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ p: string }>(
    `SELECT a.privilege_type || CASE WHEN a.is_grantable THEN '*' ELSE '' END AS p
     FROM pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace CROSS JOIN LATERAL aclexplode(d.defaclacl) a
     WHERE d.defaclrole = 'dgo_migrator'::regrole AND n.nspname = 's' AND a.grantee = 'dgo_lead'::regrole ORDER BY 1`,
  );
  return rows.map((r) => r.p);
}

/** A table made as the creator; whether the lead can then grant SELECT, and INSERT, on it to another role (each undone). */
async function leadCanHandOn(session: SqlSession): Promise<{ select: boolean; insert: boolean }> {
  await session.exec("DROP TABLE IF EXISTS s.later; SET ROLE dgo_migrator; CREATE TABLE s.later (a int); RESET ROLE");
  const tryGrant = async (verb: string) => {
    await session.exec("BEGIN; SET LOCAL ROLE dgo_lead");
    try {
      // Without the option PostgreSQL grants nothing, with a warning: what the other role then holds says.
      await session.exec(`GRANT ${verb} ON s.later TO dgo_outsider; RESET ROLE`);
      const [row] = await session.query<{ held: boolean }>(`SELECT has_table_privilege('dgo_outsider', 's.later', '${verb}') AS held`);
      return row!.held;
    } finally {
      await session.exec("ROLLBACK");
    }
  };
  const result = { select: await tryGrant("SELECT"), insert: await tryGrant("INSERT") };
  await session.exec("DROP TABLE s.later");
  return result;
}

serverTest("apply gives the default privilege with the grant option it declares; a table the creator makes later lets the role grant on, and drift is planned", async (t) => {
  await onServer(async (session) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await leadDefaults(session), ["INSERT", "SELECT*"]);
    await session.exec("GRANT USAGE ON SCHEMA s TO dgo_lead");
    t.deepEqual(await leadCanHandOn(session), { select: true, insert: false });
    await session.exec("REVOKE USAGE ON SCHEMA s FROM dgo_lead");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    // Drift: the option taken from SELECT, and given on INSERT.
    await session.exec("ALTER DEFAULT PRIVILEGES FOR ROLE dgo_migrator IN SCHEMA s REVOKE GRANT OPTION FOR SELECT ON TABLES FROM dgo_lead");
    await session.exec("ALTER DEFAULT PRIVILEGES FOR ROLE dgo_migrator IN SCHEMA s GRANT INSERT ON TABLES TO dgo_lead WITH GRANT OPTION");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`).sort(), [
      "grant-default dgo_lead: default INSERT on tables dgo_migrator creates in schema s",
      "grant-default dgo_lead: default SELECT WITH GRANT OPTION on tables dgo_migrator creates in schema s",
      "revoke-default dgo_lead: default INSERT WITH GRANT OPTION on tables dgo_migrator creates in schema s",
    ]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await leadDefaults(session), ["INSERT", "SELECT*"]);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
  });
});

serverTest("the script through psql gives the same, run twice; import writes the option back and plan with those files is empty", async (t) => {
  await onServer(async (session, databaseUrl) => {
    const script = path.join(mkdtempSync(path.join(tmpdir(), "rolec-dgo-")), "postgres.sql");
    writeFileSync(script, renderPostgres(program.model));
    for (const run of ["first", "second"]) {
      const result = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl, "-f", script], { encoding: "utf8" });
      t.is(result.status, 0, `${run} run: ${result.stderr}`);
    }
    t.deepEqual(await leadDefaults(session), ["INSERT", "SELECT*"]);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    const imported = await importPostgres(session, ["s"]);
    t.deepEqual(imported.warnings.filter((w) => w.includes("GRANT OPTION")), []);
    const text = renderRoles(imported.program);
    t.regex(text, /^ {2}insert on future tables in schema s created by dgo_migrator$/m);
    t.regex(text, /^ {2}select on future tables in schema s created by dgo_migrator with grant option$/m);
    const files = programOf({ "schemas.roles": renderSchemas(imported.program), "roles.roles": text });
    t.deepEqual(files.diagnostics.filter((d) => d.severity === "error"), []);
    t.deepEqual((await planOnPostgres(files.model, session)).plan.changes, []);
  });
});

test("a migration gives the default grant option the sources add, and takes it when they take it away", (t) => {
  const without = programOf(source.replace(" with grant option", ""));
  const sql = (from: typeof program, to: typeof program) => planPostgresMigration(from.model, to.model, {}).statements.map((s) => s.sql);
  t.deepEqual(sql(without, program), ['ALTER DEFAULT PRIVILEGES FOR ROLE "dgo_migrator" IN SCHEMA "s" GRANT SELECT ON TABLES TO "dgo_lead" WITH GRANT OPTION;']);
  t.deepEqual(sql(program, without), [
    'ALTER DEFAULT PRIVILEGES FOR ROLE "dgo_migrator" IN SCHEMA "s" REVOKE SELECT ON TABLES FROM "dgo_lead" CASCADE;',
    'ALTER DEFAULT PRIVILEGES FOR ROLE "dgo_migrator" IN SCHEMA "s" GRANT SELECT ON TABLES TO "dgo_lead";',
  ]);
  t.deepEqual(sql(program, program), []);
});

test("verify proves the default grant option on a table the creator makes, and reports a script that leaves it out", async (t) => {
  const script = renderPostgres(program.model);
  const tampered = script.replace('GRANT SELECT ON TABLES TO "dgo_lead" WITH GRANT OPTION;', 'GRANT SELECT ON TABLES TO "dgo_lead";');
  t.not(tampered, script);
  for (const [text, wanted] of [[script, []], [tampered, ["dgo_lead select a table dgo_migrator creates in s: granted / not granted"]]] as const) {
    const session = await openPglite();
    try {
      const report = await verifyScript(program.model, text, session);
      t.deepEqual(report.mismatches.filter((m) => m.grantOption).map((m) => `${m.role} ${m.verb} ${m.object}: ${m.expected} / ${m.actual}`), [...wanted]);
      t.deepEqual(report.mismatches.filter((m) => !m.grantOption), []);
    } finally {
      await session.close();
    }
  }
});

test("the checker takes a grant option on default privileges, but not for PUBLIC", (t) => {
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(program.model.defaultGrants.map((g) => `${g.verb}${g.grantable ? "*" : ""}`), ["select*", "insert"]);
  const refused = programOf("schema s { table t (a) }\nrole m { create on schema s }\npublic { select on future tables in schema s created by m with grant option }\n");
  t.deepEqual(refused.diagnostics.filter((d) => d.severity === "error").map((d) => d.code), ["RC0407"]);
});
