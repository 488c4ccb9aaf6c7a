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

// `member of ... with admin option` on the MySQL/MariaDB server (ROLEC_TEST_MYSQL_URL): the
// script run with the command-line client, plan and apply, migrations, import and verify, read
// back from the grant tables, and a real GRANT run by the member that holds the option.
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.serial.skip;
const yes = async () => true;

const principals = ["DROP ROLE IF EXISTS `ma_app`", "DROP ROLE IF EXISTS `ma_ops`", "DROP ROLE IF EXISTS `rolec_login_ma_lead`", "DROP ROLE IF EXISTS `rolec_login_ma_web`", "DROP USER IF EXISTS `ma_lead`@`%`", "DROP USER IF EXISTS `ma_web`@`%`", "DROP USER IF EXISTS `ma_new`@`%`"];

function programFor(db: string, leadAdmin = true) {
  const program = programOf(
    `schema ${db} {
  table t (a)
}
role ma_app { select on ${db}.t }
role ma_ops { member of ma_app${leadAdmin ? " with admin option" : ""} }
role ma_lead login { member of ma_app${leadAdmin ? " with admin option" : ""} }
role ma_web login { member of ma_app }
`,
    { databases: ["mysql"] },
  );
  const errors = program.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`the test's program does not check: ${JSON.stringify(errors)}`);
  return program;
}

async function onServer<T>(fn: (session: MysqlSession, db: string) => Promise<T>): Promise<T> {
  return withMysqlScratchDatabase(url!, "rolec_ma_", principals, async (session, db) => {
    await session.query(`CREATE TABLE ${quoteMysqlIdent(db)}.t (a INT)`);
    return fn(session, db);
  });
}

/** The test's memberships of ma_app as the grant tables hold them: `child@host admin?`, sorted. */
async function memberships(session: MysqlSession): Promise<string[]> {
  const mariadb = String((await session.query<{ v: string }>("SELECT VERSION() AS v"))[0]!.v).includes("MariaDB");
  const rows = await session.query<{ child: string; host: string; admin: string }>(
    mariadb
      ? "SELECT User AS child, Host AS host, Admin_option AS admin FROM mysql.roles_mapping WHERE Role = 'ma_app' AND User LIKE 'ma\\_%'"
      : "SELECT TO_USER AS child, TO_HOST AS host, WITH_ADMIN_OPTION AS admin FROM mysql.role_edges WHERE FROM_USER = 'ma_app' AND TO_USER LIKE 'ma\\_%'",
  );
  return rows.map((r) => `${r.child}@${r.host} ${r.admin === "Y" ? "admin" : "member"}`).sort();
}

serverTest("the script, run with the command-line client, grants the declared admin options and takes any other", async (t) => {
  if (!mysqlClient) return t.fail("no mariadb or mysql client on PATH");
  await onServer(async (session, db) => {
    // Before: the web account holds the option, granted by hand.
    await session.query("CREATE ROLE ma_app");
    await session.query("CREATE USER ma_web@'%' ACCOUNT LOCK");
    await session.query("GRANT ma_app TO ma_web@'%' WITH ADMIN OPTION");
    const script = renderMysql(programFor(db).model);
    for (const run of ["first", "second"]) {
      const result = await runWithMysqlClient(url!, script);
      t.is(result.status, 0, `${run} run: ${result.stderr}`);
    }
    t.deepEqual(await memberships(session), ["ma_lead@% admin", "ma_ops@ admin", "ma_web@% member"]);
    // The option is real: the lead hands the role on, the web account cannot.
    await session.query("CREATE USER ma_new@'%' ACCOUNT LOCK");
    t.regex(await asMysqlAccount(url!, { user: "ma_web", host: "%" }, "GRANT ma_app TO ma_new@'%'"), /Access denied/);
    t.is(await asMysqlAccount(url!, { user: "ma_lead", host: "%" }, "GRANT ma_app TO ma_new@'%'"), "ok");
  });
});

serverTest("plan grants a missing admin option and revokes an undeclared one; apply leaves what the script leaves", async (t) => {
  await onServer(async (session, db) => {
    const program = programFor(db);
    t.is((await applyOnMysql(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual((await planOnMysql(program.model, session)).plan.changes, []);
    await session.query("REVOKE ADMIN OPTION FOR ma_app FROM ma_lead@'%'");
    await session.query("GRANT ma_app TO ma_web@'%' WITH ADMIN OPTION");
    const planned = await planOnMysql(program.model, session);
    t.deepEqual(planned.plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`).sort(), [
      "grant-admin-option ma_lead: ADMIN OPTION on ma_app",
      "revoke-admin-option ma_web: ADMIN OPTION on ma_app",
    ]);
    t.true(planned.statements.some((s) => s.sql === "GRANT `ma_app` TO `ma_lead`@`%` WITH ADMIN OPTION;"));
    t.is((await applyOnMysql(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual((await planOnMysql(program.model, session)).plan.changes, []);
    const afterApply = await memberships(session);
    t.deepEqual(afterApply, ["ma_lead@% admin", "ma_ops@ admin", "ma_web@% member"]);
    await runMysqlScript(renderMysql(program.model), session);
    t.deepEqual(await memberships(session), afterApply, "the script leaves what apply left");
  });
});

serverTest("a migration grants the admin options the sources add and revokes those they take away", async (t) => {
  const without = programFor("app", false);
  const withAdmin = programFor("app");
  t.deepEqual(planMysqlMigration(without.model, withAdmin.model, true, {}).statements.map((s) => s.sql).sort(), [
    "GRANT `ma_app` TO `ma_lead`@`%` WITH ADMIN OPTION;",
    "GRANT `ma_app` TO `ma_ops` WITH ADMIN OPTION;",
  ]);
  t.deepEqual(planMysqlMigration(withAdmin.model, without.model, true, {}).statements.map((s) => s.sql).sort(), [
    "REVOKE ADMIN OPTION FOR `ma_app` FROM `ma_lead`@`%`;",
    "REVOKE ADMIN OPTION FOR `ma_app` FROM `ma_ops`;",
  ]);
  t.deepEqual(planMysqlMigration(withAdmin.model, withAdmin.model, true, {}).statements, []);
});

serverTest("import writes `with admin option`, and plan with the imported files is empty", async (t) => {
  await onServer(async (session, db) => {
    await runMysqlScript(renderMysql(programFor(db).model), session);
    const out = path.join(tempDir(), "imported");
    const r = await rolec(["import", "--db", url!, "--schema", db, "--out", out]);
    t.is(r.code, 0, r.stderr);
    t.false(hasStackTrace(r.stderr));
    t.notRegex(r.stderr, /ADMIN OPTION/);
    const roles = readFileSync(path.join(out, "roles.roles"), "utf8");
    t.regex(roles, /^role ma_lead login \{\n  member of ma_app with admin option\n\}$/m);
    t.regex(roles, /^role ma_web login \{\n  member of ma_app\n\}$/m);
    const imported = programOf({ "schemas.roles": readFileSync(path.join(out, "schemas.roles"), "utf8"), "roles.roles": roles }, { databases: ["mysql"] });
    t.deepEqual(imported.diagnostics.filter((d) => d.severity === "error"), []);
    t.deepEqual((await planOnMysql(imported.model, session)).plan.changes, []);
  });
});

serverTest("verify reads the admin options from the grant tables and catches a script that leaves one out", async (t) => {
  await withMysqlLock(url!, async () => {
    const model = programFor("ma_verify").model;
    const report = await verifyMysql(model, url!);
    t.deepEqual(report.roleMismatches, []);
    const tampered = await verifyMysql(model, url!, { transformScript: (script) => script.replace("GRANT `ma_app` TO `ma_lead`@`%` WITH ADMIN OPTION;", "GRANT `ma_app` TO `ma_lead`@`%`;") });
    t.deepEqual(
      tampered.roleMismatches.map((m) => `${m.role} ${m.what}: ${m.expected} / ${m.actual}`),
      ["ma_lead admin option on ma_app: true / false"],
    );
  });
});
