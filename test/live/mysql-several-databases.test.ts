import test from "ava";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { quoteMysqlGrantee, quoteMysqlIdent, quoteMysqlLiteral, quoteMysqlQualified, renderMysql } from "../../src/engine/mysql/index.js";
import { describeChange } from "../../src/engine/index.js";
import { applyOnMysql, connectMysql, planOnMysql } from "../../src/engine/mysql/index.js";
import type { Program } from "../../src/load/index.js";
import { openMysql, runMysqlScript, type MysqlSession } from "../../src/engine/mysql/index.js";
import { rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withMysqlLock } from "../helpers/databases.js";
import { mysqlClient, runWithMysqlClient } from "../helpers/mysql-client.js";
import { programOf } from "../helpers/program.js";

// Two teams, two databases on one MariaDB server, one shared account. Accounts, roles and role
// grants are server-wide, so each program names the other's it touches as external: program 1
// owns the account `mx_app` and the role `mx_auditors`; program 2 makes `mx_app` a member of its
// own role and grants `mx_auditors` a column in its database. Applied in turns, through rolec and
// through the mariadb client, neither undoes the other, and the account logs in with both.
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.serial.skip;
const clientTest = url && mysqlClient ? test.serial : test.serial.skip;
const yes = async () => true;

const suffix = randomBytes(3).toString("hex");
const db1 = `rolec_mx1_${suffix}`;
const db2 = `rolec_mx2_${suffix}`;
const consent = `
// The roles of program 2 that mx_app may be a member of: those memberships are program 2's.
external role mx_db2_rw
external role mx_db2_ro
`;
const program1Text = `schema ${db1} { table t1 (id, note) }
role mx_db1_rw { select, insert on ${db1}.t1 }
role mx_auditors { select on ${db1}.t1 }
role mx_app login { member of mx_db1_rw }
${consent}`;
const program1 = programOf(program1Text, { databases: ["mysql"] });
const program2 = programOf(
  `schema ${db2} { table t2 (id, note) }
role mx_db2_rw { select, insert, update on ${db2}.t2 }
role mx_db2_ro { select on ${db2}.t2 }
external role mx_app login { member of mx_db2_rw }
external role mx_auditors { select (id) on ${db2}.t2 }
`,
  { databases: ["mysql"] },
);
const password = randomBytes(12).toString("hex");

const principals = [
  "DROP USER IF EXISTS `mx_app`@`%`",
  "DROP USER IF EXISTS `mx_missing`@`%`",
  "DROP USER IF EXISTS `mx_alice`@`%`",
  "DROP ROLE IF EXISTS `mx_auditors`",
  "DROP ROLE IF EXISTS `mx_db1_rw`",
  "DROP ROLE IF EXISTS `mx_db2_rw`",
  "DROP ROLE IF EXISTS `mx_db2_ro`",
  "DROP ROLE IF EXISTS `rolec_login_mx_app`",
  "DROP ROLE IF EXISTS `rolec_login_mx_missing`",
];

/** Both databases with their tables, under the server lock; every account, role and database is dropped before and afterwards. */
async function onServer(fn: (session: MysqlSession) => Promise<void>): Promise<void> {
  await withMysqlLock(url!, async () => {
    const session = await connectMysql(url!, "the test server");
    try {
      for (const sql of principals) await session.query(sql);
      for (const [db, table] of [[db1, "t1"], [db2, "t2"]] as const) {
        await session.query(`DROP DATABASE IF EXISTS ${quoteMysqlIdent(db)}`);
        await session.query(`CREATE DATABASE ${quoteMysqlIdent(db)}`);
        await session.query(`CREATE TABLE ${quoteMysqlQualified(db, table)} (id INT PRIMARY KEY, note TEXT)`);
        await session.query(`INSERT INTO ${quoteMysqlQualified(db, table)} VALUES (1, 'seed')`);
      }
      await fn(session);
    } finally {
      for (const db of [db1, db2, "rolec"]) await session.query(`DROP DATABASE IF EXISTS ${quoteMysqlIdent(db)}`).catch(() => undefined);
      for (const sql of principals) await session.query(sql).catch(() => undefined);
      await session.close();
    }
  });
}

async function changes(program: Program, session: MysqlSession): Promise<string[]> {
  const planned = await planOnMysql(program.model, session);
  return [...planned.plan.blockers.map((b) => `blocked: ${b.what}`), ...planned.plan.changes.map((c) => `${c.kind} ${c.role ?? ""}: ${describeChange(c)}`)];
}

async function edges(session: MysqlSession, child: string): Promise<string[]> {
  const rows = await session.query<{ Role: string; Admin: string }>("SELECT Role, Admin_option AS Admin FROM mysql.roles_mapping WHERE User = ? ORDER BY Role", [child]);
  return rows.map((r) => `${r.Role}${r.Admin === "Y" ? " (admin)" : ""}`);
}

/** Logs in as mx_app, as an application would (its default role active), and says what each statement did. */
async function asApp(statements: readonly string[]): Promise<string[]> {
  const u = new URL(url!);
  u.username = "mx_app";
  u.password = password;
  const session = await openMysql(u.toString());
  try {
    const out: string[] = [];
    for (const sql of statements) {
      out.push(await session.query(sql).then(() => "allowed", (error: { errno?: number }) => ([1142, 1143, 1044].includes(error.errno ?? 0) ? "denied" : `error ${String(error)}`)));
    }
    return out;
  } finally {
    await session.close();
  }
}

let inserted = 1;
const appStatements = () => [
  `INSERT INTO ${quoteMysqlQualified(db1, "t1")} VALUES (${++inserted}, 'a')`,
  `UPDATE ${quoteMysqlQualified(db2, "t2")} SET note = 'b' WHERE id = 1`,
  `DELETE FROM ${quoteMysqlQualified(db2, "t2")} WHERE id = 1`,
];

serverTest("two programs on two databases of one MariaDB server share an account and a role: applied in turns, both plans stay empty", async (t) => {
  await onServer(async (session) => {
    t.is((await applyOnMysql(program1.model, session, { confirm: yes })).kind, "applied");
    t.is((await applyOnMysql(program2.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await changes(program1, session), [], "program 1 leaves mx_app's membership in program 2's role alone");
    t.deepEqual(await changes(program2, session), []);
    t.is((await applyOnMysql(program1.model, session, { confirm: yes })).kind, "nothing to do");
    t.deepEqual(await changes(program2, session), []);
    // The account holds both programs' roles itself and through its one default role.
    t.deepEqual(await edges(session, "mx_app"), ["mx_db1_rw", "mx_db2_rw", "rolec_login_mx_app"]);
    t.deepEqual(await edges(session, "rolec_login_mx_app"), ["mx_db1_rw", "mx_db2_rw"]);

    // Logged in, the account may do what both programs give it, and no more.
    await session.query(`ALTER USER ${quoteMysqlGrantee("mx_app", "%")} IDENTIFIED BY ${quoteMysqlLiteral(password)} ACCOUNT UNLOCK`);
    t.deepEqual(await asApp(appStatements()), ["allowed", "allowed", "denied"]);

    // Program 2 manages what the external account and role hold in its database, and their memberships in its roles.
    await session.query(`GRANT DELETE ON ${quoteMysqlQualified(db2, "t2")} TO ${quoteMysqlGrantee("mx_app", "%")}`);
    await session.query(`GRANT ${quoteMysqlIdent("mx_db2_ro")} TO ${quoteMysqlGrantee("mx_app", "%")} WITH ADMIN OPTION`);
    await session.query(`GRANT ${quoteMysqlIdent("mx_db2_rw")} TO ${quoteMysqlIdent("mx_auditors")}`);
    await session.query(`GRANT SELECT ON ${quoteMysqlIdent(db2)}.* TO ${quoteMysqlIdent("mx_auditors")}`);
    const drift = await changes(program2, session);
    for (const expected of [
      "revoke mx_app: DELETE on",
      "revoke-membership mx_app: member of mx_db2_ro",
      "revoke-membership mx_auditors: member of mx_db2_rw",
      "revoke-wide mx_auditors:",
    ]) {
      t.true(drift.some((line) => line.startsWith(expected)), `${expected} in\n${drift.join("\n")}`);
    }
    // Their global privileges and default roles are their owner's: program 2 leaves them alone.
    t.false(drift.some((line) => line.includes("*.*") || line.startsWith("set-default-role")), drift.join("\n"));
    // ... and program 1, to which those roles are program 2's, leaves them alone too.
    t.deepEqual(await changes(program1, session), []);
    t.is((await applyOnMysql(program2.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await changes(program2, session), []);
    t.deepEqual(await changes(program1, session), []);
    t.deepEqual(await edges(session, "mx_app"), ["mx_db1_rw", "mx_db2_rw", "rolec_login_mx_app"]);
    t.deepEqual(await edges(session, "mx_auditors"), []);
    t.deepEqual(await asApp(appStatements()), ["allowed", "allowed", "denied"]);

    // Without the consent, program 1 takes mx_app's membership in program 2's role away, as before.
    const withoutConsent = programOf(program1Text.replace(consent, ""), { databases: ["mysql"] });
    t.true((await changes(withoutConsent, session)).some((line) => line.startsWith("revoke-membership mx_app: member of mx_db2_rw")));
  });
});

serverTest("external accounts and roles are known: never listed as not managed, and --prune takes from them only what it takes from any declared role", async (t) => {
  await onServer(async (session) => {
    t.is((await applyOnMysql(program1.model, session, { confirm: yes })).kind, "applied");
    t.is((await applyOnMysql(program2.model, session, { confirm: yes })).kind, "applied");
    await session.query("CREATE USER `mx_alice`@`%`");
    await session.query(`GRANT SELECT ON ${quoteMysqlQualified(db2, "t2")} TO \`mx_alice\`@\`%\``);
    await session.query("GRANT `mx_db2_ro` TO `mx_alice`@`%`");
    const planned = await planOnMysql(program2.model, session);
    t.deepEqual(planned.plan.changes, []);
    t.deepEqual(planned.plan.unmanaged, [{ role: "mx_alice@%", holds: ["member of mx_db2_ro", `SELECT on ${db2}.t2`] }]);
    const pruned = await planOnMysql(program2.model, session, { prune: true });
    t.deepEqual(pruned.plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`), ["revoke-membership mx_alice@%: member of mx_db2_ro", `revoke mx_alice@%: SELECT on ${db2}.t2`]);
    t.is((await applyOnMysql(program2.model, session, { prune: true, confirm: yes })).kind, "applied");
    t.deepEqual((await planOnMysql(program1.model, session, { prune: true })).plan.changes, [], "program 1 prunes nothing of program 2's either");
    t.deepEqual(await edges(session, "mx_app"), ["mx_db1_rw", "mx_db2_rw", "rolec_login_mx_app"]);
  });
});

clientTest("the compiled mysql.sql of each program, run by the mariadb client in turns, leaves both plans empty", async (t) => {
  await onServer(async (session) => {
    const scripts = [renderMysql(program1.model), renderMysql(program2.model)];
    // Program 1 first: it creates the account and role program 2 names as external.
    for (const [i, script] of [...scripts, ...scripts, scripts[0]!].entries()) {
      const result = await runWithMysqlClient(url!, script);
      t.is(result.status, 0, result.stderr);
      t.deepEqual(await changes(program1, session), [], `program 1's plan after run ${i + 1}`);
      if (i > 0) t.deepEqual(await changes(program2, session), [], `program 2's plan after run ${i + 1}`);
    }
    t.deepEqual(await edges(session, "mx_app"), ["mx_db1_rw", "mx_db2_rw", "rolec_login_mx_app"]);
    // Drift that program 2's script takes away and program 1's leaves alone.
    await session.query(`GRANT DELETE ON ${quoteMysqlQualified(db2, "t2")} TO ${quoteMysqlIdent("mx_auditors")}`);
    await session.query(`GRANT ${quoteMysqlIdent("mx_db2_ro")} TO ${quoteMysqlGrantee("mx_app", "%")}, ${quoteMysqlIdent("rolec_login_mx_app")}`);
    t.is((await runWithMysqlClient(url!, scripts[0]!)).status, 0);
    t.deepEqual(await changes(program1, session), []);
    t.deepEqual(await edges(session, "mx_app"), ["mx_db1_rw", "mx_db2_ro", "mx_db2_rw", "rolec_login_mx_app"]);
    t.is((await runWithMysqlClient(url!, scripts[1]!)).status, 0);
    t.deepEqual(await changes(program2, session), []);
    t.deepEqual(await edges(session, "mx_app"), ["mx_db1_rw", "mx_db2_rw", "rolec_login_mx_app"]);
    t.deepEqual(await edges(session, "rolec_login_mx_app"), ["mx_db1_rw", "mx_db2_rw"]);
    await session.query(`ALTER USER ${quoteMysqlGrantee("mx_app", "%")} IDENTIFIED BY ${quoteMysqlLiteral(password)} ACCOUNT UNLOCK`);
    t.deepEqual(await asApp(appStatements()), ["allowed", "allowed", "denied"]);
  });
});

serverTest("an external account that does not exist blocks plan and apply, and the script refuses before changing anything", async (t) => {
  const program = programOf(
    `schema ${db2} { table t2 (id, note) }
role mx_db2_rw { select on ${db2}.t2 }
external role mx_missing login { member of mx_db2_rw }
// Only named: it need not exist, since no statement names it.
external role mx_auditors
`,
    { databases: ["mysql"] },
  );
  await onServer(async (session) => {
    const planned = await planOnMysql(program.model, session);
    t.deepEqual(planned.plan.blockers.map((b) => `${b.what}: ${b.hint}`), [
      "mx_missing@% is declared external but does not exist: this program never creates an external role: create it with the program that manages it, then plan again",
    ]);
    t.is(planned.plan.blockers[0]!.span?.startLine, 3);
    t.is((await applyOnMysql(program.model, session, { confirm: yes })).kind, "blocked");
    const failure = await runMysqlScript(renderMysql(program.model), session).then(() => undefined, (error: unknown) => error);
    t.regex(String(failure), /declare external, and grant something to or make members of their roles, do not exist: mx_missing@%/);
    t.deepEqual(await session.query("SELECT User FROM mysql.user WHERE User IN ('mx_db2_rw', 'mx_missing', 'rolec_login_mx_missing')"), [], "nothing was created");

    // Created by whoever manages it, it is used as it stands and never altered: not its limit,
    // its global privileges or its default role, by apply or by the script.
    await session.query("CREATE USER `mx_missing`@`%` WITH MAX_USER_CONNECTIONS 3");
    await session.query("GRANT PROCESS ON *.* TO `mx_missing`@`%`");
    const account = async () => {
      const [row] = await session.query<{ max_user_connections: number; default_role: string; Process_priv: string }>(
        "SELECT max_user_connections, default_role, Process_priv FROM mysql.user WHERE User = 'mx_missing'",
      );
      return { ...row };
    };
    const untouched = { max_user_connections: 3, default_role: "", Process_priv: "Y" };
    t.is((await applyOnMysql(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await changes(program, session), []);
    t.deepEqual(await account(), untouched, "apply leaves its limit, global privileges and default role to its owner");
    t.deepEqual(await edges(session, "rolec_login_mx_missing"), ["mx_db2_rw"], "its login role, rolec's own, holds what this program gives it");
    await runMysqlScript(renderMysql(program.model), session);
    t.deepEqual(await account(), untouched, "so does the script");
    t.deepEqual(await changes(program, session), []);
  });
});

serverTest("import of one of the databases leaves out the other's accounts and roles, names its accounts' other roles as external, and round-trips", async (t) => {
  await onServer(async (session) => {
    t.is((await applyOnMysql(program1.model, session, { confirm: yes })).kind, "applied");
    t.is((await applyOnMysql(program2.model, session, { confirm: yes })).kind, "applied");
    const out = path.join(tempDir(), "roles");
    const r = await rolec(["import", "--db", url!, "--schema", db1, "--out", out]);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, /with these files: no changes/, r.stdout + r.stderr);
    const left = /^warning: left out (\d+) account\(s\) and role\(s\) that hold nothing on the imported objects and are members of no role that does: (.*)$/m.exec(r.stderr);
    t.truthy(left, r.stderr);
    t.true(left![2]!.split(", ").includes("mx_db2_ro"), left![0]);
    for (const name of ["mx_app@%", "mx_db1_rw", "mx_auditors", "mx_db2_rw"]) t.false(left![2]!.split(", ").includes(name), `${name} in ${left![0]}`);
    const written = readFileSync(path.join(out, "roles.roles"), "utf8");
    t.regex(written, /^role mx_app login \{\n {2}member of mx_db1_rw\n\}$/m);
    t.regex(written, /^external role mx_db2_rw$/m);
    t.false(written.includes("mx_db2_ro"), written);
    // Nothing but the review lint that rightly finds a role without login or members unused (RC1004).
    const check = await rolec(["check", "--strict", "--target", "mysql", "--format", "json", out]);
    t.deepEqual((JSON.parse(check.stdout) as { diagnostics: { code: string }[] }).diagnostics.filter((d) => d.code !== "RC1004"), [], check.stdout);
    const imported = programOf(Object.fromEntries(readdirSync(out).map((name) => [name, readFileSync(path.join(out, name), "utf8")])), { databases: ["mysql"] });
    const planned = await planOnMysql(imported.model, session);
    t.deepEqual(planned.plan.changes, []);
    t.deepEqual(planned.plan.blockers, []);
  });
});
