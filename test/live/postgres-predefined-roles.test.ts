import test from "ava";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describeChange, verified, type SqlSession } from "../../src/engine/index.js";
import { applyOnPostgres, openPglite, planOnPostgres, renderPostgres, verifyScript } from "../../src/engine/postgres/index.js";
import { rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withDeclaredObjects } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// Membership in PostgreSQL's predefined roles (`member of pg_monitor`): granted and revoked like
// any membership by the script, plan and apply, imported, and proved by verify; a membership in
// one the files do not name is still revoked. Read from pg_auth_members and pg_has_role.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const psqlTest = url && spawnSync("psql", ["--version"]).status === 0 ? test.serial : test.serial.skip;

const program = programOf(`schema s { table t (a) }
role pre_base { select on s.t }
role pre_monitor login {
  member of pre_base, pg_monitor, pg_read_all_stats
}
`);
/** The same program without pg_monitor. */
const withoutMonitor = programOf(`schema s { table t (a) }\nrole pre_base { select on s.t }\nrole pre_monitor login { member of pre_base, pg_read_all_stats }\n`);
const roles = ["pre_base", "pre_monitor"];
const yes = async () => true;

/** The test roles' memberships, e.g. `pre_monitor in pg_monitor`. */
async function memberships(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `SELECT DISTINCT c.rolname || ' in ' || p.rolname AS line FROM pg_catalog.pg_auth_members m
     JOIN pg_catalog.pg_roles p ON p.oid = m.roleid JOIN pg_catalog.pg_roles c ON c.oid = m.member
     WHERE c.rolname = ANY ($1::text[]) ORDER BY 1`,
    [roles],
  );
  return rows.map((r) => r.line);
}

const declared = ["pre_monitor in pg_monitor", "pre_monitor in pg_read_all_stats", "pre_monitor in pre_base"];

/** A fresh database with the program's objects, and a session on it. */
function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, fn);
}

test("the checker takes the predefined roles as parents", (t) => {
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(program.model.roles.find((r) => r.name === "pre_monitor")!.memberOf, ["pg_monitor", "pg_read_all_stats", "pre_base"]);
});

serverTest("apply grants the predefined memberships and the role really holds them; one the files do not name is revoked, a removed one too", async (t) => {
  await onServer(async (session) => {
    await session.exec("CREATE ROLE pre_monitor LOGIN; GRANT pg_signal_backend TO pre_monitor");
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await memberships(session), declared);
    const [held] = await session.query<{ monitor: boolean; signal: boolean }>(
      "SELECT pg_catalog.pg_has_role('pre_monitor', 'pg_monitor', 'USAGE') AS monitor, pg_catalog.pg_has_role('pre_monitor', 'pg_signal_backend', 'USAGE') AS signal",
    );
    t.deepEqual(held, { monitor: true, signal: false });
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    await session.exec("REVOKE pg_monitor FROM pre_monitor");
    const drift = (await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.deepEqual(drift, ["grant-membership pre_monitor: member of pg_monitor"]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await memberships(session), declared);
    t.is((await applyOnPostgres(withoutMonitor.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await memberships(session), ["pre_monitor in pg_read_all_stats", "pre_monitor in pre_base"]);
  });
});

psqlTest("the compiled script, run by psql, leaves exactly the declared memberships", async (t) => {
  await onServer(async (session, databaseUrl) => {
    await session.exec("CREATE ROLE pre_monitor LOGIN; GRANT pg_signal_backend TO pre_monitor");
    const run = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl], { input: renderPostgres(program.model), encoding: "utf8" });
    t.is(run.status, 0, run.stderr);
    t.deepEqual(await memberships(session), declared);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
  });
});

serverTest("import keeps a membership in a predefined role the language takes, and plan with the imported files is empty", async (t) => {
  await onServer(async (session, databaseUrl) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    await session.exec("GRANT pg_read_all_data TO pre_monitor");
    const out = path.join(tempDir(), "imported");
    const r = await rolec(["import", "--db", databaseUrl, "--out", out]);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stderr, /role pre_monitor is a member of pg_read_all_data, which is not imported; plan will revoke that membership/);
    const imported = readFileSync(path.join(out, "roles.roles"), "utf8");
    t.regex(imported, /^ {2}member of pg_monitor, pg_read_all_stats, pre_base$/m);
    const reimported = programOf({ "schemas.roles": readFileSync(path.join(out, "schemas.roles"), "utf8"), "roles.roles": imported });
    t.deepEqual(reimported.diagnostics, []);
    const replanned = (await planOnPostgres(reimported.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.deepEqual(replanned, ["revoke-membership pre_monitor: member of pg_read_all_data"]);
  });
});

test("verify on PGlite proves a predefined membership, and catches a script that leaves it out", async (t) => {
  const script = renderPostgres(program.model);
  const good = await openPglite();
  try {
    const report = await verifyScript(program.model, script, good);
    t.true(verified(report), JSON.stringify(report.roleMismatches));
  } finally {
    await good.close();
  }
  // The script of the same program without pg_monitor, proved against the program with it.
  const tampered = renderPostgres(withoutMonitor.model);
  const bad = await openPglite();
  try {
    const report = await verifyScript(program.model, tampered, bad);
    t.deepEqual(report.roleMismatches.map((m) => `${m.role} ${m.what}: ${m.actual}`), ["pre_monitor member of: pg_read_all_stats, pre_base"]);
  } finally {
    await bad.close();
  }
});
