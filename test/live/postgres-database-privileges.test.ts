import test, { type ExecutionContext } from "ava";
import { spawnSync } from "node:child_process";
import pg from "pg";
import { describeChange, type SqlSession } from "../../src/engine/index.js";
import { applyOnPostgres, planOnPostgres, renderPostgres } from "../../src/engine/postgres/index.js";
import { serverUrl, withDeclaredObjects, withScratchDatabase } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";
import { expectVerifyCatchesTampering } from "../helpers/verify-tampered.js";
import { runAs } from "../helpers/run-as.js";
import { expectImportRoundTrips, importDatabase } from "../helpers/import-round-trip.js";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { rolec, tempDir } from "../helpers/cli.js";

// Privileges on the database itself (`connect, temporary, create on database`): the compiled
// script, plan and apply give each declared role exactly its declared ones once the files say any,
// drift is taken back, a program that says none leaves the database alone, import writes them,
// and verify catches a script that leaves one out. Read back with has_database_privilege, and
// proved by connecting as the role and by real statements, not from rolec's model.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const psqlTest = url && spawnSync("psql", ["--version"]).status === 0 ? test.serial : test.serial.skip;

const source = `schema s { table t (a) }
role db_app login {
  connect, temporary on database
  select on s.t
}
role db_migrator login { all on database }
role db_group { connect on database }
role db_member login { member of db_group }
role db_plain login { select on s.t }
`;
const program = programOf(source);
const roles = ["db_app", "db_migrator", "db_group", "db_member", "db_plain", "db_other"];
const yes = async () => true;

/** What the language says, worked out by hand from docs/language.md: db_member inherits db_group's CONNECT. */
const expected = ["db_app: connect temporary", "db_group: connect", "db_member: connect", "db_migrator: connect temporary create", "db_plain: -"];

/** has_database_privilege for each declared role on the current database, e.g. `db_app: connect temporary`. */
async function matrix(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `SELECT r.rolname || ': ' ||
            COALESCE(NULLIF(concat_ws(' ', CASE WHEN pg_catalog.has_database_privilege(r.oid, pg_catalog.current_database(), 'CONNECT') THEN 'connect' END,
                                           CASE WHEN pg_catalog.has_database_privilege(r.oid, pg_catalog.current_database(), 'TEMPORARY') THEN 'temporary' END,
                                           CASE WHEN pg_catalog.has_database_privilege(r.oid, pg_catalog.current_database(), 'CREATE') THEN 'create' END), ''), '-') AS line
     FROM pg_catalog.pg_roles r WHERE r.rolname = ANY ($1::text[]) AND r.rolname <> 'db_other' ORDER BY r.rolname`,
    [roles],
  );
  return rows.map((r) => r.line);
}

/** Connects to the database as the role (trust authentication): "connected", or the server's refusal. */
async function connectAs(databaseUrl: string, role: string): Promise<string> {
  const target = new URL(databaseUrl);
  target.username = role;
  const client = new pg.Client({ connectionString: target.toString() });
  try {
    await client.connect();
    return "connected";
  } catch (error) {
    return `refused: ${(error as { code?: string }).code}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}


function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, fn);
}

test("the checker takes database privileges, and the model keeps them per role and verb", (t) => {
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(
    program.model.databaseGrants.map((g) => `${g.role} ${g.verb}`),
    ["db_app connect", "db_app temporary", "db_group connect", "db_migrator connect", "db_migrator temporary", "db_migrator create"],
  );
});

serverTest("apply gives each role exactly its database privileges; drift is planned as a change and taken back", async (t) => {
  await onServer(async (session) => {
    await session.exec(`CREATE ROLE db_other; DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO db_other', current_database()); END $$`);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await matrix(session), expected);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    await session.exec(`DO $$ BEGIN
      EXECUTE format('GRANT CREATE ON DATABASE %I TO db_app', current_database());
      EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM db_app', current_database());
      EXECUTE format('GRANT CONNECT ON DATABASE %I TO db_plain WITH GRANT OPTION', current_database());
    END $$`);
    const drift = (await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.deepEqual(drift.sort(), ["grant-database db_app: TEMPORARY on the database", "revoke-database db_app: CREATE on the database", "revoke-database db_plain: CONNECT on the database"]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await matrix(session), expected);
    const other = await session.query("SELECT pg_catalog.has_database_privilege('db_other', pg_catalog.current_database(), 'CONNECT') AS yes");
    t.deepEqual(other, [{ yes: true }], "a role the files do not declare keeps what it has");
  });
});

serverTest("a program that says nothing of the database leaves its privileges alone", async (t) => {
  const silent = programOf("schema s { table t (a) }\nrole db_plain login { select on s.t }\n");
  await withDeclaredObjects(url!, roles, silent.model, async (session) => {
    await session.exec(`CREATE ROLE db_plain LOGIN; DO $$ BEGIN EXECUTE format('GRANT CONNECT, CREATE ON DATABASE %I TO db_plain', current_database()); END $$`);
    t.is((await applyOnPostgres(silent.model, session, { confirm: yes })).kind, "applied");
    const held = await session.query("SELECT pg_catalog.has_database_privilege('db_plain', pg_catalog.current_database(), 'CONNECT, CREATE') AS yes");
    t.deepEqual(held, [{ yes: true }]);
    t.deepEqual((await planOnPostgres(silent.model, session)).plan.changes, []);
    t.notRegex(renderPostgres(silent.model), /ON DATABASE/);
  });
});

psqlTest("the compiled script, run by psql, gives the same privileges; connecting and real statements as each role agree", async (t) => {
  await onServer(async (session, databaseUrl) => {
    await session.exec(`CREATE ROLE db_plain LOGIN; DO $$ BEGIN EXECUTE format('GRANT ALL ON DATABASE %I TO db_plain', current_database()); END $$`);
    const run = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl], { input: renderPostgres(program.model), encoding: "utf8" });
    t.is(run.status, 0, run.stderr);
    t.deepEqual(await matrix(session), expected);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    // The test database has PUBLIC's CONNECT taken away (as verify's does), so only the roles granted it get in.
    t.is(await connectAs(databaseUrl, "db_app"), "connected");
    t.is(await connectAs(databaseUrl, "db_member"), "connected", "CONNECT through membership");
    t.is(await connectAs(databaseUrl, "db_plain"), "refused: 42501");
    t.is(await runAs(session, "db_app", "CREATE TEMPORARY TABLE scratch_probe (id int)"), "allowed");
    t.is(await runAs(session, "db_plain", "CREATE TEMPORARY TABLE scratch_probe (id int)"), "denied");
    t.is(await runAs(session, "db_migrator", "CREATE SCHEMA made_by_migrator"), "allowed");
    t.is(await runAs(session, "db_app", "CREATE SCHEMA made_by_app"), "denied");
  });
});

serverTest("import writes the database privileges each role holds; plan with the imported files is empty", async (t) => {
  await onServer(async (session, databaseUrl) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    const imported = await importDatabase(t, databaseUrl);
    t.regex(imported.roles, /^role db_app login \{\n {2}connect, temporary on database\n/m);
    t.regex(imported.roles, /^role db_migrator login \{\n {2}connect, temporary, create on database\n\}$/m);
    t.regex(imported.roles, /^role db_group \{\n {2}connect on database\n\}$/m);
    t.notRegex(imported.roles, /^role db_member login \{[^}]*on database/m, "CONNECT held through membership is not written again");
    await expectImportRoundTrips(t, session, imported);
  });
});

test("verify on PGlite proves database privileges with real statements, and catches a script that leaves one out", async (t) => {
  await expectVerifyCatchesTampering(t, program.model, "'GRANT CONNECT, TEMPORARY, CREATE ON DATABASE %I TO %s'", "'GRANT CONNECT, TEMPORARY ON DATABASE %I TO %s'", ["privilege function: db_migrator create on the database: granted / not granted", "statement: db_migrator create on the database: allowed / denied"]);
});

serverTest("verify --db proves CONNECT by logging in as each login role, and catches a script that leaves one out", async (t) => {
  // verify --db takes any role that appears while it runs for one the script made: it runs in the
  // server's turn that test files take (the scratch database the turn comes with goes unused).
  await withScratchDatabase(url!, roles, () => verifyOnServer(t));
});

async function verifyOnServer(t: ExecutionContext): Promise<void> {
  const dir = tempDir();
  writeFileSync(path.join(dir, "db.roles"), source);
  const good = await rolec(["verify", "--db", url!, dir]);
  t.is(good.code, 0, good.stdout + good.stderr);
  const script = path.join(dir, "tampered.sql");
  const tampered = renderPostgres(program.model).replace(
    "'GRANT CONNECT, TEMPORARY ON DATABASE %I TO %s', pg_catalog.current_database(), '\"db_app\"'",
    "'GRANT TEMPORARY ON DATABASE %I TO %s', pg_catalog.current_database(), '\"db_app\"'",
  );
  t.not(tampered, renderPostgres(program.model), "the tampering must change the script");
  writeFileSync(script, tampered);
  const caught = await rolec(["verify", "--db", url!, "--script", script, path.join(dir, "db.roles")]);
  t.is(caught.code, 1, caught.stdout + caught.stderr);
  t.regex(caught.stdout, /MISMATCH role db_app: connect on the database: expected connected, database says refused \[statement: \(a new session, logged in as the role\)\]/);
}
