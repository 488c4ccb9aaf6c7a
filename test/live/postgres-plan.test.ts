import test from "ava";
import { appendOnlyNames } from "../../src/engine/postgres/index.js";
import { describeChange } from "../../src/engine/index.js";
import { applyOnPostgres, planOnPostgres, readPostgres } from "../../src/engine/postgres/index.js";
import { verified, type SqlSession } from "../../src/engine/index.js";
import { openPglite, openPgServer, verifyScript } from "../../src/engine/postgres/index.js";
import { scratchSchemaSql } from "../../src/engine/postgres/verify/scratch-schema.js";
import { serverUrl, withScratchDatabase } from "../helpers/databases.js";
import { exampleProgram, programOf } from "../helpers/program.js";

// plan and apply against PostgreSQL: on the server (ROLEC_TEST_PG_URL), in a scratch database
// per test, and on PGlite.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;

const program = programOf(`schema s {
  table customers (id, email, ssn)
  append_only table log (id, what)
  sequence ids
}
role plan_reader { select on s.customers except s.customers(ssn) }
role plan_app login connection_limit 5 {
  member of plan_reader
  insert on s.log
  usage on s.ids
  update (email) on s.customers
}
`);
const roles = ["plan_reader", "plan_app", "plan_intruder", appendOnlyNames.owner];
const yes = async () => true;

async function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withScratchDatabase(url!, roles, async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(scratchSchemaSql(program.model).sql);
      return await fn(session, databaseUrl);
    } finally {
      await session.close();
    }
  });
}

/** Each change as `kind role: what`, e.g. `grant plan_app: INSERT on s.log`. */
function describe(planned: Awaited<ReturnType<typeof planOnPostgres>>): string[] {
  return planned.plan.changes.map((c) => `${c.kind} ${c.role ?? `${c.schema}.${c.table}`}: ${describeChange(c)}`);
}

serverTest("reading the catalog takes seven queries, whatever the number of objects, and eight with functions and procedures", async (t) => {
  await onServer(async (session) => {
    let count = 0;
    const counting: SqlSession = { ...session, query: (sql, params) => (count++, session.query(sql, params)), exec: (sql) => (count++, session.exec(sql)) };
    const small = await readPostgres(counting, ["s"], []);
    t.is(count, 7);
    t.is(small.queries, 7);
    await session.exec(Array.from({ length: 200 }, (_, i) => `CREATE TABLE s.t${i} (a int, b int); GRANT SELECT (a) ON s.t${i} TO PUBLIC;`).join("\n"));
    count = 0;
    const large = await readPostgres(counting, ["s"], []);
    t.is(count, 7);
    t.true(large.objects.length > 200);
    t.true(large.state.privileges.some((p) => p.grantee === "PUBLIC" && p.name === "t199" && p.column === "a"));
    await session.exec(Array.from({ length: 50 }, (_, i) => `CREATE FUNCTION s.f${i}(integer) RETURNS integer LANGUAGE sql AS 'SELECT 1';`).join("\n"));
    count = 0;
    const withRoutines = await readPostgres(counting, ["s"], [], { routinesAndTypes: true });
    t.is(count, 8);
    t.is(withRoutines.queries, 8);
    t.is(withRoutines.routines?.length, 50);
  });
});

serverTest("plan on a fresh database lists every role, membership, grant and append-only guard", async (t) => {
  await onServer(async (session) => {
    const planned = await planOnPostgres(program.model, session);
    const changes = describe(planned);
    t.deepEqual(planned.plan.blockers, []);
    for (const expected of [
      "create-role plan_reader: create role (NOLOGIN, connection limit -1)",
      "create-role plan_app: create role (LOGIN, connection limit 5)",
      "grant-membership plan_app: member of plan_reader",
      "grant plan_reader: SELECT (id) on s.customers",
      "grant plan_reader: SELECT (email) on s.customers",
      "grant plan_app: UPDATE (email) on s.customers",
      "grant plan_app: INSERT on s.log",
      "grant plan_app: USAGE on s.ids",
      "grant-schema plan_app: USAGE on schema s",
    ]) {
      t.true(changes.includes(expected), `${expected} in ${changes.join("\n")}`);
    }
    t.false(changes.some((c) => c.includes("(ssn)")));
    t.true(planned.plan.changes.some((c) => c.kind === "guard-append-only" && c.table === "log"));
  });
});

serverTest("apply, then plan is empty, and the result verifies like the compiled script", async (t) => {
  await onServer(async (session) => {
    const outcome = await applyOnPostgres(program.model, session, { confirm: yes });
    t.is(outcome.kind, "applied");
    const again = await planOnPostgres(program.model, session);
    t.deepEqual(describe(again), []);
    // The proof verify makes of the compiled script, made of what apply left: the objects exist
    // already, and the "script" run in between changes nothing, so every probe sees apply's work.
    const scratch = scratchSchemaSql(program.model).sql;
    const report = await verifyScript(program.model, "SELECT 1;", { ...session, exec: async (sql) => (sql === scratch ? undefined : session.exec(sql)) });
    t.true(verified(report), JSON.stringify(report).slice(0, 1500));
  });
});

serverTest("an out-of-band GRANT and REVOKE show as drift, and apply takes them back", async (t) => {
  await onServer(async (session) => {
    await applyOnPostgres(program.model, session, { confirm: yes });
    await session.exec(`
      CREATE ROLE plan_intruder;
      GRANT SELECT (ssn) ON s.customers TO plan_reader;
      GRANT DELETE ON s.customers TO plan_app WITH GRANT OPTION;
      REVOKE INSERT ON s.log FROM plan_app;
      GRANT plan_intruder TO plan_app;
      GRANT SELECT ON s.customers TO plan_intruder;
      GRANT plan_reader TO plan_intruder;
      GRANT CREATE ON SCHEMA s TO PUBLIC;`);
    const drifted = await planOnPostgres(program.model, session);
    const changes = describe(drifted);
    for (const expected of [
      "revoke plan_reader: SELECT (ssn) on s.customers",
      "revoke plan_app: DELETE on s.customers",
      "grant plan_app: INSERT on s.log",
      "revoke-membership plan_app: member of plan_intruder",
      "revoke-schema PUBLIC: CREATE on schema s",
    ]) {
      t.true(changes.includes(expected), `${expected} in ${changes.join("\n")}`);
    }
    t.deepEqual(drifted.plan.unmanaged, [{ role: "plan_intruder", holds: ["SELECT on s.customers", "member of plan_reader"] }]);
    const outcome = await applyOnPostgres(program.model, session, { confirm: yes });
    t.is(outcome.kind, "applied");
    t.deepEqual(describe(await planOnPostgres(program.model, session)), []);
    // Unmanaged roles are left alone unless --prune.
    const pruned = await planOnPostgres(program.model, session, { prune: true });
    t.true(describe(pruned).includes("revoke plan_intruder: SELECT on s.customers"));
    t.true(describe(pruned).includes("revoke-membership plan_intruder: member of plan_reader"));
    t.is((await applyOnPostgres(program.model, session, { prune: true, confirm: yes })).kind, "applied");
    t.deepEqual(describe(await planOnPostgres(program.model, session, { prune: true })), []);
  });
});

serverTest("two applies started at once both succeed, and the result is the plan", async (t) => {
  await onServer(async (session, databaseUrl) => {
    const other = await openPgServer(databaseUrl);
    try {
      const [a, b] = await Promise.all([applyOnPostgres(program.model, session, { confirm: yes }), applyOnPostgres(program.model, other, { confirm: yes })]);
      t.deepEqual([a.kind, b.kind].sort(), ["applied", "nothing to do"]);
      t.deepEqual(describe(await planOnPostgres(program.model, session)), []);
    } finally {
      await other.close();
    }
  });
});

serverTest("an apply whose statement fails leaves the database unchanged", async (t) => {
  await onServer(async (session, databaseUrl) => {
    // Roles and memberships in place, privileges drifted: the plan is grants and revokes only, so
    // an apply that kept the statements before the failing one would show in the privileges.
    await applyOnPostgres(program.model, session, { confirm: yes });
    await session.exec(`
      REVOKE SELECT (id) ON s.customers FROM plan_reader;
      REVOKE INSERT ON s.log FROM plan_app;
      REVOKE USAGE ON SEQUENCE s.ids FROM plan_app;
      GRANT DELETE ON s.customers TO plan_app;`);
    const before = await readPostgres(session, ["s"], []);
    const other = await openPgServer(databaseUrl);
    try {
      const error = await applyOnPostgres(program.model, session, {
        // A column goes away between the plan and its statements: the grants planned before the
        // one that names it run (USAGE on s.ids, INSERT on s.log), then that one fails.
        confirm: async (planned) => {
          t.true(describe(planned).includes("grant plan_reader: SELECT (id) on s.customers"), describe(planned).join("\n"));
          await other.exec("ALTER TABLE s.customers DROP COLUMN id");
          return true;
        },
      }).then(
        () => undefined,
        (e: Error) => e,
      );
      t.regex(error?.message ?? "", /apply failed, and changed nothing: column "id" of relation "customers" does not exist/);
    } finally {
      await other.close();
    }
    const after = await readPostgres(session, ["s"], []);
    // The column itself is gone (another session dropped it): compare everything else.
    const kept = (state: typeof before.state) => ({ ...state, privileges: state.privileges.filter((p) => p.column !== "id") });
    t.deepEqual(kept(after.state), kept(before.state), "no role, membership, grant or revoke was kept");
    t.true(after.state.privileges.some((p) => p.grantee === "plan_app" && p.verb === "delete"), "the drifted DELETE grant is still there");
  });
});

test("plan and apply work on PGlite too, for every example", async (t) => {
  for (const name of ["shop", "saas", "blog"]) {
    const example = await exampleProgram(name);
    const session = await openPglite();
    try {
      await session.exec(scratchSchemaSql(example.model).sql);
      const first = await planOnPostgres(example.model, session);
      t.true(first.plan.changes.length > 10, name);
      t.is((await applyOnPostgres(example.model, session, { confirm: yes })).kind, "applied", name);
      t.deepEqual(describe(await planOnPostgres(example.model, session)), [], name);
    } finally {
      await session.close();
    }
  }
});

serverTest("when apply's re-read still differs, it names each difference and the statement that should have made it, then undoes everything", async (t) => {
  const tables = Array.from({ length: 12 }, (_, i) => `t${String(i + 1).padStart(2, "0")}`);
  await withScratchDatabase(url!, ["reread_reader"], async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      // An event trigger that takes back every table grant as soon as it is made: the plan runs, and does not take.
      await session.exec(`
        CREATE SCHEMA s; ${tables.map((n) => `CREATE TABLE s.${n} (a int);`).join(" ")}
        CREATE FUNCTION public.undo_grants() RETURNS event_trigger LANGUAGE plpgsql AS $$
          BEGIN REVOKE ALL ON ALL TABLES IN SCHEMA s FROM reread_reader; END $$;
        CREATE EVENT TRIGGER undo_grants ON ddl_command_end WHEN TAG IN ('GRANT') EXECUTE FUNCTION public.undo_grants();
      `);
      const model = programOf(`schema s { ${tables.map((n) => `table ${n} (a)`).join("\n")} }
role reread_reader { ${tables.map((n) => `select on s.${n}`).join("\n")} }
`).model;
      const error = await t.throwsAsync(applyOnPostgres(model, session, { confirm: async () => true }));
      const lines = error.message.split("\n");
      t.is(lines[0], "apply changed nothing: after running the plan the database still differs from the .roles files in 12 way(s):");
      t.is(lines[1], "  grant reread_reader: SELECT on s.t01");
      t.is(lines[2], `    after running: GRANT SELECT ON TABLE "s"."t01" TO "reread_reader";`);
      t.is(lines.filter((l) => l.startsWith("  grant reread_reader: SELECT on s.t")).length, 10);
      t.is(lines.at(-1), "  and 2 more");
      t.deepEqual(await session.query("SELECT 1 FROM pg_roles WHERE rolname = 'reread_reader'"), [], "rolled back: not even the role is left");
    } finally {
      await session.exec("DROP EVENT TRIGGER IF EXISTS undo_grants").catch(() => undefined);
      await session.close();
    }
  });
});
