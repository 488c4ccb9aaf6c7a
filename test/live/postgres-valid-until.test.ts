import test from "ava";
import { spawnSync } from "node:child_process";
import { describeChange, verified, type SqlSession } from "../../src/engine/index.js";
import { applyOnPostgres, openPglite, planOnPostgres, renderPostgres, verifyScript } from "../../src/engine/postgres/index.js";
import { serverUrl, withDeclaredObjects } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";
import { expectImportRoundTrips, importDatabase } from "../helpers/import-round-trip.js";

// VALID UNTIL, when a role declares it: the compiled script and apply set it, a change by hand is
// planned back, a role that does not declare it keeps what it has, import writes it, and verify
// catches a script that leaves it out. Read back from pg_roles as PostgreSQL keeps it.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const psqlTest = url && spawnSync("psql", ["--version"]).status === 0 ? test.serial : test.serial.skip;

const program = programOf(`schema vu { table t (a) }
role vu_temp login valid_until '2027-01-01 09:30:00+02:00' { select on vu.t }
role vu_app login valid_until 'infinity' { select on vu.t }
role vu_plain login { select on vu.t }
`);
const roles = ["vu_temp", "vu_app", "vu_plain"];

/** Each role's rolvaliduntil in UTC, as PostgreSQL answers it. */
async function validity(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `SELECT rolname || ' ' || CASE WHEN rolvaliduntil IS NULL THEN 'null' WHEN rolvaliduntil = 'infinity' THEN 'infinity' ELSE to_char(rolvaliduntil AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') END AS line FROM pg_roles WHERE rolname = ANY ($1::text[]) ORDER BY 1`,
    [roles],
  );
  return rows.map((r) => r.line);
}

test("the checker reads valid_until as a moment in UTC", (t) => {
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(program.model.roles.map((r) => `${r.name} ${r.validUntil ?? "-"}`), ["vu_app infinity", "vu_plain -", "vu_temp 2027-01-01T07:30:00.000Z"]);
});

psqlTest("the compiled script sets declared VALID UNTIL and leaves an undeclared one; plan plans a change back and apply makes it", async (t) => {
  await withDeclaredObjects(url!, roles, program.model, async (session, databaseUrl) => {
    await session.exec("CREATE ROLE vu_plain LOGIN VALID UNTIL '2026-05-05 00:00:00+00'; CREATE ROLE vu_app LOGIN VALID UNTIL '2026-06-06 00:00:00+00'");
    const run = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl], { input: renderPostgres(program.model), encoding: "utf8" });
    t.is(run.status, 0, run.stderr);
    t.deepEqual(await validity(session), ["vu_app infinity", "vu_plain 2026-05-05 00:00", "vu_temp 2027-01-01 07:30"]);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    await session.exec("ALTER ROLE vu_temp VALID UNTIL '2030-01-01 00:00:00+00'; ALTER ROLE vu_plain VALID UNTIL 'infinity'");
    const changes = (await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.deepEqual(changes, ["alter-role vu_temp: valid until: 2030-01-01T00:00:00.000Z → 2027-01-01T07:30:00.000Z"]);
    t.is((await applyOnPostgres(program.model, session, { confirm: async () => true })).kind, "applied");
    t.deepEqual(await validity(session), ["vu_app infinity", "vu_plain infinity", "vu_temp 2027-01-01 07:30"]);
  });
});

serverTest("import writes a VALID UNTIL that ends, and plan with the imported files is empty", async (t) => {
  await withDeclaredObjects(url!, roles, program.model, async (session, databaseUrl) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: async () => true })).kind, "applied");
    const imported = await importDatabase(t, databaseUrl);
    t.regex(imported.roles, /^role vu_temp login valid_until '2027-01-01T07:30:00\.000Z' \{$/m);
    t.regex(imported.roles, /^role vu_app login \{$/m, "infinity says nothing");
    await expectImportRoundTrips(t, session, imported);
    // A moment the language cannot write is left unsaid, with a warning, and plan leaves it alone.
    await session.exec("ALTER ROLE vu_plain VALID UNTIL '-infinity'");
    const odd = await importDatabase(t, databaseUrl);
    t.regex(odd.stderr, /role vu_plain is VALID UNTIL -infinity, which the language cannot say; plan will leave it as it is/);
    t.regex(odd.roles, /^role vu_plain login \{$/m);
    await expectImportRoundTrips(t, session, odd);
  });
});

test("verify compares VALID UNTIL, and catches a script that leaves it out", async (t) => {
  for (const [script, wanted] of [
    [renderPostgres(program.model), []],
    [renderPostgres(program.model).replace(`ALTER ROLE "vu_temp" VALID UNTIL '2027-01-01T07:30:00.000Z';\n`, ""), ["vu_temp valid until: 2027-01-01T07:30:00.000Z / infinity"]],
  ] as const) {
    const session = await openPglite();
    try {
      const report = await verifyScript(program.model, script, session);
      t.deepEqual(report.roleMismatches.map((m) => `${m.role} ${m.what}: ${m.expected} / ${m.actual}`), [...wanted]);
      t.is(verified(report), wanted.length === 0);
    } finally {
      await session.close();
    }
  }
});
