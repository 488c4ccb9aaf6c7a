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

// EXECUTE on functions and procedures: the compiled script, plan and apply give each role exactly
// the declared ones (PUBLIC's default EXECUTE taken where no line keeps it), drift is taken back,
// import writes them, and verify catches a script that leaves one out. What the database holds is
// read back with has_function_privilege and proved with real calls run as each role.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const psqlTest = url && spawnSync("psql", ["--version"]).status === 0 ? test.serial : test.serial.skip;

const source = `schema fn {
  table orders (id, total)
  function total(integer)
  function total(bigint, text[])
  function "Odd ""fn"""(double precision, "char", fn.money)
  procedure archive(text)
}
public { execute on fn.total(int4) }
role fn_reader { execute on fn.total(bigint, text[]) }
role fn_app login {
  member of fn_reader
  execute on fn.* except fn.total
  select on fn.orders
}
role fn_plain { select on fn.orders }
`;
const program = programOf(source);
const roles = ["fn_reader", "fn_app", "fn_plain", "fn_other"];
const yes = async () => true;
const signatures = ["fn.total(integer)", "fn.total(bigint, text[])", 'fn."Odd ""fn"""(double precision, "char", fn.money)', "fn.archive(text)"];
const regprocedures = ["fn.total(int4)", "fn.total(int8, text[])", 'fn."Odd ""fn"""(float8, "char", fn.money)', "fn.archive(text)"];

/**
 * Who may execute what, worked out by hand from docs/language.md: PUBLIC's line reaches every
 * role, fn_reader's through membership, `fn.* except fn.total` reaches the other two.
 */
const expected = [
  "fn_app: fn.total(integer) fn.total(bigint, text[]) fn.\"Odd \"\"fn\"\"\"(double precision, \"char\", fn.money) fn.archive(text)",
  "fn_other: fn.total(integer)",
  "fn_plain: fn.total(integer)",
  "fn_reader: fn.total(integer) fn.total(bigint, text[])",
];

/** has_function_privilege for every role, e.g. `fn_plain: fn.total(integer)`. */
async function matrix(session: SqlSession): Promise<string[]> {
  const lines: string[] = [];
  for (const role of [...roles].sort()) {
    const rows = await session.query<{ granted: boolean }>(
      "SELECT pg_catalog.has_function_privilege($1, pg_catalog.to_regprocedure(s), 'EXECUTE') AS granted FROM pg_catalog.unnest($2::text[]) WITH ORDINALITY AS u(s, i) ORDER BY i",
      [role, regprocedures],
    );
    lines.push(`${role}: ${signatures.filter((_, i) => rows[i]!.granted).join(" ")}`);
  }
  return lines;
}

function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, [...roles, "fn_outsider"], program.model, fn);
}

test("the checker takes functions and procedures by their argument types, and the model keeps EXECUTE per role and routine", (t) => {
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(
    program.model.routineGrants.map((g) => `${g.role} ${g.routine.name}(${g.routine.args.map((a) => `${a.schema}.${a.name}${a.array ? "[]" : ""}`).join(", ")})`),
    ['fn_app Odd "fn"(pg_catalog.float8, pg_catalog.char, fn.money)', "fn_app archive(pg_catalog.text)", "fn_reader total(pg_catalog.int8, pg_catalog.text[])"],
  );
  t.deepEqual(program.model.public?.routineGrants.map((g) => g.routine.args.map((a) => a.name)), [["int4"]]);
});

psqlTest("the compiled script, run by psql, gives exactly the declared EXECUTE, takes PUBLIC's default and grants made from a grant option, and real calls agree", async (t) => {
  await onServer(async (session, databaseUrl) => {
    await session.exec(`CREATE ROLE fn_plain; CREATE ROLE fn_other;
      GRANT USAGE ON SCHEMA fn TO fn_plain, fn_other;
      GRANT EXECUTE ON FUNCTION fn.total(bigint, text[]) TO fn_plain WITH GRANT OPTION;
      SET ROLE fn_plain; GRANT EXECUTE ON FUNCTION fn.total(bigint, text[]) TO fn_other; RESET ROLE;`);
    const run = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl], { input: renderPostgres(program.model), encoding: "utf8" });
    t.is(run.status, 0, run.stderr);
    t.deepEqual(await matrix(session), expected);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
    const again = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl], { input: renderPostgres(program.model), encoding: "utf8" });
    t.is(again.status, 0, again.stderr);
    t.deepEqual(await matrix(session), expected);

    t.is(await runAs(session, "fn_app", "SELECT fn.total(NULL::int8, NULL::text[])"), "allowed");
    t.is(await runAs(session, "fn_app", "CALL fn.archive(NULL)"), "allowed");
    t.is(await runAs(session, "fn_reader", "CALL fn.archive(NULL)"), "denied");
    t.is(await runAs(session, "fn_plain", "SELECT fn.total(1)"), "allowed", "PUBLIC's EXECUTE, and USAGE from the grant on fn.orders");
    t.is(await runAs(session, "fn_plain", "SELECT fn.total(NULL::int8, NULL::text[])"), "denied");
    t.is(await runAs(session, "fn_other", "SELECT fn.total(NULL::int8, NULL::text[])"), "denied", "the grant fn_plain made from its grant option went with it");
  });
});

serverTest("apply gives each role exactly its EXECUTE; drift (a grant, a grant option, PUBLIC's EXECUTE taken) is planned and taken back", async (t) => {
  await onServer(async (session) => {
    await session.exec("CREATE ROLE fn_other");
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await matrix(session), expected);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    await session.exec(`GRANT EXECUTE ON PROCEDURE fn.archive(text) TO fn_reader;
      REVOKE EXECUTE ON FUNCTION fn.total(integer) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION fn."Odd ""fn"""(float8, "char", fn.money) TO fn_app WITH GRANT OPTION`);
    const drift = (await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.deepEqual(drift.sort(), [
      "grant-routine PUBLIC: EXECUTE on fn.total(integer)",
      'revoke-routine fn_app: GRANT OPTION for EXECUTE on fn."Odd ""fn"""(double precision, "char", fn.money)',
      "revoke-routine fn_reader: EXECUTE on fn.archive(text)",
    ]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await matrix(session), expected);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    // A role the files do not declare keeps its EXECUTE, listed as left alone; --prune takes it.
    await session.exec("CREATE ROLE fn_outsider; GRANT EXECUTE ON PROCEDURE fn.archive(text) TO fn_outsider");
    const left = (await planOnPostgres(program.model, session)).plan;
    t.deepEqual(left.changes, []);
    t.deepEqual(left.unmanaged, [{ role: "fn_outsider", holds: ["EXECUTE on fn.archive(text)"] }]);
    const pruned = (await planOnPostgres(program.model, session, { prune: true })).plan;
    t.deepEqual(pruned.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`), ["revoke-routine fn_outsider: EXECUTE on fn.archive(text)"]);
  });
});

serverTest("plan refuses a declared routine the database does not have, or has as the other kind", async (t) => {
  const wrong = programOf("schema fn {\n  function missing(integer)\n  function archive(text)\n}\nrole fn_app { execute on fn.archive }\n");
  t.deepEqual(wrong.diagnostics, []);
  await onServer(async (session) => {
    const { plan } = await planOnPostgres(wrong.model, session);
    t.deepEqual(plan.blockers.map((b) => b.what).sort(), ["fn.archive(text) is a procedure, declared a function", "function fn.missing(integer) does not exist"]);
  });
});

serverTest("import writes functions and procedures (not an extension's) and EXECUTE with argument types, PUBLIC's in its block; plan with the imported files is empty", async (t) => {
  await withScratchDatabase(url!, roles, async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(`CREATE SCHEMA fn; CREATE DOMAIN fn.money AS numeric;
        CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA fn;
        CREATE TABLE fn.orders (id int, total fn.money);
        CREATE FUNCTION fn.total(o fn.orders) RETURNS fn.money LANGUAGE sql AS 'SELECT o.total';
        CREATE FUNCTION fn.total(integer, VARIADIC text[]) RETURNS integer LANGUAGE sql AS 'SELECT $1';
        CREATE AGGREGATE fn.sum_money(fn.money) (SFUNC = numeric_add, STYPE = numeric);
        CREATE PROCEDURE fn.archive(IN keep interval, OUT archived bigint) LANGUAGE sql AS 'SELECT 0::bigint';
        CREATE ROLE fn_reader; CREATE ROLE fn_app LOGIN IN ROLE fn_reader;
        GRANT USAGE ON SCHEMA fn TO fn_reader, fn_app;
        GRANT SELECT ON fn.orders TO fn_reader;
        REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA fn FROM PUBLIC;
        REVOKE EXECUTE ON ALL PROCEDURES IN SCHEMA fn FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION fn.total(fn.orders), fn.sum_money(fn.money) TO fn_reader;
        GRANT EXECUTE ON FUNCTION fn.total(integer, text[]) TO PUBLIC;
        GRANT EXECUTE ON PROCEDURE fn.archive(interval, bigint) TO fn_app;`);
      const { schemas, roles: imported } = await importDatabase(t, databaseUrl);
      t.regex(schemas, /^ {2}function total\(fn\.orders\)$/m);
      t.regex(schemas, /^ {2}function total\(integer, text\[\]\)$/m);
      t.regex(schemas, /^ {2}function sum_money\(fn\.money\)$/m);
      t.regex(schemas, /^ {2}procedure archive\(interval\)$/m, "a procedure's OUT argument is not part of its identity");
      t.notRegex(schemas, /digest|crypt/, "pgcrypto's functions are the extension's");
      t.regex(imported, /^role fn_reader \{\n {2}select on fn\.orders\n {2}execute on fn\.sum_money\(fn\.money\)\n {2}execute on fn\.total\(fn\.orders\)\n\}$/m);
      // PUBLIC keeps PostgreSQL's default USAGE on the domain, which the block says too.
      t.regex(imported, /^public \{\n {2}usage on schema public\n {2}execute on fn\.total\(integer, text\[\]\)\n {2}usage on fn\.money\n\}$/m);
      await expectImportRoundTrips(t, session, { schemas, roles: imported });
    } finally {
      await session.close();
    }
  });
});

test("verify on PGlite proves EXECUTE with real calls, and catches a script that leaves one out", async (t) => {
  await expectVerifyCatchesTampering(t, program.model, `GRANT EXECUTE ON ROUTINE "fn"."archive"("pg_catalog"."text") TO "fn_app";\n`, "", ["privilege function: fn_app execute on fn.archive(text): granted / not granted", "statement: fn_app execute on fn.archive(text): allowed / denied"]);
});
