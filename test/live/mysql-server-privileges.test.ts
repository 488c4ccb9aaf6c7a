import test from "ava";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describeChange } from "../../src/engine/index.js";
import { applyOnMysql, planOnMysql, quoteMysqlIdent, renderMysql, runMysqlScript, verifyMysql, type MysqlSession } from "../../src/engine/mysql/index.js";
import { planMysqlMigration } from "../../src/engine/mysql/migration-plan.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withMysqlLock, withMysqlScratchDatabase } from "../helpers/databases.js";
import { mysqlClient, runWithMysqlClient } from "../helpers/mysql-client.js";
import { asMysqlAccount } from "../helpers/mysql-login.js";
import { programOf } from "../helpers/program.js";

// Privileges on the whole server (`process, replication_client on server`) on the MySQL/MariaDB
// server (ROLEC_TEST_MYSQL_URL): the script run with the command-line client, plan and apply,
// migrations, import and verify, with real statements run as the accounts the files declare.
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.serial.skip;
const yes = async () => true;

const principals = ["DROP ROLE IF EXISTS `ms_monitor`", "DROP ROLE IF EXISTS `rolec_login_ms_exporter`", "DROP USER IF EXISTS `ms_exporter`@`%`", "DROP USER IF EXISTS `ms_plain`@`%`", "DROP USER IF EXISTS `ms_power`@`%`"];

function programFor(db: string) {
  const program = programOf(
    `schema ${db} {
  table t (a)
}
role ms_monitor { process, replication_client on server }
role ms_exporter login {
  member of ms_monitor
  show_databases on server
  select on ${db}.t
}
role ms_plain login { select on ${db}.t }
`,
    { databases: ["mysql"] },
  );
  const errors = program.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`the test's program does not check: ${JSON.stringify(errors)}`);
  return program;
}

async function onServer<T>(fn: (session: MysqlSession, db: string) => Promise<T>): Promise<T> {
  return withMysqlScratchDatabase(url!, "rolec_ms_", principals, async (session, db) => {
    await session.query(`CREATE TABLE ${quoteMysqlIdent(db)}.t (a INT)`);
    return fn(session, db);
  });
}

/** Logs in as an account on host '%' and runs a query: its first value, "ok", or the error. */
const asAccount = (user: string, sql: string) => asMysqlAccount(url!, { user, host: "%" }, sql);

/** What the grant tables hold globally for the test's accounts and roles, as SHOW GRANTS says it. */
async function globalGrants(session: MysqlSession): Promise<string[]> {
  const out: string[] = [];
  for (const who of ["`ms_monitor`", "`ms_exporter`@`%`", "`ms_plain`@`%`"]) {
    for (const row of await session.query<Record<string, string>>(`SHOW GRANTS FOR ${who}`)) {
      const line = Object.values(row)[0]!;
      if (line.includes(" ON *.* ")) out.push(line.replace(/ IDENTIFIED BY .*$/, ""));
    }
  }
  return out;
}

const otherSessions = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()";
const allDatabases = "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'mysql'";

serverTest("the script, run with the command-line client, gives each account exactly its server privileges, through a role too, and takes any other global one", async (t) => {
  if (!mysqlClient) return t.fail("no mariadb or mysql client on PATH");
  await onServer(async (session, db) => {
    // Before: the role holds a global privilege the files do not give, one no column of mysql.user shows on MariaDB.
    await session.query("CREATE ROLE ms_monitor");
    const mariadb = String((await session.query<{ v: string }>("SELECT VERSION() AS v"))[0]!.v).includes("MariaDB");
    await session.query(`GRANT SUPER${mariadb ? ", BINLOG ADMIN" : ""} ON *.* TO ms_monitor`);
    const script = renderMysql(programFor(db).model);
    for (const run of ["first", "second"]) {
      const result = await runWithMysqlClient(url!, script);
      t.is(result.status, 0, `${run} run: ${result.stderr}`);
    }
    t.deepEqual(await globalGrants(session), [
      mariadb ? "GRANT PROCESS, BINLOG MONITOR ON *.* TO `ms_monitor`" : "GRANT PROCESS, REPLICATION CLIENT ON *.* TO `ms_monitor`",
      "GRANT SHOW DATABASES ON *.* TO `ms_exporter`@`%`",
      "GRANT USAGE ON *.* TO `ms_plain`@`%`",
    ]);
    // The exporter sees the others' sessions (this test's own root session is one) and every database.
    t.not(await asAccount("ms_exporter", otherSessions), "0");
    t.is(await asAccount("ms_exporter", allDatabases), "1");
    t.is(await asAccount("ms_exporter", "SHOW MASTER STATUS"), "ok");
    t.is(await asAccount("ms_plain", otherSessions), "0");
    t.is(await asAccount("ms_plain", allDatabases), "0");
    t.regex(await asAccount("ms_plain", "SHOW MASTER STATUS"), /Access denied; you need/);
  });
});

serverTest("plan grants a missing server privilege and revokes any other global one, the declared ones granted again at once; apply leaves what the script leaves", async (t) => {
  await onServer(async (session, db) => {
    const program = programFor(db);
    t.is((await applyOnMysql(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual((await planOnMysql(program.model, session)).plan.changes, []);
    const mariadb = (await planOnMysql(program.model, session)).live.mariadb;
    await session.query("REVOKE PROCESS ON *.* FROM ms_monitor");
    await session.query("GRANT FILE ON *.* TO ms_exporter@'%'");
    if (mariadb) await session.query("GRANT BINLOG ADMIN ON *.* TO ms_monitor");
    const planned = await planOnMysql(program.model, session);
    t.deepEqual(
      planned.plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`),
      [
        "grant-server ms_monitor: process on the server",
        ...(mariadb ? ["revoke-wide ms_monitor: privileges no column of mysql.user shows on *.* (global: reaches every declared table; then process, replication_client on the server again)"] : []),
        "revoke-wide ms_exporter: FILE on *.* (global: reaches every declared table; then show_databases on the server again)",
      ].sort(),
    );
    t.true(planned.statements.map((s) => s.sql).includes("REVOKE ALL PRIVILEGES ON *.* FROM `ms_exporter`@`%`;\nGRANT SHOW DATABASES ON *.* TO `ms_exporter`@`%`;"));
    t.is((await applyOnMysql(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual((await planOnMysql(program.model, session)).plan.changes, []);
    const afterApply = await globalGrants(session);
    await runMysqlScript(renderMysql(program.model), session);
    t.deepEqual(await globalGrants(session), afterApply, "the script leaves what apply left");
  });
});

serverTest("a migration grants server privileges the sources add, and revokes those they take away", async (t) => {
  const before = programOf(`schema app {\n  table t (a)\n}\nrole r { select on app.t }\n`, { databases: ["mysql"] });
  const after = programOf(`schema app {\n  table t (a)\n}\nrole r {\n  select on app.t\n  process, show_databases on server\n}\n`, { databases: ["mysql"] });
  t.deepEqual(planMysqlMigration(before.model, after.model, true, {}).statements.map((s) => s.sql), ["GRANT PROCESS, SHOW DATABASES ON *.* TO `r`;"]);
  t.deepEqual(planMysqlMigration(after.model, before.model, true, {}).statements.map((s) => s.sql), ["REVOKE ALL PRIVILEGES ON *.* FROM `r`;"]);
  t.deepEqual(planMysqlMigration(after.model, after.model, true, {}).statements, []);
});

serverTest("import writes a monitoring account's server privileges, leaves out one with another global privilege, and plan with the files is empty", async (t) => {
  await onServer(async (session, db) => {
    await session.query("CREATE USER ms_exporter@'%' ACCOUNT LOCK");
    await session.query("GRANT PROCESS, REPLICATION CLIENT ON *.* TO ms_exporter@'%'");
    await session.query(`GRANT SELECT ON ${quoteMysqlIdent(db)}.t TO ms_exporter@'%'`);
    await session.query("CREATE USER ms_power@'%' ACCOUNT LOCK");
    await session.query("GRANT PROCESS, RELOAD ON *.* TO ms_power@'%'");
    const out = path.join(tempDir(), "imported");
    const r = await rolec(["import", "--db", url!, "--schema", db, "--out", out]);
    t.is(r.code, 0, r.stderr);
    t.false(hasStackTrace(r.stderr));
    t.regex(r.stderr, /ms_power is left out: it holds global privileges \(RELOAD\)/);
    const roles = readFileSync(path.join(out, "roles.roles"), "utf8");
    t.regex(roles, /^role ms_exporter login \{\n  process, replication_client on server\n  select on rolec_ms_\w+\.t\n\}$/m);
    t.notRegex(roles, /ms_power/);
    const imported = programOf({ "schemas.roles": readFileSync(path.join(out, "schemas.roles"), "utf8"), "roles.roles": roles }, { databases: ["mysql"] });
    t.deepEqual(imported.diagnostics.filter((d) => d.severity === "error"), []);
    t.deepEqual((await planOnMysql(imported.model, session)).plan.changes, []);
  });
});

serverTest("verify proves each server privilege with a real statement and the grant tables, and catches a script that leaves one out", async (t) => {
  await withMysqlLock(url!, async () => {
    const model = programFor("ms_app").model;
    const report = await verifyMysql(model, url!);
    t.deepEqual(report.mismatches, []);
    t.deepEqual(report.roleMismatches, []);
    t.true(report.summary.some((row) => row.role === "ms_exporter" && row.object === "the server" && row.privileges.join(",") === "process,replication_client,show_databases"));
    const tampered = await verifyMysql(model, url!, { transformScript: (script) => script.replace(/^GRANT PROCESS, REPLICATION CLIENT ON \*\.\* TO `ms_monitor`;$/m, "") });
    t.deepEqual(
      tampered.mismatches.map((m) => `${m.role} ${m.verb}: ${m.expected} / ${m.actual}`),
      ["ms_exporter process: allowed / denied", "ms_exporter replication_client: allowed / denied", "ms_monitor process: allowed / denied", "ms_monitor replication_client: allowed / denied"],
    );
    t.deepEqual(
      tampered.roleMismatches.map((m) => `${m.role} ${m.what}: ${m.actual}`),
      ["ms_monitor PROCESS on the server: not granted", "ms_monitor REPLICATION CLIENT on the server: not granted"],
    );
  });
});
