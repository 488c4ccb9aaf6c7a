import test from "ava";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { mysqlNames, quoteMysqlIdent, quoteMysqlQualified, renderMysql } from "../../src/engine/mysql/index.js";
import { describeChange } from "../../src/engine/index.js";
import { applyOnMysql, connectMysql, planOnMysql, readMysql, type MysqlPlanned } from "../../src/engine/mysql/index.js";
import { openMysql, runMysqlScript, type MysqlSession } from "../../src/engine/mysql/index.js";
import { rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withMysqlLock, withMysqlScratchDatabase } from "../helpers/databases.js";
import { exampleNames, exampleProgram, programOf } from "../helpers/program.js";

// plan and apply against the MySQL/MariaDB server (ROLEC_TEST_MYSQL_URL), each test in a scratch
// database of its own, with roles and accounts dropped before and after.
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.serial.skip;
const yes = async () => true;

function programFor(db: string, extra = "") {
  return programOf(
    `schema ${db} {
  table customers (id, email, ssn)
  append_only table log (id, what)
  view recent (id, what)
}
role lp_reader { select on ${db}.customers except ${db}.customers(ssn) }
role lp_app login host "127.0.0.1" connection_limit 5 {
  member of lp_reader
  insert on ${db}.log
  update (email) on ${db}.customers
}
role lp_auditor login { select on ${db}.log, ${db}.recent }
${extra}`,
    { databases: ["mysql"] },
  );
}

const principals = [
  "DROP ROLE IF EXISTS `lp_reader`",
  "DROP ROLE IF EXISTS `rolec_login_lp_app`",
  "DROP USER IF EXISTS `lp_app`@`127.0.0.1`",
  "DROP USER IF EXISTS `lp_auditor`@`%`",
  "DROP USER IF EXISTS `lp_intruder`@`%`",
  "DROP ROLE IF EXISTS `lp_new`",
  "DROP USER IF EXISTS `lp_admin`@`%`",
  `DROP USER IF EXISTS ${quoteMysqlIdent(mysqlNames.definer.name)}@${quoteMysqlIdent(mysqlNames.definer.host)}`,
];

/** A scratch database with the program's objects, and a root session on it; everything is dropped afterwards. */
async function onServer<T>(fn: (session: MysqlSession, db: string) => Promise<T>): Promise<T> {
  return withMysqlScratchDatabase(url!, "rolec_lp_", principals, async (session, db) => {
    await session.query(`CREATE TABLE ${quoteMysqlQualified(db, "customers")} (id INT PRIMARY KEY, email TEXT, ssn TEXT)`);
    await session.query(`CREATE TABLE ${quoteMysqlQualified(db, "log")} (id INT PRIMARY KEY, what TEXT)`);
    await session.query(`CREATE VIEW ${quoteMysqlQualified(db, "recent")} AS SELECT id, what FROM ${quoteMysqlQualified(db, "log")}`);
    return fn(session, db);
  });
}

function describe(planned: MysqlPlanned): string[] {
  return planned.plan.changes.map((c) => `${c.kind} ${c.role ?? `${c.schema}.${c.table}`}: ${describeChange(c)}`);
}

/** The grant tables' rows for the test's roles, to compare what apply and the compiled script leave. */
async function grantTables(session: MysqlSession, db: string): Promise<string> {
  const who = "('lp_reader', 'lp_app', 'lp_auditor', 'rolec_login_lp_app', 'rolec_append_only')";
  const rows = [
    ...(await session.query(`SELECT User, Host, Db, Table_name, Table_priv, Column_priv FROM mysql.tables_priv WHERE Db = ? ORDER BY 1, 2, 3, 4`, [db])),
    ...(await session.query(`SELECT User, Host, Db, Table_name, Column_name, Column_priv FROM mysql.columns_priv WHERE Db = ? ORDER BY 1, 2, 3, 4, 5`, [db])),
    ...(await session.query(`SELECT Role, User, Host, Admin_option FROM mysql.roles_mapping WHERE User IN ${who} ORDER BY 1, 2, 3`)),
    ...(await session.query(`SELECT User, Host, default_role, max_user_connections, is_role FROM mysql.user WHERE User IN ${who} ORDER BY 1, 2`)),
    ...(await session.query(`SELECT TRIGGER_NAME, EVENT_MANIPULATION, ACTION_TIMING, DEFINER, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY 1`, [db])),
  ];
  return JSON.stringify(rows, null, 1);
}

/** Logs in as an account (given a password for the test) and runs a statement: "ok" or the error. */
async function asAccount(user: string, host: string, sql: string): Promise<string> {
  const root = await openMysql(url!);
  await root.query(`ALTER USER ${quoteMysqlIdent(user)}@${quoteMysqlIdent(host)} IDENTIFIED BY 'lp-test-password' ACCOUNT UNLOCK`);
  await root.close();
  const session = await openMysql(url!, { user, password: "lp-test-password" });
  try {
    await session.query(sql);
    return "ok";
  } catch (error) {
    return (error as Error).message;
  } finally {
    await session.close();
  }
}

serverTest("reading the server takes ten queries on MariaDB, whatever the number of objects and routines", async (t) => {
  await onServer(async (session, db) => {
    let count = 0;
    const counting: MysqlSession = { ...session, query: (sql, params) => (count++, session.query(sql, params)) };
    const live = await readMysql(counting, [db]);
    const expected = live.mariadb ? 10 : 11;
    t.is(count, expected);
    t.is(live.queries, expected);
    for (let i = 0; i < 60; i++) await session.query(`CREATE TABLE ${quoteMysqlQualified(db, `t${i}`)} (a INT, b INT)`);
    for (let i = 0; i < 20; i++) await session.query(`CREATE FUNCTION ${quoteMysqlQualified(db, `f${i}`)}(a INT) RETURNS INT DETERMINISTIC RETURN a`);
    count = 0;
    const large = await readMysql(counting, [db]);
    t.is(count, expected);
    t.true(large.objects.length > 60);
    t.is(large.routines.length, 20);
    // With no append-only table to ask about, foreign-key cascades are not read (MariaDB opens every table to answer).
    count = 0;
    const noCascades = await readMysql(counting, [db], { cascadesOf: [] });
    t.is(count, expected - 1);
    t.deepEqual(noCascades.cascades, []);
  });
});

serverTest("a fresh server: the plan lists everything, apply makes it so, and the plan is then empty", async (t) => {
  await onServer(async (session, db) => {
    const program = programFor(db);
    const planned = await planOnMysql(program.model, session);
    const changes = describe(planned);
    t.deepEqual(planned.plan.blockers, []);
    for (const expected of [
      "create-role lp_reader: create role (NOLOGIN, connection limit -1)",
      "create-role lp_app: create role (LOGIN, connection limit 5)",
      "grant lp_app: INSERT on " + db + ".log",
      "grant lp_reader: SELECT (email) on " + db + ".customers",
      "grant rolec_append_only: TRIGGER on " + db + ".log",
      "grant-membership rolec_login_lp_app: member of lp_reader",
      "grant-membership lp_app: member of rolec_login_lp_app",
      "set-default-role lp_app: default roles: none → rolec_login_lp_app",
      "set-default-role lp_auditor: default roles: none → none",
    ].filter((c) => planned.live.mariadb || !c.includes("rolec_login"))) {
      if (expected.endsWith("none → none")) t.false(changes.includes(expected), "no default role change where none is needed");
      else t.true(changes.includes(expected), `${expected}\nin:\n${changes.join("\n")}`);
    }
    t.true(changes.some((c) => c.startsWith(`guard-append-only ${db}.log`)));
    // A login account is created locked and without a password (the script's header says how to set one).
    const statements = planned.statements.map((s) => s.sql).join("\n");
    t.regex(statements, /CREATE USER IF NOT EXISTS `lp_app`@`127.0.0.1` ACCOUNT LOCK;/);

    const outcome = await applyOnMysql(program.model, session, { confirm: yes });
    t.is(outcome.kind, "applied");
    const after = await planOnMysql(program.model, session);
    t.deepEqual(describe(after), []);

    // apply leaves exactly what the compiled script leaves: run the script on top, and nothing moves.
    const before = await grantTables(session, db);
    await runMysqlScript(renderMysql(program.model), session);
    t.is(await grantTables(session, db), before);
    t.deepEqual(describe(await planOnMysql(program.model, session)), []);

    // Real SQL under the account apply made: the audit table refuses UPDATE, personal data is out of reach.
    t.is(await asAccount("lp_app", "127.0.0.1", `INSERT INTO ${quoteMysqlQualified(db, "log")} VALUES (1, 'x')`), "ok");
    t.regex(await asAccount("lp_app", "127.0.0.1", `SELECT ssn FROM ${quoteMysqlQualified(db, "customers")}`), /denied/);
    t.is(await asAccount("lp_app", "127.0.0.1", `SELECT email FROM ${quoteMysqlQualified(db, "customers")}`), "ok");
    t.regex(await asAccount("lp_auditor", "%", `UPDATE ${quoteMysqlQualified(db, "log")} SET what = 'y'`), /denied|append-only/);
    await t.throwsAsync(session.query(`DELETE FROM ${quoteMysqlQualified(db, "log")}`), { message: /append-only/ });
  });
});

serverTest("grants and revokes made by hand show as drift, and apply undoes them", async (t) => {
  await onServer(async (session, db) => {
    const program = programFor(db);
    await applyOnMysql(program.model, session, { confirm: yes });
    await session.query(`GRANT DELETE ON ${quoteMysqlQualified(db, "customers")} TO lp_reader`);
    await session.query(`GRANT SELECT (ssn) ON ${quoteMysqlQualified(db, "customers")} TO lp_reader`);
    await session.query(`REVOKE INSERT ON ${quoteMysqlQualified(db, "log")} FROM lp_app@'127.0.0.1'`);
    await session.query(`GRANT SELECT ON ${quoteMysqlIdent(db)}.* TO lp_auditor@'%'`);
    await session.query(`GRANT SELECT ON ${quoteMysqlQualified(db, "customers")} TO lp_auditor@'%' WITH GRANT OPTION`);
    await session.query(`CREATE USER lp_intruder@'%'`);
    await session.query(`GRANT SELECT ON ${quoteMysqlQualified(db, "log")} TO lp_intruder@'%'`);
    await session.query(`GRANT lp_reader TO lp_intruder@'%'`);

    const planned = await planOnMysql(program.model, session);
    const changes = describe(planned);
    for (const expected of [
      `revoke lp_reader: DELETE on ${db}.customers`,
      `revoke lp_reader: SELECT (ssn) on ${db}.customers`,
      `grant lp_app: INSERT on ${db}.log`,
      `revoke-wide lp_auditor: SELECT on ${db}.* (database-wide: reaches every declared table)`,
      `revoke lp_auditor: SELECT on ${db}.customers`,
      `revoke-table-grant-option lp_auditor: GRANT OPTION on ${db}.customers`,
    ]) {
      t.true(changes.includes(expected), `${expected}\nin:\n${changes.join("\n")}`);
    }
    t.deepEqual(
      planned.plan.unmanaged.map((u) => `${u.role}: ${u.holds.join("; ")}`),
      [`lp_intruder@%: member of lp_reader; SELECT on ${db}.log`],
    );
    // Everything that adds comes before anything that takes away, so no role is without what it
    // keeps while apply runs; the column revoke comes before the table-wide ones (MariaDB's
    // table-wide revoke of a verb takes that verb's column grants with it).
    const kinds = planned.plan.changes.map((c) => c.kind);
    const firstRemoval = kinds.findIndex((k) => k.startsWith("revoke"));
    t.true(firstRemoval > 0 && kinds.lastIndexOf("grant") < firstRemoval, kinds.join(", "));
    const at = (change: string) => changes.indexOf(change);
    t.true(at(`revoke lp_reader: SELECT (ssn) on ${db}.customers`) < at(`revoke lp_reader: DELETE on ${db}.customers`), changes.join("\n"));
    t.true(at(`revoke lp_reader: SELECT (ssn) on ${db}.customers`) < at(`revoke lp_auditor: SELECT on ${db}.customers`), changes.join("\n"));

    t.is((await applyOnMysql(program.model, session, { confirm: yes })).kind, "applied");
    const after = await planOnMysql(program.model, session);
    t.deepEqual(describe(after), []);
    // Without --prune the intruder keeps what it has; with it, it goes.
    t.is(after.plan.unmanaged.length, 1);
    t.is((await applyOnMysql(program.model, session, { prune: true, confirm: yes })).kind, "applied");
    const pruned = await planOnMysql(program.model, session, { prune: true });
    t.deepEqual(describe(pruned), []);
    t.deepEqual((await planOnMysql(program.model, session)).plan.unmanaged, []);
  });
});

serverTest("MariaDB's table-wide revoke does not take the declared column grants with it", async (t) => {
  await onServer(async (session, db) => {
    const program = programFor(db);
    await applyOnMysql(program.model, session, { confirm: yes });
    // reader is declared SELECT (email, id); a hand-made table-wide SELECT must go, the columns stay.
    await session.query(`GRANT SELECT ON ${quoteMysqlQualified(db, "customers")} TO lp_reader`);
    const planned = await planOnMysql(program.model, session);
    t.deepEqual(describe(planned), [`revoke lp_reader: SELECT on ${db}.customers`]);
    t.regex(planned.statements[0]!.sql, /REVOKE SELECT ON .* FROM `lp_reader`;\nGRANT SELECT \(`email`, `id`\) ON/);
    await applyOnMysql(program.model, session, { confirm: yes });
    t.deepEqual(describe(await planOnMysql(program.model, session)), []);
  });
});

serverTest("a table that stops being append-only loses rolec's triggers; one whose trigger was dropped gets it back", async (t) => {
  await onServer(async (session, db) => {
    const program = programFor(db);
    await applyOnMysql(program.model, session, { confirm: yes });
    await session.query(`INSERT INTO ${quoteMysqlQualified(db, "log")} VALUES (1, 'x')`);
    await session.query(`DROP TRIGGER ${quoteMysqlQualified(db, "rolec_append_only_delete_log")}`);
    const broken = await planOnMysql(program.model, session);
    t.deepEqual(describe(broken), [`guard-append-only ${db}.log: guard: ${db}.log has no rolec_append_only_delete_log trigger`]);
    await applyOnMysql(program.model, session, { confirm: yes });
    await t.throwsAsync(session.query(`DELETE FROM ${quoteMysqlQualified(db, "log")}`), { message: /append-only/ });

    const plain = programOf(program.sources.map((s) => s.text).join("\n").replace("append_only table log", "table log"), { databases: ["mysql"] });
    const planned = await planOnMysql(plain.model, session);
    t.true(describe(planned).includes(`unguard ${db}.log: no longer append-only: drop rolec's triggers`), describe(planned).join("\n"));
    await applyOnMysql(plain.model, session, { confirm: yes });
    t.deepEqual(describe(await planOnMysql(plain.model, session)), []);
    await session.query(`DELETE FROM ${quoteMysqlQualified(db, "log")}`);
    // The compiled script does the same: guarded again by apply, then unguarded by the script.
    await applyOnMysql(program.model, session, { confirm: yes });
    t.true(describe(await planOnMysql(plain.model, session)).some((c) => c.startsWith(`unguard ${db}.log`)));
    await runMysqlScript(renderMysql(plain.model), session);
    t.deepEqual(describe(await planOnMysql(plain.model, session)), []);
  });
});

serverTest("applied by an admin account other than root, the roles it created do not make it drift", async (t) => {
  await onServer(async (session, db) => {
    const program = programFor(db);
    await session.query("CREATE USER lp_admin@'%' IDENTIFIED BY 'lp-admin-password'");
    await session.query("GRANT ALL PRIVILEGES ON *.* TO lp_admin@'%' WITH GRANT OPTION");
    const u = new URL(url!);
    u.username = "lp_admin";
    u.password = "lp-admin-password";
    const admin = await connectMysql(u.toString(), "the test server as lp_admin");
    try {
      t.is((await applyOnMysql(program.model, admin, { confirm: yes })).kind, "applied");
      const planned = await planOnMysql(program.model, admin);
      t.deepEqual(describe(planned), []);
      t.deepEqual(planned.plan.unmanaged.map((u) => u.role), [], "lp_admin, admin member of the roles it created, is not reported");
      t.true((await session.query("SELECT 1 FROM mysql.roles_mapping WHERE User = 'lp_admin' AND Role = 'lp_reader'")).length === 1);
    } finally {
      await admin.close();
    }
  });
});

serverTest("two applies started at once both succeed, one after the other, and the result is right", async (t) => {
  await onServer(async (session, db) => {
    const program = programFor(db);
    const other = await connectMysql(url!, "the test server");
    try {
      const outcomes = await Promise.all([applyOnMysql(program.model, session, { confirm: yes }), applyOnMysql(program.model, other, { confirm: yes })]);
      t.deepEqual(outcomes.map((o) => o.kind).sort(), ["applied", "nothing to do"]);
    } finally {
      await other.close();
    }
    t.deepEqual(describe(await planOnMysql(program.model, session)), []);
  });
});

serverTest("an apply whose statement fails stops there, says what ran and what did not, and a rerun finishes", async (t) => {
  await onServer(async (session, db) => {
    const program = programFor(db);
    // Between plan and apply, a column that a grant names disappears.
    const error = await t.throwsAsync(
      applyOnMysql(program.model, session, {
        confirm: async () => {
          await session.query(`ALTER TABLE ${quoteMysqlQualified(db, "customers")} DROP COLUMN email`);
          return true;
        },
      }),
    );
    t.regex(error!.message, /^apply stopped at statement \d+ of \d+: .*email/);
    t.regex(error!.message, /those before it stay applied:\n {4}CREATE USER IF NOT EXISTS `lp_app`@`127.0.0.1` ACCOUNT LOCK\n/);
    t.regex(error!.message, /not applied:\n {4}GRANT /);
    t.regex(error!.message, /run rolec apply again/);
    // The lock is released, the server is partly there: a rerun once the column is back finishes the job.
    await session.query(`ALTER TABLE ${quoteMysqlQualified(db, "customers")} ADD COLUMN email TEXT`);
    const rest = await planOnMysql(program.model, session);
    t.true(rest.plan.changes.length > 0 && !describe(rest).some((c) => c.startsWith("create-role lp_reader")));
    t.is((await applyOnMysql(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(describe(await planOnMysql(program.model, session)), []);
  });
});

serverTest("what blocks a plan: a missing table, a view declared a table, a cascading key into an append-only table", async (t) => {
  await onServer(async (session, db) => {
    await session.query(`CREATE TABLE ${quoteMysqlQualified(db, "parent")} (id INT PRIMARY KEY)`);
    await session.query(`ALTER TABLE ${quoteMysqlQualified(db, "log")} ADD COLUMN parent_id INT, ADD CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES ${quoteMysqlQualified(db, "parent")} (id) ON DELETE CASCADE`);
    const program = programFor(db, `schema ${db} {\n  table missing (id)\n  table recent2 (id)\n}\nrole lp_new { select on ${db}.missing }`);
    const planned = await planOnMysql(program.model, session);
    t.deepEqual(
      planned.plan.blockers.map((b) => b.what),
      [`${db}.missing does not exist`, `${db}.recent2 does not exist`, `foreign key fk_parent on ${db}.log (ON DELETE CASCADE, ON UPDATE RESTRICT) would change an append-only table without firing its triggers`],
    );
    const outcome = await applyOnMysql(program.model, session, { confirm: yes });
    t.is(outcome.kind, "blocked");
    t.deepEqual((await session.query("SELECT 1 FROM mysql.user WHERE User = 'lp_new'")).length, 0);
  });
});

for (const name of exampleNames) {
  serverTest(`example ${name}: apply on MariaDB, then the plan is empty, the compiled script changes nothing, and import describes it without loss`, async (t) => {
    const program = await exampleProgram(name, { databases: ["mysql"] });
    const model = program.model;
    const databases = [...new Set(model.objects.map((o) => o.schema))];
    const accounts = model.roles.map((r) => (r.login ? `DROP USER IF EXISTS ${quoteMysqlIdent(r.name)}@${quoteMysqlIdent(r.host)}` : `DROP ROLE IF EXISTS ${quoteMysqlIdent(r.name)}`));
    const cleanup = [
      ...accounts,
      ...model.roles.map((r) => `DROP ROLE IF EXISTS ${quoteMysqlIdent(`${mysqlNames.loginRolePrefix}${r.name}`)}`),
      `DROP USER IF EXISTS ${quoteMysqlIdent(mysqlNames.definer.name)}@${quoteMysqlIdent(mysqlNames.definer.host)}`,
      ...[...databases, mysqlNames.helperDatabase].map((db) => `DROP DATABASE IF EXISTS ${quoteMysqlIdent(db)}`),
    ];
    await withMysqlLock(url!, async () => {
      const session = await connectMysql(url!, "the test server");
      try {
        for (const sql of cleanup) await session.query(sql);
        for (const db of databases) await session.query(`CREATE DATABASE ${quoteMysqlIdent(db)}`);
        for (const o of model.objects.filter((o) => o.kind === "table")) {
          await session.query(`CREATE TABLE ${quoteMysqlQualified(o.schema, o.name)} (${o.columns.map((c) => `${quoteMysqlIdent(c)} TEXT`).join(", ")})`);
        }
        for (const o of model.objects.filter((o) => o.kind === "view")) {
          await session.query(`CREATE VIEW ${quoteMysqlQualified(o.schema, o.name)} AS SELECT ${o.columns.map((c) => `NULL AS ${quoteMysqlIdent(c)}`).join(", ")}`);
        }
        const planned = await planOnMysql(model, session);
        t.deepEqual(planned.plan.blockers, []);
        t.true(planned.plan.changes.length > model.roles.length);
        t.is((await applyOnMysql(model, session, { confirm: yes })).kind, "applied");
        t.deepEqual(describe(await planOnMysql(model, session)), []);
        await runMysqlScript(renderMysql(model), session);
        t.deepEqual(describe(await planOnMysql(model, session)), []);
        // import describes what the script left, so that plan with the imported files finds nothing either.
        const out = path.join(tempDir(), "roles");
        const imported = await rolec(["import", "--db", url!, "--out", out, ...databases.flatMap((db) => ["--schema", db])]);
        t.is(imported.code, 0, imported.stderr);
        t.regex(imported.stdout, /with these files: no changes/, imported.stdout + imported.stderr);
        const files = readdirSync(out).sort().map((f) => readFileSync(path.join(out, f), "utf8"));
        const reimported = programOf(files.join("\n"), { databases: ["mysql"] });
        t.deepEqual(describe(await planOnMysql(reimported.model, session)), []);
        t.deepEqual(reimported.model.roles.map((r) => r.name), model.roles.map((r) => r.name));
      } finally {
        for (const sql of cleanup) await session.query(sql).catch(() => undefined);
        await session.close();
      }
    });
  });
}
