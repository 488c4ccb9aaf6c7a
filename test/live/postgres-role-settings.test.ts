import test from "ava";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describeChange, verified, type SqlSession } from "../../src/engine/index.js";
import { applyOnPostgres, openPglite, planOnPostgres, renderPostgres, verifyScript } from "../../src/engine/postgres/index.js";
import { rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withDeclaredObjects } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// Role settings (`set statement_timeout = '5s'`): the script, plan and apply leave each role
// exactly its declared settings, a session of the role really gets them, import writes them
// back, and verify catches a script that leaves one out. Read from pg_db_role_setting and SHOW.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const psqlTest = url && spawnSync("psql", ["--version"]).status === 0 ? test.serial : test.serial.skip;

const source = `schema s { table t (a) }
role set_web login {
  set statement_timeout = '5s'
  set search_path = s, '$user', "Odd Schema"
  set app.tenant = 'it''s acme'
  select on s.t
}
role set_plain { select on s.t }
`;
const program = programOf(source);
const roles = ["set_web", "set_plain"];
const yes = async () => true;
const declared = ["set_web: app.tenant=it's acme", 'set_web: search_path=s, "$user", "Odd Schema"', "set_web: statement_timeout=5s"];

/** Every role-wide setting of the test's roles, as pg_db_role_setting holds it. */
async function settings(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `SELECT r.rolname || ': ' || c AS line FROM pg_catalog.pg_db_role_setting s JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
     CROSS JOIN LATERAL unnest(s.setconfig) c WHERE s.setdatabase = 0 AND r.rolname = ANY ($1::text[]) ORDER BY 1`,
    [roles],
  );
  return rows.map((r) => r.line);
}

/** A fresh database with the program's objects, and a session on it. */
function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, fn);
}

test("the checker takes the settings: a custom parameter, a list for search_path, a doubled quote", (t) => {
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(program.model.roles.find((r) => r.name === "set_web")!.settings, [
    { parameter: "app.tenant", values: ["it's acme"] },
    { parameter: "search_path", values: ["s", "$user", "Odd Schema"] },
    { parameter: "statement_timeout", values: ["5s"] },
  ]);
});

serverTest("apply sets exactly the declared settings, a session of the role gets them, and drift is taken back; a setting for one database is left alone", async (t) => {
  await onServer(async (session, databaseUrl) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await settings(session), declared);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, [], "the stored list reads back as declared");

    // A plain psql session of the role, since rolec's own sessions set a statement timeout of their own.
    const login = new URL(databaseUrl);
    login.username = "set_web";
    login.password = "";
    const shown = spawnSync("psql", ["-X", "-At", "-d", login.toString(), "-c", "SELECT current_setting('statement_timeout') || '|' || current_setting('search_path') || '|' || current_setting('app.tenant')"], { encoding: "utf8" });
    t.is(shown.stdout.trim(), `5s|s, "$user", "Odd Schema"|it's acme`, shown.stderr);

    const database = (await session.query<{ name: string }>("SELECT current_database() AS name"))[0]!.name;
    await session.exec(`ALTER ROLE set_web SET statement_timeout = '1s'; ALTER ROLE set_plain SET work_mem = '1MB'; ALTER ROLE set_web IN DATABASE "${database}" SET lock_timeout = '2s'`);
    const drift = (await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.deepEqual(drift, [
      'alter-role set_plain: settings: work_mem=1MB → none',
      'alter-role set_web: settings: app.tenant=it\'s acme; search_path=s, $user, Odd Schema; statement_timeout=1s → app.tenant=it\'s acme; search_path=s, $user, Odd Schema; statement_timeout=5s',
    ]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await settings(session), declared);
    const [kept] = await session.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_catalog.pg_db_role_setting s JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database()");
    t.is(kept!.n, 1, "the setting for this one database is not rolec's");
  });
});

psqlTest("the compiled script, run by psql, leaves the declared settings and a plan with nothing to change", async (t) => {
  await onServer(async (session, databaseUrl) => {
    await session.exec(`CREATE ROLE set_web LOGIN; ALTER ROLE set_web SET work_mem = '1MB'`);
    const run = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl], { input: renderPostgres(program.model), encoding: "utf8" });
    t.is(run.status, 0, run.stderr);
    t.deepEqual(await settings(session), declared);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
  });
});

serverTest("import writes the settings back; plan with the imported files is empty", async (t) => {
  await onServer(async (session, databaseUrl) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    const out = path.join(tempDir(), "imported");
    const r = await rolec(["import", "--db", databaseUrl, "--out", out]);
    t.is(r.code, 0, r.stderr);
    const imported = readFileSync(path.join(out, "roles.roles"), "utf8");
    t.regex(imported, /^ {2}set search_path = 's', '\$user', 'Odd Schema'$/m);
    t.regex(imported, /^ {2}set app\.tenant = 'it''s acme'$/m);
    const reimported = programOf({ "schemas.roles": readFileSync(path.join(out, "schemas.roles"), "utf8"), "roles.roles": imported });
    t.deepEqual(reimported.diagnostics, []);
    t.deepEqual((await planOnPostgres(reimported.model, session)).plan.changes, []);
  });
});

test("verify on PGlite proves the settings, and catches a script that leaves one out", async (t) => {
  const script = renderPostgres(program.model);
  const good = await openPglite();
  try {
    const report = await verifyScript(program.model, script, good);
    t.true(verified(report), JSON.stringify(report.roleMismatches));
  } finally {
    await good.close();
  }
  const tampered = script.replace(`ALTER ROLE "set_web" SET "statement_timeout" TO '5s';\n`, "");
  t.not(tampered, script, "the tampering must change the script");
  const bad = await openPglite();
  try {
    const report = await verifyScript(program.model, tampered, bad);
    t.false(verified(report));
    t.deepEqual(report.roleMismatches.map((m) => `${m.role} ${m.what}`), ["set_web settings"]);
  } finally {
    await bad.close();
  }
});
