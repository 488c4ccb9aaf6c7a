import test from "ava";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describeChange } from "../../src/engine/index.js";
import { applyOnMysql, mysqlNames, planOnMysql, quoteMysqlIdent, quoteMysqlQualified, renderMysql, runMysqlScript, verifyMysql, type MysqlSession } from "../../src/engine/mysql/index.js";
import { planMysqlMigration } from "../../src/engine/mysql/migration-plan.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withMysqlLock, withMysqlScratchDatabase } from "../helpers/databases.js";
import { mysqlClient, runWithMysqlClient } from "../helpers/mysql-client.js";
import { asMysqlAccount } from "../helpers/mysql-login.js";
import { programOf } from "../helpers/program.js";

// EXECUTE on functions and procedures on the MySQL/MariaDB server (ROLEC_TEST_MYSQL_URL): the
// script run with the command-line client, plan and apply, import, migrations and verify, with
// real calls made as the accounts the files declare.
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.serial.skip;
const yes = async () => true;

const principals = [
  "DROP ROLE IF EXISTS `mr_reader`",
  "DROP USER IF EXISTS `mr_reader`@`%`",
  "DROP USER IF EXISTS `mr_probe`@`%`",
  "DROP ROLE IF EXISTS `mr_other`",
  "DROP ROLE IF EXISTS `rolec_login_mr_app`",
  "DROP USER IF EXISTS `mr_app`@`%`",
  "DROP USER IF EXISTS `mr_batch`@`%`",
  `DROP USER IF EXISTS ${quoteMysqlIdent(mysqlNames.definer.name)}@${quoteMysqlIdent(mysqlNames.definer.host)}`,
];

function programFor(db: string, extra = "") {
  const program = programOf(
    `schema ${db} {
  table orders (id, total)
  function order_total(int)
  procedure archive_orders(date)
  function "Odd\`name"()
}
role mr_reader { select on ${db}.orders  execute on ${db}.order_total }
role mr_app login { member of mr_reader }
role mr_batch login {
  execute on ${db}.archive_orders
  execute on ${db}."Odd\`name"
}
${extra}`,
    { databases: ["mysql"] },
  );
  const errors = program.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`the test's program does not check: ${JSON.stringify(errors)}`);
  return program;
}

/** A scratch database with the program's objects and routines, made as root; everything is dropped afterwards. */
async function onServer<T>(fn: (session: MysqlSession, db: string) => Promise<T>): Promise<T> {
  return withMysqlScratchDatabase(url!, "rolec_mr_", principals, async (session, db) => {
    const q = (name: string) => quoteMysqlQualified(db, name);
    await session.query(`CREATE TABLE ${q("orders")} (id INT, total INT)`);
    // Created with another case than declared: the server knows a routine by its name in any case.
    await session.query(`CREATE FUNCTION ${q("ORDER_TOTAL")}(a INT) RETURNS INT DETERMINISTIC NO SQL RETURN a * 2`);
    await session.query(`CREATE PROCEDURE ${q("archive_orders")}(d DATE) NO SQL DO 0`);
    await session.query(`CREATE FUNCTION ${q("Odd`name")}() RETURNS INT DETERMINISTIC NO SQL RETURN 7`);
    return fn(session, db);
  });
}

/** Logs in as an account on host '%' and runs a statement: its first value, "ok", or the error. */
const asAccount = (user: string, sql: string) => asMysqlAccount(url!, { user, host: "%" }, sql);

async function procsPriv(session: MysqlSession, db: string): Promise<string[]> {
  const rows = await session.query<{ User: string; Routine_name: string; Routine_type: string; Proc_priv: string }>(
    "SELECT User, Routine_name, Routine_type, Proc_priv FROM mysql.procs_priv WHERE Db = ? ORDER BY User, Routine_name",
    [db],
  );
  return rows.map((r) => `${r.User} ${r.Routine_type} ${r.Routine_name}: ${r.Proc_priv}`);
}

const describe = (changes: readonly Parameters<typeof describeChange>[0][]) => changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);

serverTest("the script, run with the command-line client, lets each account call exactly the routines the files grant it, and takes what they do not say", async (t) => {
  if (!mysqlClient) return t.fail("no mariadb or mysql client on PATH");
  await onServer(async (session, db) => {
    const q = (name: string) => quoteMysqlQualified(db, name);
    // Before: a declared role holds ALTER ROUTINE with a grant option, and a role the files do not declare holds EXECUTE.
    await session.query("CREATE ROLE mr_reader");
    await session.query(`GRANT ALTER ROUTINE ON PROCEDURE ${q("archive_orders")} TO mr_reader WITH GRANT OPTION`);
    await session.query("CREATE ROLE mr_other");
    await session.query(`GRANT EXECUTE ON FUNCTION ${q("order_total")} TO mr_other`);
    const script = renderMysql(programFor(db).model);
    for (const run of ["first", "second"]) {
      const result = await runWithMysqlClient(url!, script);
      t.is(result.status, 0, `${run} run: ${result.stderr}`);
    }
    t.deepEqual(await procsPriv(session, db), [
      "mr_batch PROCEDURE archive_orders: Execute",
      "mr_batch FUNCTION Odd`name: Execute",
      "mr_other FUNCTION order_total: Execute",
      "mr_reader FUNCTION order_total: Execute",
    ]);
    t.is(await asAccount("mr_app", `SELECT ${q("order_total")}(2) AS v`), "4", "through mr_reader");
    t.regex(await asAccount("mr_app", `CALL ${q("archive_orders")}(NULL)`), /execute command denied/i);
    t.is(await asAccount("mr_batch", `CALL ${q("archive_orders")}(NULL)`), "ok");
    t.is(await asAccount("mr_batch", `SELECT ${q("Odd`name")}()`), "7");
    t.regex(await asAccount("mr_batch", `SELECT ${q("order_total")}(1)`), /execute command denied/i);
  });
});

serverTest("the script stops before changing anything when a declared routine does not exist, or is a procedure declared a function", async (t) => {
  await onServer(async (session, db) => {
    await session.query(`DROP PROCEDURE ${quoteMysqlQualified(db, "archive_orders")}`);
    await session.query(`CREATE FUNCTION ${quoteMysqlQualified(db, "archive_orders")}(d DATE) RETURNS INT DETERMINISTIC NO SQL RETURN 0`);
    const error = await t.throwsAsync(runMysqlScript(renderMysql(programFor(db).model), session));
    t.regex(error!.message, new RegExp(`declare functions or procedures that do not exist: procedure ${db}\\.archive_orders\\.`));
    t.deepEqual((await session.query("SELECT User FROM mysql.user WHERE User LIKE 'mr\\_%'")).length, 0, "no account or role was created");
  });
});

serverTest("plan grants a missing EXECUTE and revokes what the files do not say; apply leaves what the script leaves", async (t) => {
  await onServer(async (session, db) => {
    const q = (name: string) => quoteMysqlQualified(db, name);
    const program = programFor(db);
    t.is((await applyOnMysql(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(describe((await planOnMysql(program.model, session)).plan.changes), []);

    await session.query(`REVOKE EXECUTE ON FUNCTION ${q("order_total")} FROM mr_reader`);
    await session.query(`GRANT EXECUTE, ALTER ROUTINE ON PROCEDURE ${q("archive_orders")} TO mr_reader`);
    await session.query(`GRANT ALTER ROUTINE ON FUNCTION ${q("Odd`name")} TO mr_batch@'%' WITH GRANT OPTION`);
    // A row with ALTER ROUTINE alone does not hold the declared EXECUTE.
    await session.query(`REVOKE EXECUTE ON PROCEDURE ${q("archive_orders")} FROM mr_batch@'%'`);
    await session.query(`GRANT ALTER ROUTINE ON PROCEDURE ${q("archive_orders")} TO mr_batch@'%'`);
    await session.query("CREATE ROLE mr_other");
    await session.query(`GRANT EXECUTE ON FUNCTION ${q("order_total")} TO mr_other`);
    const planned = await planOnMysql(program.model, session);
    t.deepEqual(describe(planned.plan.changes), [
      `grant-routine mr_batch: EXECUTE on ${db}.archive_orders(date)`,
      `grant-routine mr_reader: EXECUTE on ${db}.order_total(integer)`,
      `revoke-routine-privileges mr_batch: ALTER ROUTINE on procedure ${db}.archive_orders(date)`,
      `revoke-routine-privileges mr_batch: ALTER ROUTINE, GRANT OPTION on function ${db}."Odd\`name"()`,
      `revoke-routine-privileges mr_reader: EXECUTE, ALTER ROUTINE on procedure ${db}.archive_orders(date)`,
    ]);
    t.deepEqual(planned.plan.unmanaged, [{ role: "mr_other", holds: [`EXECUTE on function ${db}.order_total`] }]);
    t.deepEqual(
      planned.statements.map((s) => s.sql),
      [
        `GRANT EXECUTE ON PROCEDURE ${q("archive_orders")} TO \`mr_batch\`@\`%\`;`,
        `GRANT EXECUTE ON FUNCTION ${q("order_total")} TO \`mr_reader\`;`,
        `REVOKE ALTER ROUTINE ON PROCEDURE ${q("archive_orders")} FROM \`mr_batch\`@\`%\`;`,
        `REVOKE ALTER ROUTINE, GRANT OPTION ON FUNCTION ${q("Odd`name")} FROM \`mr_batch\`@\`%\`;`,
        `REVOKE EXECUTE, ALTER ROUTINE ON PROCEDURE ${q("archive_orders")} FROM \`mr_reader\`;`,
      ],
    );
    t.is((await applyOnMysql(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(describe((await planOnMysql(program.model, session)).plan.changes), []);
    const afterApply = await procsPriv(session, db);
    await runMysqlScript(renderMysql(program.model), session);
    t.deepEqual(await procsPriv(session, db), afterApply, "the script leaves what apply left");

    // --prune takes a role the files do not declare off the declared routines too.
    const pruned = await planOnMysql(program.model, session, { prune: true });
    t.deepEqual(describe(pruned.plan.changes), [`revoke-routine-privileges mr_other: EXECUTE on function ${db}.order_total(integer)`]);
  });
});

serverTest("a migration from sources without a grant to sources with it grants EXECUTE, and one back revokes it", async (t) => {
  const before = programOf(`schema app {\n  function f(int)\n  table t (a)\n}\nrole r { select on app.t }\n`, { databases: ["mysql"] });
  const after = programOf(`schema app {\n  function f(int)\n  table t (a)\n}\nrole r { select on app.t  execute on app.f }\n`, { databases: ["mysql"] });
  const forward = planMysqlMigration(before.model, after.model, true, {});
  t.deepEqual(forward.statements.map((s) => s.sql), ["GRANT EXECUTE ON FUNCTION `app`.`f` TO `r`;"]);
  const back = planMysqlMigration(after.model, before.model, true, {});
  t.deepEqual(back.statements.map((s) => s.sql), ["REVOKE EXECUTE ON FUNCTION `app`.`f` FROM `r`;"]);
  t.deepEqual(planMysqlMigration(after.model, after.model, true, {}).statements, []);
});

serverTest("import writes the routines and every EXECUTE, warns about what the language cannot say, and plan with the imported files is empty but for that", async (t) => {
  await onServer(async (session, db) => {
    const q = (name: string) => quoteMysqlQualified(db, name);
    await session.query("CREATE ROLE mr_reader");
    await session.query(`GRANT SELECT ON ${q("orders")} TO mr_reader`);
    await session.query(`GRANT EXECUTE ON FUNCTION ${q("order_total")} TO mr_reader`);
    await session.query("CREATE USER mr_batch@'%' ACCOUNT LOCK");
    await session.query(`GRANT EXECUTE, ALTER ROUTINE ON PROCEDURE ${q("archive_orders")} TO mr_batch@'%'`);
    const out = path.join(tempDir(), "imported");
    const r = await rolec(["import", "--db", url!, "--schema", db, "--out", out]);
    t.is(r.code, 0, r.stderr);
    t.false(hasStackTrace(r.stderr));
    t.regex(r.stderr, new RegExp(`mr_batch holds ALTER ROUTINE on procedure ${db}\\.archive_orders, which the language cannot grant there; plan will revoke it`));
    const schemas = readFileSync(path.join(out, "schemas.roles"), "utf8");
    const roles = readFileSync(path.join(out, "roles.roles"), "utf8");
    t.regex(schemas, /^  function ORDER_TOTAL\(integer\)$/m);
    t.regex(schemas, /^  procedure archive_orders\(date\)$/m);
    t.regex(schemas, /^  function "Odd`name"\(\)$/m);
    t.regex(roles, new RegExp(`^  execute on ${db}\\.ORDER_TOTAL\\(integer\\)$`, "m"));
    t.regex(roles, new RegExp(`^  execute on ${db}\\.archive_orders\\(date\\)$`, "m"));

    const imported = programOf({ "schemas.roles": schemas, "roles.roles": roles }, { databases: ["mysql"] });
    t.deepEqual(imported.diagnostics.filter((d) => d.severity === "error"), []);
    const planned = await planOnMysql(imported.model, session);
    t.deepEqual(describe(planned.plan.changes), [`revoke-routine-privileges mr_batch: ALTER ROUTINE on procedure ${db}.archive_orders(date)`]);
  });
});

serverTest("verify calls every routine as every role, and catches a script that leaves an EXECUTE out", async (t) => {
  await withMysqlLock(url!, async () => {
    const model = programFor("mr_app_db").model;
    const report = await verifyMysql(model, url!);
    t.deepEqual(report.mismatches, []);
    t.deepEqual(report.roleMismatches, []);
    t.true(report.statementChecks >= 3 * 3, "each of three roles calls each of three routines");
    t.true(report.summary.some((row) => row.role === "mr_batch" && row.object === 'mr_app_db."Odd`name"()'), JSON.stringify(report.summary));

    const tampered = await verifyMysql(model, url!, { transformScript: (script) => script.replace(/^GRANT EXECUTE ON PROCEDURE .*$/m, "") });
    t.deepEqual(
      tampered.mismatches.map((m) => `${m.role} ${m.verb} on ${m.object}: ${m.expected} / ${m.actual}`),
      ["mr_batch execute on mr_app_db.archive_orders(date): allowed / denied"],
    );
    const extra = await verifyMysql(model, url!, {
      transformScript: (script, databases) => script.replace(/^FLUSH PRIVILEGES;$/m, `GRANT ALTER ROUTINE ON FUNCTION \`${databases["mr_app_db"]}\`.\`order_total\` TO \`mr_reader\`;\nFLUSH PRIVILEGES;`),
    });
    t.deepEqual(extra.roleMismatches.map((m) => `${m.role} ${m.what}: ${m.actual}`), ["mr_reader ALTER ROUTINE on function mr_app_db.order_total: granted"]);
  });
});

serverTest("an account named like a declared role lends the role its routine grants on MariaDB: plan blocks on it, and a call as the role proves why", async (t) => {
  await onServer(async (session, db) => {
    const q = (name: string) => quoteMysqlQualified(db, name);
    const program = programFor(db);
    t.is((await applyOnMysql(program.model, session, { confirm: yes })).kind, "applied");
    await session.query("CREATE USER mr_reader@'%' ACCOUNT LOCK");
    await session.query(`GRANT EXECUTE ON PROCEDURE ${q("archive_orders")} TO mr_reader@'%'`);
    const planned = await planOnMysql(program.model, session);
    if (!planned.live.mariadb) return t.pass("MySQL 8 keeps a role's grants apart from an account's");
    t.deepEqual(
      planned.plan.blockers.map((b) => b.what),
      [`account \`mr_reader\`@\`%\` has the name of role \`mr_reader\`, which the .roles files declare, and MariaDB gives the role (and every account that holds it) that account's database-wide and routine grants: EXECUTE on procedure ${db}.archive_orders`],
    );
    // An account whose current role is mr_reader gets the other account's EXECUTE.
    await session.query("CREATE USER mr_probe@'%' ACCOUNT LOCK");
    await session.query("GRANT mr_reader TO mr_probe@'%'");
    await session.query("SET DEFAULT ROLE mr_reader FOR mr_probe@'%'");
    t.is(await asAccount("mr_probe", `CALL ${q("archive_orders")}(NULL)`), "ok");
    await session.query("DROP USER mr_reader@'%'");
    t.regex(await asAccount("mr_probe", `CALL ${q("archive_orders")}(NULL)`), /execute command denied/i);
  });
});
