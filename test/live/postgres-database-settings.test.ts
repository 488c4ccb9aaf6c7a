import test from "ava";
import { spawnSync } from "node:child_process";
import pg from "pg";
import { describeChange, verified, type SqlSession } from "../../src/engine/index.js";
import { applyOnPostgres, openPglite, planOnPostgres, renderPostgres, verifyScript } from "../../src/engine/postgres/index.js";
import { serverUrl, withDeclaredObjects } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";
import { expectImportRoundTrips, importDatabase } from "../helpers/import-round-trip.js";

// Settings for one database (`set ... in database`, ALTER ROLE ... IN DATABASE ... SET): once a
// line says one, each declared role holds exactly its declared ones in the program's database;
// a program without such a line leaves them alone. Read back from pg_db_role_setting, and proved
// by logging in as the role and asking the server what the setting is.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const psqlTest = url && spawnSync("psql", ["--version"]).status === 0 ? test.serial : test.serial.skip;

const source = `schema s { table t (a) }
role dbs_web login {
  set statement_timeout = '5s'
  set statement_timeout = '30s' in database
  set search_path = s, public in database
  select on s.t
}
role dbs_plain { select on s.t }
`;
const program = programOf(source);
const roles = ["dbs_web", "dbs_plain"];
const yes = async () => true;

/** Each role's settings for the current database, and for every database, as pg_db_role_setting keeps them. */
async function stored(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `SELECT r.rolname || CASE WHEN s.setdatabase = 0 THEN ' everywhere: ' ELSE ' here: ' END || array_to_string(ARRAY(SELECT unnest(s.setconfig) ORDER BY 1), '; ') AS line
     FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
     WHERE r.rolname = ANY ($1::text[]) AND s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
     ORDER BY 1`,
    [roles],
  );
  return rows.map((r) => r.line);
}

const expected = ["dbs_web everywhere: statement_timeout=5s", "dbs_web here: search_path=s, public; statement_timeout=30s"];

function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, fn);
}

test("the checker keeps settings for every database and for this one apart", (t) => {
  t.deepEqual(program.diagnostics, []);
  const web = program.model.roles.find((r) => r.name === "dbs_web")!;
  t.deepEqual(web.settings, [{ parameter: "statement_timeout", values: ["5s"] }]);
  t.deepEqual(web.databaseSettings, [
    { parameter: "search_path", values: ["s", "public"] },
    { parameter: "statement_timeout", values: ["30s"] },
  ]);
});

serverTest("apply sets exactly the declared settings here; drift is planned and taken back; a session of the role gets them", async (t) => {
  await onServer(async (session, databaseUrl) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await stored(session), expected);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    await session.exec(`DO $$ BEGIN
      EXECUTE format('ALTER ROLE dbs_plain IN DATABASE %I SET work_mem = ''1MB''', current_database());
      EXECUTE format('ALTER ROLE dbs_web IN DATABASE %I RESET search_path', current_database());
    END $$`);
    const drift = (await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.deepEqual(drift.sort(), [
      "alter-role dbs_plain: settings in database: work_mem=1MB → none",
      "alter-role dbs_web: settings in database: statement_timeout=30s → search_path=s, public; statement_timeout=30s",
    ]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await stored(session), expected);

    // The role logs in (trust authentication) and the server says what it got: this database's value wins.
    const target = new URL(databaseUrl);
    target.username = "dbs_web";
    // A plain client: rolec's own sessions set statement_timeout themselves.
    const asWeb = new pg.Client({ connectionString: target.toString() });
    await asWeb.connect();
    try {
      const shown = await asWeb.query("SELECT current_setting('statement_timeout') AS timeout, current_setting('search_path') AS path");
      t.deepEqual(shown.rows, [{ timeout: "30s", path: "s, public" }]);
    } finally {
      await asWeb.end();
    }
  });
});

serverTest("a program without `in database` leaves the settings for one database alone", async (t) => {
  const silent = programOf("schema s { table t (a) }\nrole dbs_plain { select on s.t }\n");
  await withDeclaredObjects(url!, roles, silent.model, async (session) => {
    await session.exec(`CREATE ROLE dbs_plain; DO $$ BEGIN EXECUTE format('ALTER ROLE dbs_plain IN DATABASE %I SET work_mem = ''1MB''', current_database()); END $$`);
    t.is((await applyOnPostgres(silent.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await stored(session), ["dbs_plain here: work_mem=1MB"]);
    t.deepEqual((await planOnPostgres(silent.model, session)).plan.changes, []);
    t.notRegex(renderPostgres(silent.model), /IN DATABASE/);
  });
});

psqlTest("the compiled script, run by psql, sets the same and resets what was set by hand", async (t) => {
  await onServer(async (session, databaseUrl) => {
    await session.exec(`CREATE ROLE dbs_plain; DO $$ BEGIN EXECUTE format('ALTER ROLE dbs_plain IN DATABASE %I SET work_mem = ''1MB''', current_database()); END $$`);
    const run = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl], { input: renderPostgres(program.model), encoding: "utf8" });
    t.is(run.status, 0, run.stderr);
    t.deepEqual(await stored(session), expected);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
  });
});

serverTest("import writes the settings here as `in database` lines; plan with the imported files is empty", async (t) => {
  await onServer(async (session, databaseUrl) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    const imported = await importDatabase(t, databaseUrl);
    t.regex(imported.roles, /^ {2}set statement_timeout = '5s'\n {2}set search_path = 's', 'public' in database\n {2}set statement_timeout = '30s' in database$/m);
    await expectImportRoundTrips(t, session, imported);
  });
});

test("verify on PGlite proves the settings here, and catches a script that leaves one out", async (t) => {
  const script = renderPostgres(program.model);
  const good = await openPglite();
  try {
    const report = await verifyScript(program.model, script, good);
    t.true(verified(report), JSON.stringify(report.roleMismatches));
  } finally {
    await good.close();
  }
  const tampered = script.replace(/ EXECUTE pg_catalog\.format\('ALTER ROLE %I IN DATABASE %I SET %s TO %s', 'dbs_web', pg_catalog\.current_database\(\), '"search_path"', [^;]*\);/, "");
  t.not(tampered, script, "the tampering must change the script");
  const again = await openPglite();
  try {
    const report = await verifyScript(program.model, tampered, again);
    t.false(verified(report));
    t.deepEqual(report.roleMismatches.map((m) => `${m.role} ${m.what}: ${m.expected} / ${m.actual}`), ["dbs_web settings in database: search_path=s, public; statement_timeout=30s / statement_timeout=30s"]);
  } finally {
    await again.close();
  }
});
