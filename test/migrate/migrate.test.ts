import test from "ava";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { mysqlNames, quoteMysqlIdent, quoteMysqlQualified } from "../../src/engine/mysql/index.js";
import { appendOnlyNames } from "../../src/engine/postgres/index.js";
import { applyOnMysql, connectMysql, planOnMysql } from "../../src/engine/mysql/index.js";
import { applyOnPostgres, planOnPostgres, readPostgres } from "../../src/engine/postgres/index.js";
import { type SqlSession } from "../../src/engine/index.js";
import { runMysqlScript, type MysqlSession } from "../../src/engine/mysql/index.js";
import { openPgServer } from "../../src/engine/postgres/index.js";
import { scratchSchemaSql } from "../../src/engine/postgres/verify/scratch-schema.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withMysqlLock, withScratchDatabase } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// rolec migrate: the files it writes, and that running them in order leaves what apply leaves.
const pgUrl = serverUrl("ROLEC_TEST_PG_URL");
const mysqlUrl = serverUrl("ROLEC_TEST_MYSQL_URL");
const pgTest = pgUrl ? test.serial : test.serial.skip;
const mysqlTest = mysqlUrl ? test.serial : test.serial.skip;
const epoch = { SOURCE_DATE_EPOCH: "1795347000" };
const yes = async () => true;

/** Two versions of one project: the second makes a table append-only, adds, narrows, and drops a role. */
function versions(schema: string): [string, string] {
  const v1 = `schema ${schema} {
  table customers (id, email, ssn)
  table log (id, what)
}
role mg_reader { select on ${schema}.customers except ${schema}.customers(ssn) }
role mg_app login {
  member of mg_reader
  insert on ${schema}.log
}
role mg_old { select on ${schema}.log }
`;
  const v2 = `schema ${schema} {
  table customers (id, email, ssn)
  append_only table log (id, what)
}
role mg_reader { select (id) on ${schema}.customers }
role mg_app login connection_limit 3 {
  member of mg_reader
  insert on ${schema}.log
  update (email) on ${schema}.customers
}
role mg_new login {
  member of mg_reader
  select on ${schema}.log
}
`;
  return [v1, v2];
}
const roles = ["mg_reader", "mg_app", "mg_old", "mg_new", appendOnlyNames.owner];

/** Writes the project's text and runs `rolec migrate` on it. */
async function migrate(project: string, dir: string, text: string, args: string[]) {
  writeFileSync(path.join(project, "a.roles"), text);
  return rolec(["migrate", project, "--dir", dir, ...args], { env: epoch });
}

test("the first migration holds everything, a second only what changed, and none when nothing did", async (t) => {
  const [v1, v2] = versions("s");
  const project = tempDir();
  const dir = path.join(tempDir(), "migrations");
  const first = await migrate(project, dir, v1, ["--name", "Initial roles"]);
  t.is(first.code, 0, first.stderr);
  t.regex(first.stdout, /^wrote .*20261122113000_initial_roles\.up\.sql: \d+ to add, 0 to change, 0 to take away\n$/);
  const again = await migrate(project, dir, v1, ["--name", "again"]);
  t.is(again.code, 0);
  t.regex(again.stderr, /nothing to do/);
  t.is(readdirSync(dir).length, 1);
  t.is((await migrate(project, dir, v1, ["--check"])).code, 0);

  const check = await migrate(project, dir, v2, ["--check"]);
  t.is(check.code, 1);
  t.regex(check.stdout, /- SELECT \(email\) on s\.customers +no longer in the \.roles files/);
  t.regex(check.stderr, /no migration in .* does; run rolec migrate --name/);
  const second = await migrate(project, dir, v2, ["--name", "append-only log"]);
  t.is(second.code, 0, second.stderr);
  const files = readdirSync(dir).sort();
  t.deepEqual(files, ["20261122113000_initial_roles.up.sql", "20261122113001_append_only_log.up.sql"]);
  const text = readFileSync(path.join(dir, files[1]!), "utf8");
  t.regex(text, /^-- From: the state recorded by 20261122113000_initial_roles\.up\.sql$/m);
  t.regex(text, /^-- \+ role mg_new: create role/m);
  t.regex(text, /^-- - role mg_reader: SELECT \(email\) on s\.customers {3}\(no longer in the \.roles files\)\nREVOKE SELECT \("email"\) ON TABLE "s"\."customers" FROM "mg_reader" CASCADE;$/m);
  t.regex(text, /^-- ~ append-only s\.log: guard:/m);
  t.regex(text, /^-- Roles the sources no longer declare keep what they hold.*\n-- {3}mg_old: SELECT on s\.log$/m);
  t.regex(text, /^BEGIN;$[\s\S]*^COMMIT;$/m);
  t.false(text.includes("CREATE ROLE \"mg_app\""), "the second migration does not create what the first did");
  t.is((await migrate(project, dir, v2, ["--check"])).code, 0);
});

test("external roles in migrations: granted to and made members, never created; recorded as external; a later migration changes only what this program manages", async (t) => {
  const v1 = `schema s { table t (id, note) }
role mg_reader { select on s.t }
external role mg_app login { member of mg_reader }
external role mg_team { select (id) on s.t }
`;
  const v2 = `schema s { table t (id, note) }
role mg_reader { select on s.t }
external role mg_app login { insert on s.t }
external role mg_team
`;
  for (const target of ["postgres", "mariadb"]) {
    const project = tempDir();
    const dir = path.join(tempDir(), "migrations");
    const first = await migrate(project, dir, v1, ["--name", "one", "--target", target]);
    t.is(first.code, 0, first.stderr);
    const text = readFileSync(path.join(dir, readdirSync(dir)[0]!), "utf8");
    t.false(/CREATE (ROLE|USER)[^\n]*[`"]mg_(app|team)[`"]/.test(text), `${target}: an external role is never created\n${text}`);
    t.regex(text, /GRANT [`"]mg_reader[`"] TO [`"]mg_app[`"]/, target);
    t.regex(text, /^-- role \{"name":"mg_app",.*"external":true\}$/m, target);
    t.regex(text, /^-- role \{"name":"mg_reader",.*"doc":null\}$/m, "a role the program owns is recorded as before");
    const second = await migrate(project, dir, v2, ["--name", "two", "--target", target]);
    t.is(second.code, 0, second.stderr);
    const next = readFileSync(path.join(dir, readdirSync(dir).sort()[1]!), "utf8");
    t.regex(next, /REVOKE [`"]mg_reader[`"] FROM [`"]mg_app[`"]/, `${target}: the membership goes\n${next}`);
    t.regex(next, /REVOKE SELECT \([`"]id[`"]\) ON [^\n]* FROM [`"]mg_team[`"]/, `${target}: its column grant goes`);
    t.regex(next, /GRANT INSERT ON [^\n]* TO [`"]mg_app[`"]/, target);
    t.false(/(CREATE|DROP|ALTER) (ROLE|USER)[^\n]*[`"]mg_(app|team)[`"]|DEFAULT ROLE[^\n]*[`"]mg_app[`"]/.test(next), `${target}: never altered\n${next}`);
  }
});

test("role attributes in migrations: recorded with the role, set when added, taken when removed, and a migration with none is written as before", async (t) => {
  const project = tempDir();
  const dir = path.join(tempDir(), "migrations");
  const plain = "schema s { table t (a) }\nrole mg_etl login { select on s.t }\n";
  const first = await migrate(project, dir, plain, ["--name", "one"]);
  t.is(first.code, 0, first.stderr);
  t.regex(readFileSync(path.join(dir, readdirSync(dir)[0]!), "utf8"), /^-- role \{"name":"mg_etl","login":true,"connectionLimit":-1,"host":"%","memberOf":\[\],"doc":null\}$/m, "no attributes key when there are none");
  const second = await migrate(project, dir, plain.replace("login {", "login createdb {"), ["--name", "two"]);
  t.is(second.code, 0, second.stderr);
  const added = readFileSync(path.join(dir, readdirSync(dir).sort()[1]!), "utf8");
  t.regex(added, /^-- ~ role mg_etl: powers: none → createdb/m);
  t.regex(added, /^ALTER ROLE "mg_etl" WITH NOSUPERUSER NOCREATEROLE CREATEDB NOREPLICATION NOBYPASSRLS;$/m);
  t.regex(added, /^-- role \{"name":"mg_etl",.*"attributes":\["createdb"\]\}$/m);
  t.regex((await migrate(project, dir, plain.replace("login {", "login createdb {"), ["--name", "same"])).stderr, /nothing to do/);
  const third = await migrate(project, dir, plain, ["--name", "three"]);
  t.is(third.code, 0, third.stderr);
  t.regex(readFileSync(path.join(dir, readdirSync(dir).sort()[2]!), "utf8"), /^ALTER ROLE "mg_etl" WITH NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS;$/m);
});

pgTest("schema privileges in migrations: recorded, granted when added, revoked when removed, and the migrations run in order leave what the sources say", async (t) => {
  const project = tempDir();
  const dir = path.join(tempDir(), "migrations");
  const plain = "schema s { table t (a) }\nschema mg_scratch {}\nrole mg_app login { select on s.t }\n";
  const granted = "schema s { table t (a) }\nschema mg_scratch {}\nrole mg_app login {\n  select on s.t\n  usage, create on schema mg_scratch\n}\n";
  t.is((await migrate(project, dir, plain, ["--name", "one"])).code, 0);
  t.notRegex(readFileSync(path.join(dir, readdirSync(dir)[0]!), "utf8"), /schema-grant/, "no schema-grant lines when there are none");
  const second = await migrate(project, dir, granted, ["--name", "two"]);
  t.is(second.code, 0, second.stderr);
  const added = readFileSync(path.join(dir, readdirSync(dir).sort()[1]!), "utf8");
  t.regex(added, /^GRANT USAGE ON SCHEMA "mg_scratch" TO "mg_app";$/m);
  t.regex(added, /^GRANT CREATE ON SCHEMA "mg_scratch" TO "mg_app";$/m);
  t.regex(added, /^-- schema-grant \{"role":"mg_app","schema":"mg_scratch","verb":"create"\}$/m);
  t.regex((await migrate(project, dir, granted, ["--name", "same"])).stderr, /nothing to do/, "the recorded state is read back");
  const third = await migrate(project, dir, plain, ["--name", "three"]);
  t.is(third.code, 0, third.stderr);
  t.regex(readFileSync(path.join(dir, readdirSync(dir).sort()[2]!), "utf8"), /^REVOKE CREATE ON SCHEMA "mg_scratch" FROM "mg_app" CASCADE;$/m);

  await withScratchDatabase(pgUrl!, ["mg_app"], async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(scratchSchemaSql(programOf(granted).model).sql);
      const files = readdirSync(dir).sort();
      for (const file of files.slice(0, 2)) await session.exec(readFileSync(path.join(dir, file), "utf8"));
      t.deepEqual(await session.query("SELECT pg_catalog.has_schema_privilege('mg_app', 'mg_scratch', 'USAGE, CREATE') AS yes"), [{ yes: true }]);
      t.deepEqual((await planOnPostgres(programOf(granted).model, session)).plan.changes, []);
      await session.exec(readFileSync(path.join(dir, files[2]!), "utf8"));
      t.deepEqual(await session.query("SELECT pg_catalog.has_schema_privilege('mg_app', 'mg_scratch', 'CREATE') AS yes"), [{ yes: false }]);
      t.deepEqual((await planOnPostgres(programOf(plain).model, session)).plan.changes, []);
    } finally {
      await session.close();
    }
  });
});

pgTest("database privileges in migrations: recorded, granted when added, revoked when removed, and the migrations run in order leave what the sources say", async (t) => {
  const project = tempDir();
  const dir = path.join(tempDir(), "migrations");
  const plain = "schema s { table t (a) }\nrole mg_app login { select on s.t }\nrole mg_new { select on s.t }\n";
  const granted = "schema s { table t (a) }\nrole mg_app login {\n  connect, temporary on database\n  select on s.t\n}\nrole mg_new { select on s.t }\n";
  const moved = "schema s { table t (a) }\nrole mg_app login { select on s.t }\nrole mg_new { connect on database }\n";
  t.is((await migrate(project, dir, plain, ["--name", "one"])).code, 0);
  t.notRegex(readFileSync(path.join(dir, readdirSync(dir)[0]!), "utf8"), /ON DATABASE|database-grant/, "nothing of the database while the files say nothing of it");
  const second = await migrate(project, dir, granted, ["--name", "two"]);
  t.is(second.code, 0, second.stderr);
  const added = readFileSync(path.join(dir, readdirSync(dir).sort()[1]!), "utf8");
  t.regex(added, /'GRANT CONNECT ON DATABASE %I TO %s', pg_catalog\.current_database\(\), '"mg_app"'/);
  t.regex(added, /^-- database-grant \{"role":"mg_app","verb":"temporary"\}$/m);
  t.regex((await migrate(project, dir, granted, ["--name", "same"])).stderr, /nothing to do/, "the recorded state is read back");
  const third = await migrate(project, dir, moved, ["--name", "three"]);
  t.is(third.code, 0, third.stderr);
  t.regex(readFileSync(path.join(dir, readdirSync(dir).sort()[2]!), "utf8"), /'REVOKE TEMPORARY ON DATABASE %I FROM %s CASCADE', pg_catalog\.current_database\(\), '"mg_app"'/);

  await withScratchDatabase(pgUrl!, ["mg_app", "mg_new"], async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    const held = async (role: string) =>
      (await session.query<{ p: string }>(`SELECT concat_ws(' ', CASE WHEN pg_catalog.has_database_privilege($1, pg_catalog.current_database(), 'CONNECT') THEN 'connect' END,
        CASE WHEN pg_catalog.has_database_privilege($1, pg_catalog.current_database(), 'TEMPORARY') THEN 'temporary' END) AS p`, [role]))[0]!.p;
    try {
      await session.exec(scratchSchemaSql(programOf(granted).model).sql);
      const files = readdirSync(dir).sort();
      for (const file of files.slice(0, 2)) await session.exec(readFileSync(path.join(dir, file), "utf8"));
      t.is(await held("mg_app"), "connect temporary");
      t.deepEqual((await planOnPostgres(programOf(granted).model, session)).plan.changes, []);
      await session.exec(readFileSync(path.join(dir, files[2]!), "utf8"));
      t.is(await held("mg_app"), "");
      t.is(await held("mg_new"), "connect");
      t.deepEqual((await planOnPostgres(programOf(moved).model, session)).plan.changes, []);
    } finally {
      await session.close();
    }
  });
});

pgTest("a public block in migrations: recorded, and the migration that adds it takes PUBLIC's defaults away where the block does not keep them", async (t) => {
  const project = tempDir();
  const dir = path.join(tempDir(), "migrations");
  const plain = "schema s { table t (a) }\nrole mg_app login {\n  connect on database\n  select on s.t\n}\n";
  const withPublic = `${plain}public {\n  select on s.t\n  connect on database\n}\n`;
  t.is((await migrate(project, dir, plain, ["--name", "one"])).code, 0);
  const second = await migrate(project, dir, withPublic, ["--name", "two"]);
  t.is(second.code, 0, second.stderr);
  const added = readFileSync(path.join(dir, readdirSync(dir).sort()[1]!), "utf8");
  t.regex(added, /^GRANT SELECT ON TABLE "s"\."t" TO PUBLIC;$/m);
  t.regex(added, /'REVOKE TEMPORARY ON DATABASE %I FROM %s CASCADE', pg_catalog\.current_database\(\), 'PUBLIC'/);
  t.regex(added, /^-- public \{\}$/m);
  t.regex(added, /^-- grant \{"role":"PUBLIC","schema":"s","name":"t","verb":"select","columns":"all"\}$/m);
  t.regex((await migrate(project, dir, withPublic, ["--name", "same"])).stderr, /nothing to do/, "the recorded state is read back, the block included");

  await withScratchDatabase(pgUrl!, ["mg_app"], async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      // The database as PostgreSQL makes it: PUBLIC's CONNECT and TEMPORARY in place.
      await session.exec("CREATE SCHEMA s; CREATE TABLE s.t (a text);");
      for (const file of readdirSync(dir).sort()) await session.exec(readFileSync(path.join(dir, file), "utf8"));
      const held = await session.query<{ p: string }>(
        `SELECT string_agg(privilege_type, ' ' ORDER BY privilege_type) AS p FROM aclexplode((SELECT datacl FROM pg_database WHERE datname = current_database())) WHERE grantee = 0`,
      );
      t.deepEqual(held, [{ p: "CONNECT" }]);
      t.deepEqual((await planOnPostgres(programOf(withPublic).model, session)).plan.changes, []);
    } finally {
      await session.close();
    }
  });
});

test("settings for one database in migrations: recorded with the role, set when added, reset when changed", async (t) => {
  const project = tempDir();
  const dir = path.join(tempDir(), "migrations");
  const plain = "schema s { table t (a) }\nrole mg_web login { select on s.t }\n";
  const here = "schema s { table t (a) }\nrole mg_web login {\n  set statement_timeout = '30s' in database\n  select on s.t\n}\n";
  t.is((await migrate(project, dir, plain, ["--name", "one"])).code, 0);
  const second = await migrate(project, dir, here, ["--name", "two"]);
  t.is(second.code, 0, second.stderr);
  const added = readFileSync(path.join(dir, readdirSync(dir).sort()[1]!), "utf8");
  t.regex(added, /'ALTER ROLE %I IN DATABASE %I SET %s TO %s', 'mg_web', pg_catalog\.current_database\(\), '"statement_timeout"', '''30s'''/);
  t.regex(added, /^-- role \{"name":"mg_web",.*"databaseSettings":\[\{"parameter":"statement_timeout","values":\["30s"\]\}\]\}$/m);
  t.regex((await migrate(project, dir, here, ["--name", "same"])).stderr, /nothing to do/);
  const third = await migrate(project, dir, here.replace("statement_timeout = '30s'", "work_mem = '8MB'"), ["--name", "three"]);
  t.is(third.code, 0, third.stderr);
  const changed = readFileSync(path.join(dir, readdirSync(dir).sort()[2]!), "utf8");
  t.regex(changed, /'ALTER ROLE %I IN DATABASE %I RESET ALL', 'mg_web'/);
  t.regex(changed, /'"work_mem"', '''8MB'''/);
});

test("migrations are byte-identical for the same sources and SOURCE_DATE_EPOCH, and follow the newest even when the clock is behind", async (t) => {
  const [v1, v2] = versions("s");
  const outputs = [];
  for (let i = 0; i < 2; i++) {
    const dir = path.join(tempDir(), "m");
    t.is((await migrate(tempDir(), dir, v1, ["--name", "one"])).code, 0);
    outputs.push(readFileSync(path.join(dir, readdirSync(dir)[0]!), "utf8"));
  }
  t.is(outputs[0], outputs[1]);

  const dir = path.join(tempDir(), "m");
  mkdirSync(dir);
  writeFileSync(path.join(dir, "29990101000000_future.up.sql"), outputs[0]!);
  const project = tempDir();
  t.is((await migrate(project, dir, v2, ["--name", "two"])).code, 0);
  t.true(readdirSync(dir).includes("29990101000001_two.up.sql"), readdirSync(dir).join(", "));
});

test("layouts: flyway and dbmate file names, dbmate's markers; other files in the folder are left alone", async (t) => {
  const [v1] = versions("s");
  const flyway = path.join(tempDir(), "m");
  mkdirSync(flyway);
  writeFileSync(path.join(flyway, "V1__create_tables.sql"), "CREATE TABLE s.customers (id int);\n");
  t.is((await migrate(tempDir(), flyway, v1, ["--name", "roles", "--layout", "flyway"])).code, 0);
  t.deepEqual(readdirSync(flyway).sort(), ["V1__create_tables.sql", "V20261122113000__roles.sql"]);
  t.false(readFileSync(path.join(flyway, "V20261122113000__roles.sql"), "utf8").includes("BEGIN;"), "flyway runs each migration in a transaction itself");
  t.is(readFileSync(path.join(flyway, "V1__create_tables.sql"), "utf8"), "CREATE TABLE s.customers (id int);\n");

  const dbmate = path.join(tempDir(), "m");
  t.is((await migrate(tempDir(), dbmate, v1, ["--name", "roles", "--layout", "dbmate"])).code, 0);
  const text = readFileSync(path.join(dbmate, "20261122113000_roles.sql"), "utf8");
  t.regex(text, /^-- migrate:up\n[\s\S]*^-- migrate:down$/m);
});

test("a hand-edited recorded state, a folder of another target's migrations, and a missing --name are refused in one line", async (t) => {
  const [v1, v2] = versions("s");
  const dir = path.join(tempDir(), "m");
  const project = tempDir();
  t.is((await migrate(project, dir, v1, ["--name", "one"])).code, 0);
  const file = path.join(dir, readdirSync(dir)[0]!);
  const original = readFileSync(file, "utf8");
  writeFileSync(file, original.replace('"role":"mg_old"', '"role":"mg_app"'));
  const edited = await migrate(project, dir, v2, ["--name", "two"]);
  t.is(edited.code, 1);
  t.regex(edited.stderr, /^rolec: .*20261122113000_one\.up\.sql:\d+: the rolec state was edited by hand/m);
  t.false(hasStackTrace(edited.stderr));
  t.is(readdirSync(dir).length, 1, "nothing written");

  writeFileSync(file, original);
  const mysql = await migrate(project, dir, v2, ["--name", "two", "--target", "mariadb"]);
  t.is(mysql.code, 1);
  t.regex(mysql.stderr, /is a postgres migration, not mariadb: keep each target's migrations in a folder of its own/);

  const unnamed = await migrate(project, dir, v2, []);
  t.is(unnamed.code, 1);
  t.regex(unnamed.stderr, /migrate needs --name/);
});

/** Roles, memberships and privileges of the test's roles, as the catalog holds them. */
async function postgresSnapshot(session: SqlSession): Promise<string> {
  const live = await readPostgres(session, ["s"], [appendOnlyNames.rowTrigger, appendOnlyNames.truncateTrigger]);
  const ours = (name: string) => name.startsWith("mg_") || name === "PUBLIC" || name === appendOnlyNames.owner;
  return JSON.stringify(
    {
      roles: live.state.roles.filter((r) => ours(r.name)),
      memberships: live.state.memberships.filter((m) => ours(m.child)).map((m) => ({ ...m, grantor: undefined })),
      privileges: live.state.privileges.filter((p) => ours(p.grantee)).map((p) => ({ ...p, grantor: undefined })),
      schemaPrivileges: live.state.schemaPrivileges.filter((p) => ours(p.grantee)).map((p) => ({ ...p, grantor: undefined })),
      objects: live.objects.map((o) => ({ name: o.name, owner: o.owner, triggers: o.triggers.map((g) => `${g.name} ${g.enabled}`) })),
    },
    null,
    1,
  );
}

pgTest("PostgreSQL: running the migrations in order leaves what apply leaves", async (t) => {
  const [v1, v2] = versions("s");
  const project = tempDir();
  const dir = path.join(tempDir(), "m");
  t.is((await migrate(project, dir, v1, ["--name", "one"])).code, 0);
  t.is((await migrate(project, dir, v2, ["--name", "two"])).code, 0);
  const p1 = programOf(v1);
  const p2 = programOf(v2);

  const viaMigrations = await withScratchDatabase(pgUrl!, roles, async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(scratchSchemaSql(p2.model).sql);
      for (const file of readdirSync(dir).sort()) await session.exec(readFileSync(path.join(dir, file), "utf8"));
      const planned = await planOnPostgres(p2.model, session);
      t.deepEqual(planned.plan.changes.map((c) => c.kind), [], "the database holds what the sources say");
      return await postgresSnapshot(session);
    } finally {
      await session.close();
    }
  });
  const viaApply = await withScratchDatabase(pgUrl!, roles, async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(scratchSchemaSql(p2.model).sql);
      t.is((await applyOnPostgres(p1.model, session, { confirm: yes })).kind, "applied");
      t.is((await applyOnPostgres(p2.model, session, { confirm: yes })).kind, "applied");
      return await postgresSnapshot(session);
    } finally {
      await session.close();
    }
  });
  t.is(viaMigrations, viaApply);
  t.regex(viaApply, /mg_old/, "the dropped role keeps its grant both ways");
});

/** The grant tables' rows for the test's roles in one database, with the database name left out. */
async function mysqlSnapshot(session: MysqlSession, db: string): Promise<string> {
  const who = "User LIKE 'mg\\_%' OR User LIKE 'rolec\\_%'";
  const rows = [
    ...(await session.query(`SELECT User, Host, Table_name, Table_priv, Column_priv FROM mysql.tables_priv WHERE Db = ? ORDER BY 1, 2, 3`, [db])),
    ...(await session.query(`SELECT User, Host, Table_name, Column_name, Column_priv FROM mysql.columns_priv WHERE Db = ? ORDER BY 1, 2, 3, 4`, [db])),
    ...(await session.query(`SELECT Role, User, Host, Admin_option FROM mysql.roles_mapping WHERE ${who} ORDER BY 1, 2, 3`)),
    ...(await session.query(`SELECT User, Host, default_role, max_user_connections, is_role FROM mysql.user WHERE ${who} ORDER BY 1, 2`)),
    ...(await session.query(`SELECT TRIGGER_NAME, EVENT_MANIPULATION, DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY 1`, [db])),
  ];
  return JSON.stringify(rows, null, 1);
}

mysqlTest("MariaDB: running the migrations in order leaves what apply leaves", async (t) => {
  const db = `rolec_mg_${randomBytes(4).toString("hex")}`;
  const [v1, v2] = versions(db);
  const project = tempDir();
  const dir = path.join(tempDir(), "m");
  t.is((await migrate(project, dir, v1, ["--name", "one", "--target", "mariadb"])).code, 0);
  const second = await migrate(project, dir, v2, ["--name", "two", "--target", "mariadb"]);
  t.is(second.code, 0, second.stderr);
  const p1 = programOf(v1, { databases: ["mysql"] });
  const p2 = programOf(v2, { databases: ["mysql"] });
  const cleanup = [
    ...["mg_reader", "mg_old", "rolec_login_mg_app", "rolec_login_mg_new"].map((r) => `DROP ROLE IF EXISTS ${quoteMysqlIdent(r)}`),
    ...["mg_app", "mg_new"].map((u) => `DROP USER IF EXISTS ${quoteMysqlIdent(u)}@'%'`),
    `DROP USER IF EXISTS ${quoteMysqlIdent(mysqlNames.definer.name)}@${quoteMysqlIdent(mysqlNames.definer.host)}`,
    `DROP DATABASE IF EXISTS ${quoteMysqlIdent(db)}`,
  ];
  const fresh = async (session: MysqlSession) => {
    for (const sql of cleanup) await session.query(sql);
    await session.query(`CREATE DATABASE ${quoteMysqlIdent(db)}`);
    await session.query(`CREATE TABLE ${quoteMysqlQualified(db, "customers")} (id INT, email TEXT, ssn TEXT)`);
    await session.query(`CREATE TABLE ${quoteMysqlQualified(db, "log")} (id INT, what TEXT)`);
  };
  await withMysqlLock(mysqlUrl!, async () => {
    const session = await connectMysql(mysqlUrl!, "the test server");
    try {
      await fresh(session);
      for (const file of readdirSync(dir).sort()) await runMysqlScript(readFileSync(path.join(dir, file), "utf8"), session);
      t.deepEqual((await planOnMysql(p2.model, session)).plan.changes.map((c) => c.kind), [], "the server holds what the sources say");
      const viaMigrations = await mysqlSnapshot(session, db);

      await fresh(session);
      t.is((await applyOnMysql(p1.model, session, { confirm: yes })).kind, "applied");
      t.is((await applyOnMysql(p2.model, session, { confirm: yes })).kind, "applied");
      t.is(await mysqlSnapshot(session, db), viaMigrations);
      t.regex(viaMigrations, /mg_old/);
    } finally {
      for (const sql of cleanup) await session.query(sql).catch(() => undefined);
      await session.close();
    }
  });
});
