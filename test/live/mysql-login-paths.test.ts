import test from "ava";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { quoteMysqlGrantee, quoteMysqlIdent, quoteMysqlQualified, renderMysql } from "../../src/engine/mysql/index.js";
import { applyOnMysql, planOnMysql, type MysqlPlanned } from "../../src/engine/mysql/index.js";
import { matchedBefore } from "../../src/engine/mysql/catalog/account-matching.js";
import { openMysql, runMysqlScript, type MysqlSession } from "../../src/engine/mysql/index.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withMysqlLock, withMysqlScratchDatabase } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// Paths by which a login reaches declared objects beyond what the .roles files give: roles
// granted to PUBLIC, PUBLIC's own grants, anonymous accounts, and an account the server matches
// before a declared one. Each is made as root on the MariaDB server (ROLEC_TEST_MYSQL_URL), shown
// to be real by logging in, then planned: plan must never say "No changes" while one is there.
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.serial.skip;
const yes = async () => true;

function sourceFor(db: string): string {
  return `schema ${db} {
  table customers (id, email)
}
role lx_reader { select on ${db}.customers }
/// The application: it only reads.
role lx_app login { member of lx_reader }
`;
}

const principals = [
  "DROP ROLE IF EXISTS `lx_reader`",
  "DROP ROLE IF EXISTS `rolec_login_lx_app`",
  "DROP ROLE IF EXISTS `lx_everyone`",
  "DROP ROLE IF EXISTS `lx_nested`",
  "DROP USER IF EXISTS `lx_app`@`%`",
];

/** The program applied in a scratch database; `extra` accounts (made by the test) are dropped afterwards. */
async function onServer(fn: (session: MysqlSession, db: string, made: string[]) => Promise<void>): Promise<void> {
  await withMysqlScratchDatabase(url!, "rolec_lx_", principals, async (session, db) => {
    const made: string[] = [];
    try {
      await session.query(`CREATE TABLE ${quoteMysqlQualified(db, "customers")} (id INT PRIMARY KEY, email TEXT)`);
      await session.query(`INSERT INTO ${quoteMysqlQualified(db, "customers")} VALUES (1, 'a@example.com'), (2, 'b@example.com')`);
      const outcome = await applyOnMysql(programOf(sourceFor(db), { databases: ["mysql"] }).model, session, { confirm: yes });
      if (outcome.kind !== "applied") throw new Error(`setup: apply was ${outcome.kind}`);
      await fn(session, db, made);
    } finally {
      for (const account of made) await session.query(`DROP USER IF EXISTS ${account}`).catch(() => undefined);
    }
  });
}

/** Creates an account for the test (CREATE USER fails if it is already there: the test never drops what it did not make). */
async function makeAccount(session: MysqlSession, made: string[], user: string, host: string, password = ""): Promise<string> {
  const account = quoteMysqlGrantee(user, host);
  await session.query(`CREATE USER ${account}${password ? ` IDENTIFIED BY '${password}'` : ""}`);
  made.push(account);
  return account;
}

/** The host the server sees the tests' connections come from ('localhost' where it resolves names, else the address). */
async function clientHost(session: MysqlSession): Promise<string> {
  const [row] = await session.query<{ host: string }>("SELECT SUBSTRING_INDEX(USER(), '@', -1) AS host");
  return row!.host;
}

/** Logs in as `user` and runs statements: who the server made the login, and "ok" or the error of each. */
async function loginAs(user: string, password: string, statements: readonly string[]): Promise<string[]> {
  const session = await openMysql(url!, { user, password });
  try {
    const [me] = await session.query<{ me: string }>("SELECT CURRENT_USER() AS me");
    const results = [me!.me];
    for (const sql of statements) results.push(await session.query(sql).then(() => "ok", (error: Error) => (/denied/.test(error.message) ? "denied" : error.message)));
    return results;
  } finally {
    await session.close();
  }
}

async function plan(db: string, session: MysqlSession, options: { prune?: boolean } = {}): Promise<MysqlPlanned> {
  return planOnMysql(programOf(sourceFor(db), { databases: ["mysql"] }).model, session, options);
}

test("an account on a more specific host is matched first; one on the same host or a host no login shares is not", (t) => {
  t.true(matchedBefore("localhost", "%"));
  t.true(matchedBefore("127.%", "%"));
  t.true(matchedBefore("10.0.0.5", "10.0.%"));
  t.true(matchedBefore("10.0.%", "10.%"));
  t.false(matchedBefore("%", "%"));
  t.false(matchedBefore("%", "localhost"));
  t.false(matchedBefore("", "%"));
  t.false(matchedBefore("localhost", "127.0.0.1"));
  t.false(matchedBefore("192.168.1.5", "10.%"));
  t.false(matchedBefore("10.%", "192.168.%"));
});

serverTest("a role granted to PUBLIC that can UPDATE and DELETE a declared table blocks plan and apply, directly or through another role", async (t) => {
  await onServer(async (session, db) => {
    const customers = quoteMysqlQualified(db, "customers");
    t.deepEqual((await plan(db, session)).plan.changes, [], "applied: nothing to change yet");
    await session.query("CREATE ROLE lx_everyone");
    await session.query("CREATE ROLE lx_nested");
    await session.query(`GRANT UPDATE ON ${customers} TO lx_everyone`);
    await session.query(`GRANT DELETE ON ${customers} TO lx_nested`);
    await session.query("GRANT lx_nested TO lx_everyone");
    await session.query("GRANT lx_everyone TO PUBLIC");
    // It is real: the application account, which should only read, deletes.
    await session.query("ALTER USER `lx_app`@`%` IDENTIFIED BY 'lx-pw' ACCOUNT UNLOCK");
    t.deepEqual(await loginAs("lx_app", "lx-pw", [`DELETE FROM ${customers} WHERE id = 2`]), ["lx_app@%", "ok"]);
    await session.query("ALTER USER `lx_app`@`%` ACCOUNT LOCK");

    const planned = await plan(db, session);
    t.deepEqual(planned.plan.changes, []);
    t.deepEqual(
      planned.plan.blockers.map((b) => `${b.what}: ${b.hint}`),
      [
        `role \`lx_everyone\` is granted to PUBLIC, so every account holds what it reaches: UPDATE on ${db}.customers; DELETE on ${db}.customers (through role lx_nested): ` +
          "REVOKE `lx_everyone` FROM PUBLIC (the .roles files never grant to PUBLIC), or revoke those privileges from it",
      ],
    );
    t.is((await applyOnMysql(programOf(sourceFor(db), { databases: ["mysql"] }).model, session, { confirm: yes })).kind, "blocked");
    t.is((await session.query("SELECT 1 FROM mysql.roles_mapping WHERE User = 'PUBLIC' AND Role = 'lx_everyone'")).length, 1, "apply changed nothing");

    // The CLI: not "No changes", exit 1, and the JSON carries the blocker.
    const dir = tempDir();
    writeFileSync(path.join(dir, "a.roles"), sourceFor(db));
    const text = await rolec(["plan", dir, "--db", url!]);
    t.is(text.code, 1, text.stderr);
    t.notRegex(text.stdout, /No changes/);
    t.regex(text.stdout, /cannot apply until these are fixed:\n {2}! role `lx_everyone` is granted to PUBLIC/);
    const json = await rolec(["plan", dir, "--db", url!, "--format", "json"]);
    t.is(json.code, 1, json.stderr);
    const parsed = JSON.parse(json.stdout) as { ok: boolean; blockers: { what: string }[] };
    t.false(parsed.ok);
    t.regex(parsed.blockers[0]!.what, /^role `lx_everyone` is granted to PUBLIC/);

    // A declared role granted to PUBLIC blocks too, even when it reaches nothing yet.
    await session.query("REVOKE lx_everyone FROM PUBLIC");
    await session.query("GRANT lx_reader TO PUBLIC");
    const declared = await plan(db, session);
    t.deepEqual(declared.plan.blockers.map((b) => b.what), [`role \`lx_reader\`, which the .roles files declare, is granted to PUBLIC, so every account holds what it reaches: SELECT on ${db}.customers`]);
    t.truthy(declared.plan.blockers[0]!.span, "it points at the role's declaration");
    await session.query("REVOKE lx_reader FROM PUBLIC");

    // Granted to PUBLIC but reaching nothing the files declare: not theirs to judge.
    await session.query(`REVOKE UPDATE ON ${customers} FROM lx_everyone`);
    await session.query(`REVOKE DELETE ON ${customers} FROM lx_nested`);
    await session.query("GRANT lx_everyone TO PUBLIC");
    const clean = await plan(db, session);
    t.deepEqual([clean.plan.changes, clean.plan.blockers], [[], []]);
    await session.query("REVOKE lx_everyone FROM PUBLIC");
  });
});

serverTest("the compiled script refuses, before changing anything, a role granted to PUBLIC that reaches a declared table, or a declared role granted to PUBLIC", async (t) => {
  await onServer(async (session, db) => {
    const customers = quoteMysqlQualified(db, "customers");
    const model = programOf(sourceFor(db), { databases: ["mysql"] }).model;
    // Drift the script would take away, were it to run.
    await session.query(`GRANT INSERT ON ${customers} TO lx_reader`);
    await session.query("CREATE ROLE lx_everyone");
    await session.query("CREATE ROLE lx_nested");
    await session.query(`GRANT DELETE ON ${customers} TO lx_nested`);
    await session.query("GRANT lx_nested TO lx_everyone");
    await session.query("GRANT lx_everyone TO PUBLIC");
    const run = () => runMysqlScript(renderMysql(model), session).then(() => "ran", (error: Error) => error.message);
    t.regex(await run(), /rolec: roles granted to PUBLIC, which every account holds, reach the declared objects: lx_everyone\. Revoke them from PUBLIC/);
    t.is((await session.query("SELECT 1 FROM mysql.tables_priv WHERE User = 'lx_reader' AND FIND_IN_SET('Insert', Table_priv)")).length, 1, "nothing changed");
    // A database-wide grant (here on a pattern that covers the declared database) reaches it too.
    await session.query(`REVOKE DELETE ON ${customers} FROM lx_nested`);
    await session.query(`GRANT DELETE ON \`${db.slice(0, -1)}_\`.* TO lx_nested`);
    await session.query("DO RELEASE_LOCK('rolec')");
    t.regex(await run(), /reach the declared objects: lx_everyone\./);

    await session.query("REVOKE lx_everyone FROM PUBLIC");
    await session.query("GRANT lx_reader TO PUBLIC");
    await session.query("DO RELEASE_LOCK('rolec')");
    t.regex(await run(), /reach the declared objects: lx_reader\./);
    await session.query("REVOKE lx_reader FROM PUBLIC");

    // Reaching nothing declared, a role granted to PUBLIC is left alone, and the script runs.
    await session.query("DO RELEASE_LOCK('rolec')");
    await session.query(`REVOKE DELETE ON \`${db.slice(0, -1)}_\`.* FROM lx_nested`);
    await session.query("GRANT lx_everyone TO PUBLIC");
    await runMysqlScript(renderMysql(model), session);
    t.is((await session.query("SELECT 1 FROM mysql.tables_priv WHERE User = 'lx_reader' AND FIND_IN_SET('Insert', Table_priv)")).length, 0);
    t.is((await session.query("SELECT 1 FROM mysql.roles_mapping WHERE User = 'PUBLIC' AND Role = 'lx_everyone'")).length, 1);
    await session.query("REVOKE lx_everyone FROM PUBLIC");
  });
});

serverTest("PUBLIC's own grants on a declared table and database are drift that apply revokes", async (t) => {
  await onServer(async (session, db) => {
    await session.query(`GRANT UPDATE ON ${quoteMysqlQualified(db, "customers")} TO PUBLIC`);
    await session.query(`GRANT DELETE ON ${quoteMysqlIdent(db)}.* TO PUBLIC`);
    const planned = await plan(db, session);
    t.deepEqual(
      planned.plan.changes.map((c) => `${c.kind} ${c.role}`),
      ["revoke PUBLIC", "revoke-wide PUBLIC"],
    );
    t.deepEqual(planned.plan.blockers, []);
    t.is((await applyOnMysql(programOf(sourceFor(db), { databases: ["mysql"] }).model, session, { confirm: yes })).kind, "applied");
    const after = await plan(db, session);
    t.deepEqual([after.plan.changes, after.plan.blockers], [[], []]);
  });
});

serverTest("an anonymous account on the host a login comes from is who the declared account becomes there: a blocker", async (t) => {
  await onServer(async (session, db, made) => {
    const host = await clientHost(session);
    const anonymous = await makeAccount(session, made, "", host);
    await session.query(`GRANT SELECT, UPDATE ON ${quoteMysqlQualified(db, "customers")} TO ${anonymous}`);
    // Logging in as lx_app, without its password (it has none and is locked), gives the anonymous account.
    t.deepEqual(await loginAs("lx_app", "", [`UPDATE ${quoteMysqlQualified(db, "customers")} SET email = 'x'`]), [`@${host}`, "ok"]);

    const planned = await plan(db, session);
    t.deepEqual(planned.plan.changes, []);
    t.deepEqual(
      planned.plan.blockers.map((b) => `${b.what}: ${b.hint}`),
      [
        `anonymous account ''@\`${host}\` is matched before \`lx_app\`@\`%\` when lx_app logs in from ${host}: such a login gets its privileges (SELECT, UPDATE on ${db}.customers), not the declared account's: ` +
          `DROP USER ''@\`${host}\` (anonymous accounts are what mysql_secure_installation removes)`,
      ],
    );
    t.truthy(planned.plan.blockers[0]!.span);
    t.is((await applyOnMysql(programOf(sourceFor(db), { databases: ["mysql"] }).model, session, { confirm: yes })).kind, "blocked");

    // Holding nothing, it still is who a login as lx_app becomes.
    await session.query(`REVOKE ALL PRIVILEGES, GRANT OPTION FROM ${anonymous}`);
    t.regex((await plan(db, session)).plan.blockers[0]?.what ?? "", /gets its privileges \(none on the declared objects\), not the declared account's$/);

    await session.query(`DROP USER ${anonymous}`);
    const after = await plan(db, session);
    t.deepEqual([after.plan.changes, after.plan.blockers], [[], []]);
  });
});

serverTest("an anonymous account on any host that holds a declared table's privileges blocks; with --prune its grants are planned for revoking", async (t) => {
  await onServer(async (session, db, made) => {
    const anonymous = await makeAccount(session, made, "", "%");
    await session.query(`GRANT SELECT ON ${quoteMysqlQualified(db, "customers")} TO ${anonymous}`);
    const planned = await plan(db, session);
    t.deepEqual(planned.plan.blockers.map((b) => b.what), [
      `anonymous account ''@\`%\` holds SELECT on ${db}.customers: anyone who logs in from any host under a name without an account of its own gets it`,
    ]);
    // The anonymous user is quoted as the empty string, not refused as an empty identifier.
    const pruned = await plan(db, session, { prune: true });
    t.deepEqual(pruned.statements.map((s) => s.sql), [`REVOKE SELECT ON ${quoteMysqlQualified(db, "customers")} FROM ''@\`%\`;`]);
  });
});

serverTest("the declared account's user on a more specific host, with privileges and a role of its own, blocks", async (t) => {
  await onServer(async (session, db, made) => {
    const host = await clientHost(session);
    const customers = quoteMysqlQualified(db, "customers");
    const local = await makeAccount(session, made, "lx_app", host, "lx-local-pw");
    await session.query("CREATE ROLE lx_everyone");
    await session.query(`GRANT UPDATE ON ${customers} TO lx_everyone`);
    await session.query(`GRANT lx_everyone TO ${local}`);
    await session.query(`GRANT DELETE ON ${customers} TO ${local}`);
    t.deepEqual(await loginAs("lx_app", "lx-local-pw", [`DELETE FROM ${customers}`]), [`lx_app@${host}`, "ok"]);

    const planned = await plan(db, session);
    t.deepEqual(planned.plan.changes, []);
    t.deepEqual(
      planned.plan.blockers.map((b) => `${b.what}: ${b.hint}`),
      [
        `\`lx_app\`@\`${host}\` is matched before \`lx_app\`@\`%\` when lx_app logs in from ${host}: such a login gets its privileges (DELETE on ${db}.customers; UPDATE on ${db}.customers (through role lx_everyone)), not the declared account's: ` +
          `DROP USER \`lx_app\`@\`${host}\`, or declare lx_app with that host instead`,
      ],
    );
    t.is((await applyOnMysql(programOf(sourceFor(db), { databases: ["mysql"] }).model, session, { confirm: yes })).kind, "blocked");
    await session.query(`DROP USER ${local}`);
    const after = await plan(db, session);
    t.deepEqual([after.plan.changes, after.plan.blockers], [[], []]);
  });
});

serverTest("import does not say plan will find no changes while a role granted to PUBLIC reaches what it imported", async (t) => {
  await onServer(async (session, db) => {
    await session.query("CREATE ROLE lx_everyone");
    await session.query(`GRANT UPDATE ON ${quoteMysqlQualified(db, "customers")} TO lx_everyone`);
    await session.query("GRANT lx_everyone TO PUBLIC");
    const out = path.join(tempDir(), "roles");
    const r = await rolec(["import", "--db", url!, "--schema", db, "--out", out]);
    t.is(r.code, 0, r.stderr);
    t.notRegex(r.stdout, /no changes/);
    t.regex(r.stdout, /with these files would be blocked until these are fixed:\n {2}! role `lx_everyone`, which the \.roles files declare, is granted to PUBLIC, so every account holds what it reaches: UPDATE on rolec_lx_\w+\.customers: REVOKE `lx_everyone` FROM PUBLIC/);
  });
});

serverTest("verify --target mysql refuses, in one line and before creating anything, a server whose anonymous account would take its logins", async (t) => {
  await withMysqlLock(url!, async () => {
    const session = await openMysql(url!);
    const made: string[] = [];
    try {
      const host = await clientHost(session);
      await makeAccount(session, made, "", host);
      const dir = tempDir();
      writeFileSync(path.join(dir, "a.roles"), "schema lv_db { table t (a) }\nrole lv_app login { select on lv_db.t }\n");
      const r = await rolec(["verify", dir, "--target", "mysql", "--db", url!]);
      t.is(r.code, 1);
      t.false(hasStackTrace(r.stderr), r.stderr);
      t.regex(r.stderr, new RegExp(`^rolec: verify --target mysql logs in as the accounts it checks, but on \\S+ the anonymous account\\(s\\) ''@\`${host}\` would be matched first and take those logins; drop them \\(DROP USER ''@\`${host}\`\\) or use a server without anonymous accounts\\.$`, "m"));
      t.deepEqual(await session.query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'rolec\\_verify\\_%'"), []);
      t.deepEqual(await session.query("SELECT User FROM mysql.user WHERE User LIKE 'lv\\_%' OR User LIKE 'rolec\\_verify\\_%'"), []);
    } finally {
      for (const account of made) await session.query(`DROP USER IF EXISTS ${account}`).catch(() => undefined);
      await session.close();
    }
  });
});

serverTest("MariaDB: an account named like a declared role, on host '%', lends the role its database-wide grants: plan and apply block until it goes", async (t) => {
  await onServer(async (session, db, made) => {
    const customers = quoteMysqlQualified(db, "customers");
    // A role that became a login role and back again leaves such an account, as does a person.
    const twin = await makeAccount(session, made, "lx_reader", "%");
    await session.query(`GRANT DELETE ON ${quoteMysqlIdent(db)}.* TO ${twin}`);
    await session.query(`GRANT UPDATE ON ${customers} TO ${twin}`);
    // It is real: the application, which holds lx_reader and should only read, deletes once it
    // sets the role (the account's table grant, UPDATE, does not reach the role).
    await session.query("ALTER USER `lx_app`@`%` IDENTIFIED BY 'lx-pw' ACCOUNT UNLOCK");
    t.deepEqual(await loginAs("lx_app", "lx-pw", ["SET ROLE lx_reader", `DELETE FROM ${customers} WHERE id = 2`, `UPDATE ${customers} SET email = NULL`]), ["lx_app@%", "ok", "ok", "denied"]);
    await session.query("ALTER USER `lx_app`@`%` ACCOUNT LOCK");

    const planned = await plan(db, session);
    t.deepEqual(
      planned.plan.blockers.map((b) => `${b.what}: ${b.hint}`),
      [
        `account \`lx_reader\`@\`%\` has the name of role \`lx_reader\`, which the .roles files declare, and MariaDB gives the role (and every account that holds it) that account's database-wide and routine grants: DELETE on ${db}.*: ` +
          "DROP USER `lx_reader`@`%`, or revoke those grants from it",
      ],
    );
    t.truthy(planned.plan.blockers[0]!.span);
    t.is((await applyOnMysql(programOf(sourceFor(db), { databases: ["mysql"] }).model, session, { confirm: yes })).kind, "blocked");

    await session.query(`REVOKE DELETE ON ${quoteMysqlIdent(db)}.* FROM ${twin}`);
    t.deepEqual((await plan(db, session)).plan.blockers, [], "its table grants alone do not reach the role");
  });
});
