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

// Account options (require_ssl, require_x509, an issuer, subject and cipher, the hourly limits,
// password_lifetime) on the MySQL/MariaDB server (ROLEC_TEST_MYSQL_URL): the script run with the
// command-line client, plan and apply, migrations, import and verify, read back from mysql.user
// and mysql.global_priv as the server keeps them, and a real login refused without TLS.
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.serial.skip;
const yes = async () => true;

const principals = ["DROP USER IF EXISTS `ao_tls`@`%`", "DROP USER IF EXISTS `ao_cert`@`%`", "DROP USER IF EXISTS `ao_plain`@`%`"];

function programFor(db: string, options = { tls: "require_ssl max_queries_per_hour 500 max_connections_per_hour 60 password_lifetime 90", cert: "require_issuer '/CN=Example CA' require_subject '/CN=o''brien' password_lifetime 0" }) {
  const program = programOf(
    `schema ${db} {
  table t (a)
}
role ao_tls login ${options.tls} { select on ${db}.t }
role ao_cert login ${options.cert} { select on ${db}.t }
role ao_plain login { select on ${db}.t }
`,
    { databases: ["mysql"] },
  );
  const errors = program.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`the test's program does not check: ${JSON.stringify(errors)}`);
  return program;
}

async function onServer<T>(fn: (session: MysqlSession, db: string) => Promise<T>): Promise<T> {
  return withMysqlScratchDatabase(url!, "rolec_ao_", principals, async (session, db) => {
    await session.query(`CREATE TABLE ${quoteMysqlIdent(db)}.t (a INT)`);
    return fn(session, db);
  });
}

/** Each test account's options as the server shows them: SHOW CREATE USER, without what rolec does not manage. */
async function accounts(session: MysqlSession): Promise<string[]> {
  const out: string[] = [];
  for (const who of ["`ao_tls`@`%`", "`ao_cert`@`%`", "`ao_plain`@`%`"]) {
    const [row] = await session.query<Record<string, string>>(`SHOW CREATE USER ${who}`);
    out.push(
      Object.values(row!)[0]!
        .replace(/ IDENTIFIED (WITH|BY) \S+( AS '[^']*')?/, "")
        .replace(/ ACCOUNT LOCK/, "")
        .replace(/ PASSWORD HISTORY DEFAULT| PASSWORD REUSE INTERVAL DEFAULT| PASSWORD REQUIRE CURRENT DEFAULT/g, ""),
    );
  }
  return out;
}

serverTest("the script, run with the command-line client, gives each account exactly its options, and takes back what someone set by hand", async (t) => {
  if (!mysqlClient) return t.fail("no mariadb or mysql client on PATH");
  await onServer(async (session, db) => {
    // Before: the plain account was made by hand with a limit and a requirement the files do not give.
    await session.query("CREATE USER ao_plain@'%' REQUIRE X509 WITH MAX_UPDATES_PER_HOUR 3 PASSWORD EXPIRE INTERVAL 5 DAY");
    const script = renderMysql(programFor(db).model);
    for (const run of ["first", "second"]) {
      const result = await runWithMysqlClient(url!, script);
      t.is(result.status, 0, `${run} run: ${result.stderr}`);
    }
    const shown = await accounts(session);
    t.regex(shown[0]!, /^CREATE USER `ao_tls`@`%` REQUIRE SSL WITH MAX_QUERIES_PER_HOUR 500 MAX_CONNECTIONS_PER_HOUR 60 PASSWORD EXPIRE INTERVAL 90 DAY$/);
    t.regex(shown[1]!, /^CREATE USER `ao_cert`@`%` REQUIRE ISSUER '\/CN=Example CA' (AND )?SUBJECT '\/CN=o''brien' PASSWORD EXPIRE NEVER$/);
    t.regex(shown[2]!, /^CREATE USER `ao_plain`@`%`( PASSWORD EXPIRE DEFAULT)?$/);
  });
});

serverTest("a login without TLS is refused for an account that requires it, and allowed for one that does not", async (t) => {
  await onServer(async (session, db) => {
    await runMysqlScript(renderMysql(programFor(db).model), session);
    const login = async (user: string) => asMysqlAccount(url!, { user, host: "%" }, "SELECT 'in'").catch((error: Error) => error.message);
    t.regex(await login("ao_tls"), /Access denied for user 'ao_tls'/);
    t.regex(await login("ao_cert"), /Access denied for user 'ao_cert'/);
    t.is(await login("ao_plain"), "in");
  });
});

serverTest("plan changes each option that drifted, field by field, apply converges, and the script then changes nothing", async (t) => {
  await onServer(async (session, db) => {
    const program = programFor(db);
    t.is((await applyOnMysql(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual((await planOnMysql(program.model, session)).plan.changes, []);
    await session.query("ALTER USER ao_tls@'%' REQUIRE NONE WITH MAX_QUERIES_PER_HOUR 0 MAX_UPDATES_PER_HOUR 7 PASSWORD EXPIRE DEFAULT");
    await session.query("ALTER USER ao_cert@'%' REQUIRE SUBJECT '/CN=mallory'");
    await session.query("ALTER USER ao_plain@'%' PASSWORD EXPIRE NEVER");
    const planned = await planOnMysql(program.model, session);
    t.deepEqual(planned.plan.changes.map((c) => `${c.role} ${describeChange(c)}`).sort(), [
      'ao_cert require: SUBJECT "/CN=mallory" → ISSUER "/CN=Example CA" SUBJECT "/CN=o\'brien"',
      "ao_plain password lifetime: NEVER → DEFAULT",
      "ao_tls max queries per hour: 0 → 500",
      "ao_tls max updates per hour: 7 → 0",
      "ao_tls password lifetime: DEFAULT → INTERVAL 90 DAY",
      "ao_tls require: NONE → SSL",
    ]);
    t.true(planned.statements.some((s) => s.sql === "ALTER USER `ao_tls`@`%` REQUIRE SSL;"));
    t.is((await applyOnMysql(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual((await planOnMysql(program.model, session)).plan.changes, []);
    const afterApply = await accounts(session);
    await runMysqlScript(renderMysql(program.model), session);
    t.deepEqual(await accounts(session), afterApply, "the script leaves what apply left");
  });
});

serverTest("a migration changes the options the sources change, and nothing else", async (t) => {
  const before = programFor("app");
  const after = programFor("app", { tls: "require_x509 max_queries_per_hour 500", cert: "require_issuer '/CN=Example CA' require_subject '/CN=o''brien' password_lifetime 0" });
  t.deepEqual(
    planMysqlMigration(before.model, after.model, true, {}).statements.map((s) => s.sql),
    ["ALTER USER `ao_tls`@`%` REQUIRE X509;", "ALTER USER `ao_tls`@`%` WITH MAX_CONNECTIONS_PER_HOUR 0;", "ALTER USER `ao_tls`@`%` PASSWORD EXPIRE DEFAULT;"],
  );
  t.deepEqual(planMysqlMigration(after.model, after.model, true, {}).statements, []);
});

serverTest("import writes every account's options, and plan with the imported files is empty", async (t) => {
  await onServer(async (session, db) => {
    await session.query("CREATE USER ao_tls@'%' REQUIRE CIPHER 'ECDHE-RSA-AES256-GCM-SHA384' WITH MAX_UPDATES_PER_HOUR 12 PASSWORD EXPIRE INTERVAL 30 DAY ACCOUNT LOCK");
    await session.query("CREATE USER ao_cert@'%' REQUIRE X509 WITH MAX_CONNECTIONS_PER_HOUR 4 ACCOUNT LOCK");
    await session.query("CREATE USER ao_plain@'%' ACCOUNT LOCK");
    for (const user of ["ao_tls", "ao_cert", "ao_plain"]) await session.query(`GRANT SELECT ON ${quoteMysqlIdent(db)}.t TO ${user}@'%'`);
    const out = path.join(tempDir(), "imported");
    const r = await rolec(["import", "--db", url!, "--schema", db, "--out", out]);
    t.is(r.code, 0, r.stderr);
    t.false(hasStackTrace(r.stderr));
    const roles = readFileSync(path.join(out, "roles.roles"), "utf8");
    t.regex(roles, /^role ao_tls login require_cipher 'ECDHE-RSA-AES256-GCM-SHA384' max_updates_per_hour 12 password_lifetime 30 \{$/m);
    t.regex(roles, /^role ao_cert login require_x509 max_connections_per_hour 4 \{$/m);
    t.regex(roles, /^role ao_plain login \{$/m);
    const imported = programOf({ "schemas.roles": readFileSync(path.join(out, "schemas.roles"), "utf8"), "roles.roles": roles }, { databases: ["mysql"] });
    t.deepEqual(imported.diagnostics.filter((d) => d.severity === "error"), []);
    t.deepEqual((await planOnMysql(imported.model, session)).plan.changes, []);
  });
});

serverTest("verify proves the options from the grant tables and a refused plain login, and catches a script that leaves them out", async (t) => {
  await withMysqlLock(url!, async () => {
    const model = programFor("ao_app").model;
    const report = await verifyMysql(model, url!);
    t.deepEqual(report.mismatches, []);
    t.deepEqual(report.roleMismatches, []);
    const tampered = await verifyMysql(model, url!, { transformScript: (script) => script.replace("REQUIRE SSL WITH MAX_QUERIES_PER_HOUR 500", "REQUIRE NONE WITH MAX_QUERIES_PER_HOUR 5") });
    t.deepEqual(tampered.mismatches, []);
    t.deepEqual(
      tampered.roleMismatches.map((m) => `${m.role} ${m.what}: ${m.expected} / ${m.actual}`),
      ['ao_tls account option ssl_type: "ANY" / ""', 'ao_tls account option max_questions: "500" / "5"', "ao_tls login without TLS (require ssl): refused / allowed"],
    );
  });
});
