import test from "ava";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { quoteIdent, renderPostgres } from "../../src/engine/postgres/index.js";
import { describeChange } from "../../src/engine/index.js";
import { applyOnPostgres, planOnPostgres } from "../../src/engine/postgres/index.js";
import type { Program } from "../../src/load/index.js";
import { sqlState as sqlStateOf } from "../../src/engine/index.js";
import { type SqlSession } from "../../src/engine/index.js";
import { openPgServer } from "../../src/engine/postgres/index.js";
import { scratchSchemaSql } from "../../src/engine/postgres/verify/scratch-schema.js";
import { serverUrl, withDatabase } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// Two teams, two databases on one PostgreSQL cluster, one shared login role. Roles and
// memberships are cluster-wide, so each program names the other's roles it touches as external:
// program 1 owns the login role `multi_app` and the group role `multi_auditors`; program 2 makes
// `multi_app` a member of its own role and grants `multi_auditors` something in its database.
// Applied in turns, through rolec and through psql, neither undoes the other.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const psqlFound = spawnSync("psql", ["--version"]).status === 0;
const psqlTest = url && psqlFound ? test.serial : test.serial.skip;

const roles = ["multi_app", "multi_auditors", "multi_db1_rw", "multi_db2_rw", "multi_db2_ro", "multi_alice", "multi_missing"];

const consent = `
// The roles of program 2 that multi_app may be a member of: those memberships are program 2's.
external role multi_db2_rw
external role multi_db2_ro
`;
const program1Text = `schema s1 { table t1 (id, note) }
role multi_db1_rw { select, insert on s1.t1 }
role multi_auditors { select on s1.t1 }
role multi_app login { member of multi_db1_rw }
${consent}`;
const program1 = programOf(program1Text);
const program2 = programOf(`schema s2 { table t2 (id, note) }
role multi_db2_rw { select, insert, update on s2.t2 }
role multi_db2_ro { select on s2.t2 }
external role multi_app login { member of multi_db2_rw }
external role multi_auditors { select (id) on s2.t2 }
`);
const yes = async () => true;

interface Cluster {
  readonly db1: SqlSession;
  readonly db2: SqlSession;
  readonly url1: string;
  readonly url2: string;
  readonly admin: SqlSession;
}

/**
 * Two fresh databases on the server with each program's tables, under the lock the other server
 * tests take. Every role the tests may create is dropped before and afterwards, whatever happens.
 */
async function onCluster(fn: (cluster: Cluster) => Promise<void>): Promise<void> {
  const admin = await openPgServer(url!);
  const names = [`rolec_multi1_${randomBytes(4).toString("hex")}`, `rolec_multi2_${randomBytes(4).toString("hex")}`];
  const sessions: SqlSession[] = [];
  try {
    await admin.query("SELECT pg_advisory_lock(727274)");
    await dropRoles(admin);
    for (const name of names) await admin.exec(`CREATE DATABASE ${quoteIdent(name)}`);
    const [url1, url2] = names.map((name) => withDatabase(url!, name)) as [string, string];
    const db1 = await openPgServer(url1);
    sessions.push(db1);
    const db2 = await openPgServer(url2);
    sessions.push(db2);
    await db1.exec(scratchSchemaSql(program1.model).sql);
    await db2.exec(scratchSchemaSql(program2.model).sql);
    await fn({ db1, db2, url1, url2, admin });
  } finally {
    for (const session of sessions) await session.close().catch(() => undefined);
    for (const name of names) await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`).catch(() => undefined);
    await dropRoles(admin);
    await admin.close();
  }
}

async function dropRoles(admin: SqlSession): Promise<void> {
  for (const role of roles) {
    const exists = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    // Each database may hold privileges for it; the databases are dropped first, so what is left is cluster-wide.
    if (exists.length > 0) await admin.exec(`DROP OWNED BY ${quoteIdent(role)}; DROP ROLE ${quoteIdent(role)}`);
  }
}

async function changes(program: Program, session: SqlSession): Promise<string[]> {
  const planned = await planOnPostgres(program.model, session);
  return [...planned.plan.blockers.map((b) => `blocked: ${b.what}`), ...planned.plan.changes.map((c) => `${c.kind} ${c.role ?? ""}: ${describeChange(c)}`)];
}

async function parents(admin: SqlSession, child: string): Promise<string[]> {
  const rows = await admin.query<{ parent: string }>(
    `SELECT p.rolname AS parent FROM pg_auth_members m JOIN pg_roles p ON p.oid = m.roleid JOIN pg_roles c ON c.oid = m.member
     WHERE c.rolname = $1 ORDER BY 1`,
    [child],
  );
  return rows.map((r) => r.parent);
}

/** Whether `role` may run `sql` in the session's database (in a transaction that is rolled back). */
async function allowed(session: SqlSession, role: string, sql: string): Promise<boolean> {
  await session.exec("BEGIN");
  try {
    await session.exec(`SET LOCAL ROLE ${quoteIdent(role)}`);
    await session.query(sql);
    return true;
  } catch (error) {
    if (sqlStateOf(error) === "42501") return false;
    throw error;
  } finally {
    await session.exec("ROLLBACK");
  }
}

serverTest("two programs on two databases of one cluster share a login role and a group role: applied in turns, both plans stay empty", async (t) => {
  await onCluster(async ({ db1, db2, admin }) => {
    t.is((await applyOnPostgres(program1.model, db1, { confirm: yes })).kind, "applied");
    t.is((await applyOnPostgres(program2.model, db2, { confirm: yes })).kind, "applied");
    t.deepEqual(await changes(program1, db1), [], "program 1 leaves multi_app's membership in program 2's role alone");
    t.deepEqual(await changes(program2, db2), []);
    t.deepEqual(await parents(admin, "multi_app"), ["multi_db1_rw", "multi_db2_rw"]);

    // Applying program 1 again changes nothing of program 2's.
    t.is((await applyOnPostgres(program1.model, db1, { confirm: yes })).kind, "nothing to do");
    t.deepEqual(await changes(program2, db2), []);
    t.deepEqual(await parents(admin, "multi_app"), ["multi_db1_rw", "multi_db2_rw"]);

    // What each role may do in each database is what that database's program says.
    t.true(await allowed(db1, "multi_app", "INSERT INTO s1.t1 VALUES ('1', 'a')"));
    t.true(await allowed(db2, "multi_app", "UPDATE s2.t2 SET note = 'b'"));
    t.true(await allowed(db2, "multi_auditors", "SELECT id FROM s2.t2"));
    t.false(await allowed(db2, "multi_auditors", "SELECT note FROM s2.t2"));
    t.true(await allowed(db1, "multi_auditors", "SELECT note FROM s1.t1"));

    // Program 2 manages what the external roles hold in its database and their memberships in its roles.
    await db2.exec("GRANT DELETE ON s2.t2 TO multi_app; GRANT multi_db2_ro TO multi_app WITH ADMIN OPTION; GRANT multi_db2_rw TO multi_auditors");
    const drift = await changes(program2, db2);
    for (const expected of [
      "revoke multi_app: DELETE on s2.t2",
      "revoke-membership multi_app: member of multi_db2_ro",
      "revoke-membership multi_auditors: member of multi_db2_rw",
    ]) {
      t.true(drift.some((line) => line.startsWith(expected)), `${expected} in\n${drift.join("\n")}`);
    }
    // ... and program 1, to which those roles are program 2's, leaves them alone.
    t.deepEqual(await changes(program1, db1), []);
    t.is((await applyOnPostgres(program2.model, db2, { confirm: yes })).kind, "applied");
    t.deepEqual(await changes(program2, db2), []);
    t.deepEqual(await parents(admin, "multi_app"), ["multi_db1_rw", "multi_db2_rw"]);
    t.deepEqual(await parents(admin, "multi_auditors"), []);

    // A person gives someone program 1's role: that is how people are given roles, and both leave it.
    await admin.exec("CREATE ROLE multi_alice IN ROLE multi_db1_rw");
    t.deepEqual(await changes(program1, db1), []);
    t.deepEqual(await changes(program2, db2), []);

    // Without the consent, program 1 takes multi_app's membership in program 2's role away, as before.
    const withoutConsent = programOf(program1Text.replace(consent, ""));
    t.true((await changes(withoutConsent, db1)).some((line) => line.startsWith("revoke-membership multi_app: member of multi_db2_rw")));
  });
});

serverTest("external roles are known roles: never listed as unmanaged, and --prune takes from them only what it takes from any declared role", async (t) => {
  await onCluster(async ({ db1, db2, admin }) => {
    t.is((await applyOnPostgres(program1.model, db1, { confirm: yes })).kind, "applied");
    t.is((await applyOnPostgres(program2.model, db2, { confirm: yes })).kind, "applied");
    // A person's role, given things in database 2 by hand.
    await admin.exec("CREATE ROLE multi_alice IN ROLE multi_db2_ro");
    await db2.exec("GRANT SELECT ON s2.t2 TO multi_alice");
    const planned = await planOnPostgres(program2.model, db2);
    t.deepEqual(planned.plan.unmanaged, [{ role: "multi_alice", holds: ["SELECT on s2.t2", "member of multi_db2_ro"] }]);
    t.deepEqual(planned.plan.changes, []);
    const pruned = await planOnPostgres(program2.model, db2, { prune: true });
    t.deepEqual(
      pruned.plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`),
      ["revoke-membership multi_alice: member of multi_db2_ro", "revoke multi_alice: SELECT on s2.t2"],
      "multi_app's membership in program 1's role, and multi_auditors' grants there, stay",
    );
    t.is((await applyOnPostgres(program2.model, db2, { prune: true, confirm: yes })).kind, "applied");
    t.deepEqual(await changes(program1, db1), []);
    t.deepEqual((await planOnPostgres(program1.model, db1, { prune: true })).plan.changes, [], "program 1 prunes nothing of program 2's either");
    t.deepEqual(await parents(admin, "multi_app"), ["multi_db1_rw", "multi_db2_rw"]);
  });
});

psqlTest("the compiled postgres.sql of each program, run by psql in turns, leaves both plans empty", async (t) => {
  await onCluster(async ({ db1, db2, url1, url2, admin }) => {
    const scripts = [
      { url: url1, script: renderPostgres(program1.model) },
      { url: url2, script: renderPostgres(program2.model) },
    ];
    // Program 1 first: it creates the roles program 2 names as external.
    for (const [i, { url: target, script }] of [...scripts, ...scripts, scripts[0]!].entries()) {
      const result = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", target], { input: script, encoding: "utf8" });
      t.is(result.status, 0, result.stderr);
      t.deepEqual(await changes(program1, db1), [], `program 1's plan after run ${i + 1}`);
      if (i > 0) t.deepEqual(await changes(program2, db2), [], `program 2's plan after run ${i + 1}`);
    }
    t.deepEqual(await parents(admin, "multi_app"), ["multi_db1_rw", "multi_db2_rw"]);
    // Drift the script of program 2 takes away, while that of program 1 leaves it.
    await db2.exec("GRANT DELETE ON s2.t2 TO multi_auditors; GRANT multi_db2_ro TO multi_app WITH ADMIN OPTION");
    await db1.exec("GRANT UPDATE ON s1.t1 TO multi_app");
    const run = (target: string, script: string) => spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", target], { input: script, encoding: "utf8" });
    t.is(run(url1, scripts[0]!.script).status, 0);
    t.deepEqual(await changes(program1, db1), []);
    t.deepEqual(await parents(admin, "multi_app"), ["multi_db1_rw", "multi_db2_ro", "multi_db2_rw"]);
    t.is(run(url2, scripts[1]!.script).status, 0);
    t.deepEqual(await changes(program2, db2), []);
    t.deepEqual(await parents(admin, "multi_app"), ["multi_db1_rw", "multi_db2_rw"]);
  });
});

serverTest("an external role that does not exist blocks plan and apply, and the script refuses before changing anything", async (t) => {
  const program = programOf(`schema s2 { table t2 (id, note) }
role multi_db2_rw { select on s2.t2 }
external role multi_missing { member of multi_db2_rw }
// Only named: it need not exist, since no statement names it.
external role multi_app
`);
  await onCluster(async ({ db2, url2 }) => {
    const planned = await planOnPostgres(program.model, db2);
    t.deepEqual(
      planned.plan.blockers.map((b) => `${b.what}: ${b.hint}`),
      ["multi_missing is declared external but does not exist (the script refuses this: RC004): This program never creates an external role, nor a creator it does not declare: create it with the program that manages it (or by hand), then run again."],
    );
    t.is(planned.plan.blockers[0]!.span?.startLine, 3, "the blocker points at the external role's declaration");
    t.is((await applyOnPostgres(program.model, db2, { confirm: yes })).kind, "blocked");
    let failure: unknown;
    try {
      await db2.exec(renderPostgres(program.model));
    } catch (error) {
      failure = error;
    }
    await db2.exec("ROLLBACK").catch(() => undefined);
    t.is(sqlStateOf(failure), "RC004");
    t.regex(String((failure as Error).message), /multi_missing is declared external but does not exist/);
    t.deepEqual(await db2.query("SELECT 1 FROM pg_roles WHERE rolname = 'multi_db2_rw'"), [], "nothing was created");
    if (psqlFound) {
      const result = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url2], { input: renderPostgres(program.model), encoding: "utf8" });
      t.not(result.status, 0);
      t.regex(result.stderr, /multi_missing is declared external but does not exist/);
    }
    // Created by whoever manages it, it is used as it stands and never altered.
    await db2.exec("CREATE ROLE multi_missing LOGIN CONNECTION LIMIT 3; COMMENT ON ROLE multi_missing IS 'theirs'");
    t.is((await applyOnPostgres(program.model, db2, { confirm: yes })).kind, "applied");
    t.deepEqual(await changes(program, db2), []);
    const [row] = await db2.query<{ rolcanlogin: boolean; rolconnlimit: number; comment: string }>(
      "SELECT rolcanlogin, rolconnlimit, pg_catalog.shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = 'multi_missing'",
    );
    t.deepEqual(row, { rolcanlogin: true, rolconnlimit: 3, comment: "theirs" });
  });
});
