import test from "ava";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { appendOnlyNames, preflightChecks, quoteIdent, renderPostgres, type PreflightCheck } from "../../src/engine/postgres/index.js";
import { applyOnPostgres, planOnPostgres } from "../../src/engine/postgres/index.js";
import { planMigration, renderMigration } from "../../src/migrate/index.js";
import { sqlState as sqlStateOf } from "../../src/engine/index.js";
import { type SqlSession } from "../../src/engine/index.js";
import { openPgServer } from "../../src/engine/postgres/index.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withScratchDatabase } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// Every condition under which the compiled PostgreSQL script refuses to run (RC002 to RC005) must
// block `plan` and `apply` too, and stop a migration: for each check the script has, a real
// database is put in that condition, and the script, plan (in process and as the CLI), apply and
// a migration are each run against it.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;

interface Scenario {
  readonly title: string;
  readonly roles: string;
  /** Run as the superuser on the scratch database (named by `database`), after the tables exist. */
  readonly setup: (database: string) => string;
  /** What the script's message and the plan's blocker both say. */
  readonly finding: string;
}

// Keyed by check name, so a check added to preflight-checks.ts without a scenario here fails to compile.
const scenarios: Record<PreflightCheck["name"], readonly Scenario[]> = {
  "owned-by-declared-role": [
    {
      title: "a declared role owns the database, so (as pg_database_owner) schema public",
      roles: `schema public { append_only table pf_log (id, what) }
role pf_app login { select, insert on public.pf_log }
`,
      setup: (database) => `CREATE ROLE pf_app LOGIN; ALTER DATABASE ${quoteIdent(database)} OWNER TO pf_app;`,
      finding: "pg_database_owner owns schema public (held by pf_app)",
    },
    {
      title: "a declared role owns a declared table",
      roles: `schema pf { table orders (id, total) }
role pf_app login { select on pf.orders }
`,
      setup: () => "CREATE ROLE pf_app LOGIN; ALTER TABLE pf.orders OWNER TO pf_app;",
      finding: "pf_app owns pf.orders",
    },
    {
      title: "a declared role owns a declared schema",
      roles: `schema pf { table orders (id, total) }
role pf_app login { select on pf.orders }
`,
      setup: () => "CREATE ROLE pf_app LOGIN; ALTER SCHEMA pf OWNER TO pf_app;",
      finding: "pf_app owns schema pf",
    },
    {
      title: "an external role granted something owns a declared table",
      roles: `schema pf { table orders (id, total) }
role pf_app login { select on pf.orders }
external role pf_team { select (id) on pf.orders }
`,
      setup: () => "CREATE ROLE pf_app LOGIN; CREATE ROLE pf_team; ALTER TABLE pf.orders OWNER TO pf_team;",
      finding: "pf_team owns pf.orders",
    },
    {
      title: "a declared role reaches the owner through an external role, whose memberships the script leaves alone",
      roles: `schema pf { table orders (id, total) }
role pf_app login { select on pf.orders }
external role pf_team
`,
      setup: () => "CREATE ROLE pf_owners; CREATE ROLE pf_team IN ROLE pf_owners; CREATE ROLE pf_app LOGIN IN ROLE pf_team; ALTER TABLE pf.orders OWNER TO pf_owners;",
      finding: "pf_owners owns pf.orders (held by pf_app, pf_team)",
    },
  ],
  "external-roles-missing": [
    {
      title: "an external role the program grants something to does not exist",
      roles: `schema pf { table orders (id, total) }
role pf_app login { select on pf.orders }
external role pf_team { select (id) on pf.orders }
`,
      setup: () => "SELECT 1;",
      finding: "pf_team is declared external but does not exist",
    },
    {
      title: "an external role the program makes a member of its role does not exist",
      roles: `schema pf { table orders (id, total) }
role pf_app { select on pf.orders }
external role pf_team login { member of pf_app }
`,
      setup: () => "SELECT 1;",
      finding: "pf_team is declared external but does not exist",
    },
  ],
  "undeclared-children": [
    {
      title: "a table inherits from an append-only table",
      roles: `schema pf { append_only table log (id, what) }
role pf_app login { select, insert on pf.log }
`,
      setup: () => "CREATE TABLE pf.sneaky () INHERITS (pf.log);",
      finding: "pf.sneaky (inherits from pf.log)",
    },
  ],
  "unrevokable-grants": [
    {
      title: "a grant to a declared role was made by a role that became a superuser (its REVOKE acts as the owner)",
      roles: `schema pf { table orders (id, total) }
role pf_app login { select (id) on pf.orders }
`,
      setup: () => `CREATE ROLE pf_app LOGIN; CREATE ROLE pf_grantor; GRANT USAGE ON SCHEMA pf TO pf_grantor;
        GRANT SELECT ON pf.orders TO pf_grantor WITH GRANT OPTION; SET ROLE pf_grantor; GRANT SELECT ON pf.orders TO pf_app; RESET ROLE;
        ALTER ROLE pf_grantor SUPERUSER;`,
      finding: "pf_app holds SELECT on pf.orders granted by pf_grantor, a superuser",
    },
  ],
  "still-guarded": [
    {
      title: "a table that is no longer append-only is still owned by rolec's owner role",
      roles: `schema pf { table log (id, what) }
role pf_app login { select, insert on pf.log }
`,
      setup: () => `CREATE ROLE ${quoteIdent(appendOnlyNames.owner)}; ALTER TABLE pf.log OWNER TO ${quoteIdent(appendOnlyNames.owner)};`,
      finding: `pf.log is no longer append_only but is still owned by ${appendOnlyNames.owner}`,
    },
  ],
};

const testRoles = ["pf_app", "pf_owners", "pf_team", "pf_grantor", appendOnlyNames.owner];

async function inCondition<T>(scenario: Scenario, fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  const program = programOf(scenario.roles);
  return withScratchDatabase(url!, testRoles, async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
      const tables = program.model.objects
        .map((o) => `${o.schema === "public" ? "" : `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(o.schema)};`} CREATE TABLE ${quoteIdent(o.schema)}.${quoteIdent(o.name)} (id int, ${o.name === "orders" ? "total" : "what"} text);`)
        .join("\n");
      await session.exec(tables);
      await session.exec(scenario.setup(database));
      return await fn(session, databaseUrl);
    } finally {
      await session.close();
    }
  });
}

for (const check of preflightChecks) {
  for (const scenario of scenarios[check.name]) {
    serverTest(`${check.sqlstate} ${check.name}: ${scenario.title}: the script, plan, apply and a migration all refuse`, async (t) => {
      const program = programOf(scenario.roles);
      t.deepEqual(program.diagnostics.filter((d) => d.severity === "error"), []);
      await inCondition(scenario, async (session, databaseUrl) => {
        // The script: refused, with the check's SQLSTATE and the finding in its message.
        const scriptError = await session.exec(renderPostgres(program.model)).then(() => undefined, (error: unknown) => error);
        t.is(sqlStateOf(scriptError), check.sqlstate, String(scriptError));
        t.true(String((scriptError as Error).message).includes(check.message + scenario.finding), String(scriptError));
        await session.exec("ROLLBACK").catch(() => undefined);

        // plan: blocked, naming the same finding.
        const planned = await planOnPostgres(program.model, session);
        const blockers = planned.plan.blockers.map((b) => b.what);
        t.true(blockers.some((b) => b.startsWith(scenario.finding) && b.includes(check.sqlstate)), blockers.join("\n"));

        // apply: refuses before running anything.
        t.is((await applyOnPostgres(program.model, session, { confirm: async () => true })).kind, "blocked");

        // A migration begins with the script's checks, so running it refuses the same way.
        const migration = await planMigration(program.model, tempDir(), "postgres");
        const file = renderMigration(migration, program.model, "plain", () => "");
        const migrationError = await session.exec(file).then(() => undefined, (error: unknown) => error);
        t.is(sqlStateOf(migrationError), check.sqlstate, String(migrationError));
        await session.exec("ROLLBACK").catch(() => undefined);

        // The CLI: plan names it and exits 1, with no stack trace.
        const dir = tempDir();
        writeFileSync(path.join(dir, "roles.roles"), scenario.roles);
        const cli = await rolec(["plan", "--db", databaseUrl, dir]);
        t.is(cli.code, 1, cli.stdout + cli.stderr);
        t.true(cli.stdout.includes(`! ${scenario.finding}`), cli.stdout);
        t.false(hasStackTrace(cli.stdout + cli.stderr));
      });
    });
  }
}

serverTest("once the condition is gone, plan has no blocker left and apply converges", async (t) => {
  const scenario = scenarios["owned-by-declared-role"][0]!;
  const program = programOf(scenario.roles);
  await inCondition(scenario, async (session) => {
    await session.exec("ALTER SCHEMA public OWNER TO postgres");
    const planned = await planOnPostgres(program.model, session);
    t.deepEqual(planned.plan.blockers, []);
    t.is((await applyOnPostgres(program.model, session, { confirm: async () => true })).kind, "applied");
  });
});

serverTest("a membership the script takes away first does not block: the check sees memberships as they will be", async (t) => {
  const scenario: Scenario = {
    title: "",
    roles: `schema pf { table orders (id, total) }
role pf_app login { select on pf.orders }
`,
    setup: () => "CREATE ROLE pf_owners; CREATE ROLE pf_app LOGIN IN ROLE pf_owners; ALTER TABLE pf.orders OWNER TO pf_owners;",
    finding: "",
  };
  const program = programOf(scenario.roles);
  await inCondition(scenario, async (session) => {
    const planned = await planOnPostgres(program.model, session);
    t.deepEqual(planned.plan.blockers, []);
    t.true(planned.plan.changes.some((c) => c.kind === "revoke-membership" && c.parent === "pf_owners"));
    await session.exec(renderPostgres(program.model));
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
  });
});
