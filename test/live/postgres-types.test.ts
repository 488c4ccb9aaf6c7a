import test from "ava";
import { spawnSync } from "node:child_process";
import { describeChange, type SqlSession } from "../../src/engine/index.js";
import { applyOnPostgres, planOnPostgres, renderPostgres } from "../../src/engine/postgres/index.js";
import { serverUrl, withDeclaredObjects, withScratchDatabase } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";
import { expectVerifyCatchesTampering } from "../helpers/verify-tampered.js";
import { runAs } from "../helpers/run-as.js";
import { expectImportRoundTrips, importDatabase } from "../helpers/import-round-trip.js";
import { openPgServer } from "../../src/engine/postgres/session/pg-session.js";

// USAGE on types and domains: the compiled script, plan and apply give each role exactly the
// declared ones (PUBLIC's default USAGE taken where no line keeps it), drift is taken back, import
// writes them, and verify catches a script that leaves one out. Read back with has_type_privilege
// and proved by creating a table with a column of the type as each role.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const psqlTest = url && spawnSync("psql", ["--version"]).status === 0 ? test.serial : test.serial.skip;

const source = `schema ty {
  table orders (id)
  type "Mood ""x"""
  domain cents
}
public { usage on ty."Mood ""x""" }
role ty_base { usage on ty.cents }
role ty_app login {
  member of ty_base
  select on ty.orders
}
role ty_plain { select on ty.orders }
`;
const program = programOf(source);
const roles = ["ty_base", "ty_app", "ty_plain", "ty_other"];
const yes = async () => true;

/** Worked out by hand from docs/language.md: PUBLIC's line reaches every role, ty_base's through membership. */
const expected = ['ty_app: ty."Mood ""x""" ty.cents', 'ty_base: ty."Mood ""x""" ty.cents', 'ty_other: ty."Mood ""x"""', 'ty_plain: ty."Mood ""x"""'];

async function matrix(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `SELECT r.rolname || ':' || COALESCE(string_agg(' ' || t.oid::regtype::text, '' ORDER BY t.typname), '') AS line
     FROM pg_roles r LEFT JOIN pg_type t ON t.typnamespace = 'ty'::regnamespace AND t.typname IN ('Mood "x"', 'cents') AND has_type_privilege(r.oid, t.oid, 'USAGE')
     WHERE r.rolname = ANY ($1::text[]) GROUP BY r.rolname ORDER BY r.rolname`,
    [roles],
  );
  return rows.map((r) => r.line);
}

function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, fn);
}

test("the checker takes types and domains, and the model keeps USAGE per role and type", (t) => {
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(program.model.types.map((ty) => `${ty.kind} ${ty.name}`), ['type Mood "x"', "domain cents"]);
  t.deepEqual(program.model.typeGrants.map((g) => `${g.role} ${g.type.name}`), ["ty_base cents"]);
  t.deepEqual(program.model.public?.typeGrants.map((g) => g.type.name), ['Mood "x"']);
});

psqlTest("the compiled script, run by psql, gives exactly the declared USAGE and takes PUBLIC's default, and creating a table with the type as each role agrees", async (t) => {
  await onServer(async (session, databaseUrl) => {
    await session.exec(`CREATE ROLE ty_plain; CREATE ROLE ty_other; GRANT USAGE ON DOMAIN ty.cents TO ty_plain WITH GRANT OPTION;
      CREATE SCHEMA ty_scratch; GRANT USAGE, CREATE ON SCHEMA ty_scratch TO PUBLIC; GRANT USAGE ON SCHEMA ty TO ty_other`);
    for (const _ of [1, 2]) {
      const run = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl], { input: renderPostgres(program.model), encoding: "utf8" });
      t.is(run.status, 0, run.stderr);
      t.deepEqual(await matrix(session), expected);
    }
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
    t.is(await runAs(session, "ty_app", "CREATE TABLE ty_scratch.a (c ty.cents)"), "allowed");
    t.is(await runAs(session, "ty_plain", "CREATE TABLE ty_scratch.a (c ty.cents)"), "denied");
    t.is(await runAs(session, "ty_other", 'CREATE TABLE ty_scratch.a (c ty."Mood ""x""")'), "allowed", "PUBLIC's USAGE, which the block keeps");
    t.is(await runAs(session, "ty_other", "CREATE TABLE ty_scratch.a (c ty.cents)"), "denied");
  });
});

serverTest("apply gives each role exactly its USAGE; drift is planned and taken back", async (t) => {
  await onServer(async (session) => {
    await session.exec("CREATE ROLE ty_other");
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await matrix(session), expected);
    await session.exec(`GRANT USAGE ON DOMAIN ty.cents TO ty_plain; REVOKE USAGE ON TYPE ty."Mood ""x""" FROM PUBLIC; GRANT USAGE ON DOMAIN ty.cents TO ty_base WITH GRANT OPTION`);
    const drift = (await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.deepEqual(drift.sort(), ['grant-type PUBLIC: USAGE on type ty.Mood "x"', "revoke-type ty_base: GRANT OPTION for USAGE on domain ty.cents", "revoke-type ty_plain: USAGE on domain ty.cents"]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await matrix(session), expected);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
  });
});

serverTest("import writes types and domains (not an array's, a table's row type or a range's functions) and USAGE; plan with the imported files is empty", async (t) => {
  await withScratchDatabase(url!, roles, async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(`CREATE SCHEMA ty; CREATE TYPE ty.mood AS ENUM ('ok', 'sad'); CREATE DOMAIN ty.cents AS bigint;
        CREATE TYPE ty.span AS RANGE (subtype = int4); CREATE TYPE ty.pair AS (a int, b int); CREATE TABLE ty.orders (id int);
        CREATE ROLE ty_base; CREATE ROLE ty_app LOGIN IN ROLE ty_base;
        GRANT USAGE ON SCHEMA ty TO ty_base; GRANT SELECT ON ty.orders TO ty_base;
        REVOKE USAGE ON TYPE ty.mood, ty.span FROM PUBLIC; REVOKE USAGE ON DOMAIN ty.cents FROM PUBLIC;
        GRANT USAGE ON DOMAIN ty.cents TO ty_base;`);
      const { schemas, roles: imported } = await importDatabase(t, databaseUrl);
      t.regex(schemas, /^schema ty \{\n {2}table orders \(id\)\n {2}domain cents\n {2}type mood\n {2}type pair\n {2}type span\n\}$/m);
      t.regex(imported, /^role ty_base \{\n {2}select on ty\.orders\n {2}usage on ty\.cents\n\}$/m);
      t.regex(imported, /^ {2}usage on ty\.pair$/m, "PUBLIC keeps its USAGE on pair");
      await expectImportRoundTrips(t, session, { schemas, roles: imported });
    } finally {
      await session.close();
    }
  });
});

test("verify on PGlite proves USAGE on types by creating tables with them, and catches a script that leaves one out", async (t) => {
  await expectVerifyCatchesTampering(t, program.model, `GRANT USAGE ON DOMAIN "ty"."cents" TO "ty_base";\n`, "", [
        "privilege function: ty_app usage on domain ty.cents: granted / not granted",
        "privilege function: ty_base usage on domain ty.cents: granted / not granted",
        "statement: ty_app usage on domain ty.cents: allowed / denied",
        "statement: ty_base usage on domain ty.cents: allowed / denied",
      ]);
});
