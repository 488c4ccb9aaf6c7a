import test from "ava";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { mysqlNames, quoteMysqlIdent, quoteMysqlQualified } from "../../src/engine/mysql/index.js";
import { describeChange } from "../../src/engine/index.js";
import { applyOnMysql, planOnMysql } from "../../src/engine/mysql/index.js";
import type { MysqlSession } from "../../src/engine/mysql/index.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withMysqlScratchDatabase } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// rolec import on the MySQL/MariaDB server (ROLEC_TEST_MYSQL_URL): the files it writes are
// formatted and check for the mysql target, and plan against the same server then finds nothing
// to change, or exactly what the warnings say it will.
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.serial.skip;
const yes = async () => true;

const principals = [
  "DROP ROLE IF EXISTS `im_reader`",
  "DROP ROLE IF EXISTS `im_auditor`",
  "DROP ROLE IF EXISTS `rolec_login_im_app`",
  "DROP USER IF EXISTS `im_app`@`10.0.%`",
  "DROP USER IF EXISTS `im_wide`@`%`",
  "DROP USER IF EXISTS `im_twin`@`%`",
  "DROP USER IF EXISTS `im_twin`@`localhost`",
  "DROP USER IF EXISTS `im_power`@`%`",
  `DROP USER IF EXISTS ${quoteMysqlIdent(mysqlNames.definer.name)}@${quoteMysqlIdent(mysqlNames.definer.host)}`,
];

function filesIn(dir: string) {
  return readdirSync(dir)
    .sort()
    .map((name) => ({ path: name, text: readFileSync(path.join(dir, name), "utf8") }));
}

/** A scratch database with awkward names, and a root session; everything is dropped afterwards. */
async function onServer<T>(fn: (session: MysqlSession, db: string) => Promise<T>): Promise<T> {
  return withMysqlScratchDatabase(url!, "rolec_im_", principals, async (session, db) => {
    const q = (name: string) => quoteMysqlQualified(db, name);
    await session.query(`CREATE TABLE ${q("customers")} (id INT PRIMARY KEY, email TEXT, \`SSN no\` TEXT)`);
    await session.query(`CREATE TABLE ${q("odd`name'")} (id INT, what TEXT)`);
    await session.query(`CREATE TABLE ${q("log")} (id INT, what TEXT)`);
    await session.query(`CREATE VIEW ${q("recent")} AS SELECT id, what FROM ${q("log")}`);
    return fn(session, db);
  });
}

serverTest("import of grants made by rolec: column grants, memberships, an account with a host and an append-only table round-trip to an empty plan", async (t) => {
  await onServer(async (session, db) => {
    const start = programOf(
      `schema ${db} {
  table customers (id, email, "SSN no")
  table "odd\`name'" (id, what)
  append_only table log (id, what)
  view recent (id, what)
}
/// Reads what is not personal.
role im_reader { select on ${db}.customers except ${db}.customers("SSN no") }
role im_auditor { select on ${db}.log, ${db}.recent }
role im_app login host "10.0.%" connection_limit 4 {
  member of im_reader, im_auditor
  insert on ${db}.log
  insert, update (email) on ${db}.customers
  select, delete on ${db}."odd\`name'"
}
`,
      { databases: ["mysql"] },
    );
    t.is((await applyOnMysql(start.model, session, { confirm: yes })).kind, "applied");

    const out = path.join(tempDir(), "roles");
    const r = await rolec(["import", "--db", url!, "--schema", db, "--out", out]);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, /with these files: no changes/, r.stdout + r.stderr);
    t.is(r.stderr, "");
    const files = filesIn(out);
    t.deepEqual(files.map((f) => f.path), ["roles.roles", "schemas.roles"]);
    const [roles, schemas] = [files[0]!.text, files[1]!.text];
    t.regex(schemas, /^ {2}append_only table log \(id, what\)$/m);
    t.regex(schemas, /^ {2}table "odd`name'" \(id, what\)$/m);
    t.regex(schemas, /^ {2}view recent \(id, what\)$/m);
    t.regex(roles, /^role im_app login connection_limit 4 host "10\.0\.%" \{\n {2}member of im_auditor, im_reader$/m);
    t.regex(roles, /^ {2}select, delete on rolec_im_[0-9a-f]+\."odd`name'"$/m);
    t.regex(roles, /^ {2}update \(email\) on rolec_im_[0-9a-f]+\.customers$/m);
    t.regex(roles, /^role im_reader \{\n {2}select \(id, email\) on rolec_im_[0-9a-f]+\.customers\n\}$/m);
    t.notRegex(roles, /rolec_login_|rolec_append_only|root/);

    const fmt = await rolec(["fmt", "--check", out]);
    t.is(fmt.code, 0, fmt.stdout + fmt.stderr);
    const imported = programOf(files.map((f) => f.text).join("\n"), { databases: ["mysql"] });
    t.deepEqual((await planOnMysql(imported.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`), []);
    t.deepEqual(
      imported.model.grants.map((g) => `${g.role} ${g.verb} ${g.object.name} ${String(g.columns)}`),
      start.model.grants.map((g) => `${g.role} ${g.verb} ${g.object.name} ${String(g.columns)}`),
    );
  });
});

serverTest("import of grants made by hand: what the language cannot say is a warning each, and applying the imported files settles it", async (t) => {
  await onServer(async (session, db) => {
    const q = (name: string) => quoteMysqlQualified(db, name);
    for (const sql of [
      "CREATE ROLE im_reader",
      "CREATE USER 'im_app'@'10.0.%'",
      "CREATE USER im_wide@'%'",
      "CREATE USER im_twin@'%'",
      "CREATE USER im_twin@'localhost'",
      "CREATE USER im_power@'%'",
      "GRANT im_reader TO 'im_app'@'10.0.%'",
      `GRANT SELECT (id, email) ON ${q("customers")} TO im_reader`,
      `GRANT SELECT, REFERENCES ON ${q("recent")} TO im_reader`,
      `GRANT INSERT, UPDATE (what), ALTER ON ${q("log")} TO 'im_app'@'10.0.%'`,
      `GRANT SELECT, CREATE ON ${quoteMysqlIdent(db)}.* TO im_wide@'%'`,
      `GRANT SELECT ON ${q("log")} TO im_twin@'%'`,
      `GRANT SELECT ON ${q("log")} TO im_power@'%'`,
      "GRANT PROCESS, RELOAD ON *.* TO im_power@'%'",
      `GRANT SELECT (what) ON ${q("recent")} TO PUBLIC`,
    ]) {
      await session.query(sql);
    }
    const out = path.join(tempDir(), "roles");
    const r = await rolec(["import", "--db", url!, "--schema", db, "--out", out]);
    t.is(r.code, 0, r.stderr);
    t.false(hasStackTrace(r.stderr));
    const warnings = r.stderr.trim().split("\n");
    t.true(warnings.every((w) => w.startsWith("warning: ")), r.stderr);
    t.regex(r.stderr, /warning: im_power is left out: it holds global privileges \(RELOAD\)/);
    t.regex(r.stderr, /warning: im_twin is left out: im_twin@%? ?.*share a name/);
    t.regex(r.stderr, /warning: im_app holds ALTER on rolec_im_[0-9a-f]+\.log, which the language cannot grant; plan will revoke it/);
    t.regex(r.stderr, /warning: im_wide holds SELECT on rolec_im_[0-9a-f]+\.\* database-wide; it is imported as rolec_im_[0-9a-f]+\.\*/);
    t.regex(r.stderr, /warning: im_reader holds REFERENCES on rolec_im_[0-9a-f]+\.recent, which the language cannot grant; plan will revoke it/);
    t.regex(r.stderr, /warning: im_wide holds CREATE on rolec_im_[0-9a-f]+\.\*, which the language cannot grant; plan will revoke it/);
    t.regex(r.stderr, /warning: PUBLIC holds SELECT \(what\) on rolec_im_[0-9a-f]+\.recent; the language cannot grant to PUBLIC, so plan will revoke it/);
    t.notRegex(r.stderr, /PUBLIC holds  on/, "a row of column grants is not a table-wide privilege");
    t.regex(r.stderr, /warning: im_app@10\.0\.%'s default role is none; .* rolec_login_im_app, so plan will create it and set it/);
    t.regex(r.stdout, /would still make \d+ change\(s\)/);

    const files = filesIn(out);
    const roles = files[0]!.text;
    t.regex(roles, /^role im_wide login \{\n {2}select on rolec_im_[0-9a-f]+\.\*\n\}$/m);
    t.regex(roles, /^role im_app login host "10\.0\.%" \{\n {2}member of im_reader\n {2}insert on rolec_im_[0-9a-f]+\.log\n {2}update \(what\) on rolec_im_[0-9a-f]+\.log\n\}$/m);
    t.notRegex(roles, /im_power|im_twin/);

    // What the warnings said plan would change, apply changes; then a second import has nothing to say.
    const imported = programOf(files.map((f) => f.text).join("\n"), { databases: ["mysql"] });
    t.is((await applyOnMysql(imported.model, session, { confirm: yes })).kind, "applied");
    const again = await rolec(["import", "--db", url!, "--schema", db, "--out", out, "--force"]);
    t.is(again.code, 0, again.stderr);
    t.regex(again.stdout, /with these files: no changes/, again.stdout + again.stderr);
    // Left out still; everything else the warnings named is settled.
    t.deepEqual(
      again.stderr.trim().split("\n").map((w) => w.replace(/ is left out: .*/, " is left out")),
      ["warning: im_power is left out", "warning: im_twin is left out"],
    );
    // The database-wide SELECT is now granted table by table, as rolec grants `schema.*`.
    t.regex(filesIn(out)[0]!.text, /^role im_wide login \{\n {2}select on rolec_im_[0-9a-f]+\.customers\n {2}select on rolec_im_[0-9a-f]+\.log\n/m);
  });
});

serverTest("import names a database that does not exist, or a system one: one line and exit 1, nothing written", async (t) => {
  const out = path.join(tempDir(), "roles");
  const missing = await rolec(["import", "--db", url!, "--schema", "rolec_no_such_db", "--out", out]);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /^rolec: schema "rolec_no_such_db" does not exist on mysql:\/\/.*\n$/);
  const system = await rolec(["import", "--db", url!, "--schema", "mysql", "--out", out]);
  t.is(system.code, 1);
  t.regex(system.stderr, /^rolec: schema "mysql" belongs to the database system itself/);
  t.deepEqual(readdirSync(path.dirname(out)), []);
});

serverTest("a database holding a name the language refuses (64 bytes) is one clear error, and nothing is written", async (t) => {
  await onServer(async (session, db) => {
    await session.query(`CREATE TABLE ${quoteMysqlQualified(db, "x".repeat(64))} (id INT)`);
    const out = path.join(tempDir(), "roles");
    const r = await rolec(["import", "--db", url!, "--schema", db, "--out", out]);
    t.is(r.code, 1);
    t.regex(r.stderr, /^rolec: the database holds what \.roles files cannot declare, so nothing was written:\n {2}RC0701 table name "x{64}" is 64 bytes long; PostgreSQL keeps only the first 63 bytes, so shorten it \(in the schemas\.roles it would write, line \d+\)\n {2}Leave those schemas out with --schema, or rename what is named\.\n$/);
    t.false(hasStackTrace(r.stderr));
    t.deepEqual(readdirSync(path.dirname(out)), []);
  });
});
