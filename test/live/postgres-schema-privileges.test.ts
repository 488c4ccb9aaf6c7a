import test from "ava";
import { spawnSync } from "node:child_process";
import { describeChange, type SqlSession } from "../../src/engine/index.js";
import { applyOnPostgres, planOnPostgres, renderPostgres } from "../../src/engine/postgres/index.js";
import { serverUrl, withDeclaredObjects } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";
import { expectVerifyCatchesTampering } from "../helpers/verify-tampered.js";
import { runAs } from "../helpers/run-as.js";
import { expectImportRoundTrips, importDatabase } from "../helpers/import-round-trip.js";

// Privileges on schemas themselves (`usage, create on schema s`): the compiled script, plan and
// apply give each role exactly the declared ones, drift is taken back, import writes them, and
// verify catches a script that leaves one out. What the database holds is read back with
// has_schema_privilege and proved with real statements run as each role, not from rolec's model.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const psqlTest = url && spawnSync("psql", ["--version"]).status === 0 ? test.serial : test.serial.skip;

const source = `schema s { table t (a) }
schema scratch {}
role sch_reader { usage on schema s }
role sch_app login {
  member of sch_reader
  select on s.t
  create on schema scratch
}
role sch_migrator { all on schema scratch }
role sch_plain { select on s.t }
`;
const program = programOf(source);
const roles = ["sch_reader", "sch_app", "sch_migrator", "sch_plain", "sch_other"];
const yes = async () => true;

/**
 * What the language says each role holds, worked out by hand from docs/language.md: USAGE comes
 * with a grant on an object and is inherited; sch_app's CREATE on scratch comes without USAGE.
 */
const expected = [
  "sch_app s: usage",
  "sch_app scratch: create",
  "sch_migrator s: -",
  "sch_migrator scratch: usage create",
  "sch_plain s: usage",
  "sch_plain scratch: -",
  "sch_reader s: usage",
  "sch_reader scratch: -",
];

/** has_schema_privilege for every declared role on both schemas, e.g. `sch_app scratch: create`. */
async function matrix(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `SELECT r.rolname || ' ' || n.nspname || ': ' ||
            COALESCE(NULLIF(concat_ws(' ', CASE WHEN pg_catalog.has_schema_privilege(r.oid, n.oid, 'USAGE') THEN 'usage' END,
                                           CASE WHEN pg_catalog.has_schema_privilege(r.oid, n.oid, 'CREATE') THEN 'create' END), ''), '-') AS line
     FROM pg_catalog.pg_roles r, pg_catalog.pg_namespace n
     WHERE r.rolname = ANY ($1::text[]) AND r.rolname <> 'sch_other' AND n.nspname IN ('s', 'scratch')
     ORDER BY r.rolname, n.nspname`,
    [roles],
  );
  return rows.map((r) => r.line);
}


/** A fresh database with the program's objects (schema scratch included), and a session on it. */
function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, fn);
}

test("the checker takes schema privileges, and the model keeps them per role, schema and verb", (t) => {
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(
    program.model.schemaGrants.map((g) => `${g.role} ${g.verb} ${g.schema}`),
    ["sch_app create scratch", "sch_migrator usage scratch", "sch_migrator create scratch", "sch_reader usage s"],
  );
});

serverTest("apply gives each role exactly its schema privileges; drift is planned as a change and taken back", async (t) => {
  await onServer(async (session) => {
    await session.exec(`CREATE ROLE sch_other; GRANT CREATE ON SCHEMA s TO sch_other`);
    const applied = await applyOnPostgres(program.model, session, { confirm: yes });
    t.is(applied.kind, "applied");
    t.deepEqual(await matrix(session), expected);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    await session.exec(`GRANT CREATE ON SCHEMA s TO sch_reader; REVOKE CREATE ON SCHEMA scratch FROM sch_app; GRANT USAGE ON SCHEMA scratch TO sch_plain WITH GRANT OPTION`);
    const drift = (await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.deepEqual(drift.sort(), ["grant-schema sch_app: CREATE on schema scratch", "revoke-schema sch_plain: USAGE on schema scratch", "revoke-schema sch_reader: CREATE on schema s"]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await matrix(session), expected);
    // A role the files do not declare keeps what it has: that is --prune's to take.
    t.deepEqual(await session.query(`SELECT pg_catalog.has_schema_privilege('sch_other', 's', 'CREATE') AS yes`), [{ yes: true }]);
  });
});

psqlTest("the compiled script, run by psql, gives the same privileges, and real statements as each role agree", async (t) => {
  await onServer(async (session, databaseUrl) => {
    await session.exec(`CREATE ROLE sch_plain; GRANT CREATE ON SCHEMA scratch TO sch_plain; CREATE ROLE sch_reader; GRANT USAGE, CREATE ON SCHEMA s TO sch_reader`);
    const run = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl], { input: renderPostgres(program.model), encoding: "utf8" });
    t.is(run.status, 0, run.stderr);
    t.deepEqual(await matrix(session), expected);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    t.is(await runAs(session, "sch_app", "CREATE TABLE scratch.made_by_app (id int)"), "allowed");
    t.is(await runAs(session, "sch_migrator", "CREATE TABLE scratch.made_by_migrator (id int)"), "allowed");
    t.is(await runAs(session, "sch_plain", "CREATE TABLE scratch.made_by_plain (id int)"), "denied");
    t.is(await runAs(session, "sch_reader", "CREATE TABLE s.made_by_reader (id int)"), "denied");
    // Looking a name up in a schema needs USAGE on it and nothing else.
    t.is(await runAs(session, "sch_reader", "SELECT pg_catalog.to_regclass('s.no_such_table')"), "allowed");
    t.is(await runAs(session, "sch_plain", "SELECT pg_catalog.to_regclass('scratch.no_such_table')"), "denied");
    t.is(await runAs(session, "sch_app", "SELECT a FROM s.t"), "allowed");
  });
});

psqlTest("a program that declares no object, only privileges on an empty schema and on the database, runs through psql", async (t) => {
  const bare = programOf("schema scratch {}\nrole sch_migrator login {\n  usage, create on schema scratch\n  connect on database\n}\n");
  t.deepEqual(bare.diagnostics, []);
  await withDeclaredObjects(url!, roles, bare.model, async (session, databaseUrl) => {
    const run = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl], { input: renderPostgres(bare.model), encoding: "utf8" });
    t.is(run.status, 0, run.stderr);
    t.deepEqual(await session.query("SELECT pg_catalog.has_schema_privilege('sch_migrator', 'scratch', 'USAGE, CREATE') AS yes"), [{ yes: true }]);
    t.deepEqual((await planOnPostgres(bare.model, session)).plan.changes, []);
  });
});

serverTest("import writes schema privileges that grants do not imply, and the empty schema they name; plan with the imported files is empty", async (t) => {
  await onServer(async (session, databaseUrl) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    const { schemas, roles: imported } = await importDatabase(t, databaseUrl);
    t.regex(schemas, /^schema scratch \{\n\}$/m);
    t.regex(imported, /^role sch_reader \{\n {2}usage on schema s\n\}$/m);
    t.regex(imported, /^role sch_migrator \{\n {2}usage, create on schema scratch\n\}$/m);
    t.regex(imported, /^ {2}create on schema scratch$/m);
    t.notRegex(imported, /^role sch_plain \{[^}]*on schema/m, "USAGE that a grant implies is not written");
    await expectImportRoundTrips(t, session, { schemas, roles: imported });
  });
});

test("verify on PGlite proves schema privileges with real statements, and catches a script that leaves one out", async (t) => {
  await expectVerifyCatchesTampering(t, program.model, `GRANT CREATE ON SCHEMA "scratch" TO "sch_app", "sch_migrator";`, `GRANT CREATE ON SCHEMA "scratch" TO "sch_migrator";`, ["privilege function: sch_app create on schema scratch: granted / not granted", "statement: sch_app create on schema scratch: allowed / denied"]);
});
