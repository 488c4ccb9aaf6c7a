import test from "ava";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { applyOnPostgres, openPgServer, planOnPostgres, renderPostgres, rolecSqlstates } from "../../src/engine/postgres/index.js";
import { type SqlSession } from "../../src/engine/index.js";
import { planMigration, renderMigration } from "../../src/migrate/index.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withScratchDatabase } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// PostgreSQL removes a grant only when REVOKE runs as the role recorded as its grantor, and it
// picks that role itself (acl.c, select_best_grantor): a superuser always acts as the owner, and a
// role without the grant option acts as another role or not at all. So a grant made by a role that
// later became a superuser, or lost its grant option, cannot be taken back by anyone until a person
// changes that role. The script, plan, apply and a migration must each refuse such a database up
// front (RC005), and change nothing; once the fix the finding names is run, everything converges.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const yes = async () => true;

const roles = `schema s {
  table t (id, c)
  sequence q
}
role unrev_x { select (id) on s.t }
external role unrev_ext { select (c) on s.t }
`;
const program = programOf(roles);
const testRoles = ["unrev_x", "unrev_ext", "unrev_g", "unrev_owner"];

/** A scratch database with the declared objects owned by unrev_owner, and unrev_g holding grant options on them. */
async function onServer(fn: (session: SqlSession, databaseUrl: string) => Promise<void>): Promise<void> {
  await withScratchDatabase(url!, testRoles, async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(`
        CREATE ROLE unrev_owner; CREATE ROLE unrev_g; CREATE ROLE unrev_x; CREATE ROLE unrev_ext;
        CREATE SCHEMA s AUTHORIZATION unrev_owner;
        CREATE TABLE s.t (id int, c text); CREATE SEQUENCE s.q;
        ALTER TABLE s.t OWNER TO unrev_owner; ALTER SEQUENCE s.q OWNER TO unrev_owner;
        SET ROLE unrev_owner;
        GRANT USAGE ON SCHEMA s TO unrev_g WITH GRANT OPTION;
        GRANT SELECT, UPDATE ON s.t TO unrev_g WITH GRANT OPTION;
        GRANT USAGE ON SEQUENCE s.q TO unrev_g WITH GRANT OPTION;
        RESET ROLE;`);
      await fn(session, databaseUrl);
    } finally {
      await session.close();
    }
  });
}

/** Every ACL on the declared schema and objects, and who is a superuser: what a refusal must leave as it was. */
async function snapshot(session: SqlSession): Promise<unknown> {
  return session.query(`
    SELECT 'schema' AS what, nspacl::text AS acl FROM pg_namespace WHERE nspname = 's'
    UNION ALL SELECT relname, relacl::text FROM pg_class WHERE relnamespace = 's'::regnamespace
    UNION ALL SELECT attname, attacl::text FROM pg_attribute WHERE attrelid = 's.t'::regclass AND attacl IS NOT NULL
    UNION ALL SELECT rolname, rolsuper::text FROM pg_roles WHERE rolname LIKE 'unrev%'
    ORDER BY 1`);
}

function psql(databaseUrl: string, sql: string) {
  return spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=verbose", "-d", databaseUrl], { input: sql, encoding: "utf8" });
}

interface Case {
  readonly title: string;
  /** Run as the superuser after unrev_g holds its grant options. */
  readonly setup: string;
  /** Each finding, as the script's message and plan's blockers give it. */
  readonly findings: readonly string[];
  /** The fix the findings name, then what undoes it after the run. */
  readonly fix: string;
  readonly undo: string;
}

const superuserFix = { fix: "ALTER ROLE unrev_g NOSUPERUSER", undo: "ALTER ROLE unrev_g SUPERUSER" };

const cases: readonly Case[] = [
  {
    title: "the grantor became a superuser after granting (its REVOKE now acts as the owner)",
    setup: "SET ROLE unrev_g; GRANT SELECT ON s.t TO unrev_x; RESET ROLE; ALTER ROLE unrev_g SUPERUSER;",
    findings: [
      "unrev_x holds SELECT on s.t granted by unrev_g, a superuser (whose REVOKE acts as the owner), so no REVOKE can take it back (fix: ALTER ROLE unrev_g NOSUPERUSER; run rolec again; then ALTER ROLE unrev_g SUPERUSER)",
    ],
    ...superuserFix,
  },
  {
    title: "a superuser grantor's grants on a schema, a sequence and a column, to PUBLIC and to an external role",
    setup: `SET ROLE unrev_g; GRANT USAGE ON SCHEMA s TO unrev_x; GRANT USAGE ON SEQUENCE s.q TO PUBLIC; GRANT UPDATE (c) ON s.t TO unrev_ext; RESET ROLE;
            ALTER ROLE unrev_g SUPERUSER;`,
    findings: [
      "PUBLIC holds USAGE on sequence s.q granted by unrev_g, a superuser",
      "unrev_x holds USAGE on schema s granted by unrev_g, a superuser",
      "unrev_ext holds UPDATE (c) on s.t granted by unrev_g, a superuser",
    ],
    ...superuserFix,
  },
  {
    title: "the grantor lost its grant option while a superuser (PostgreSQL then keeps what it granted), and is a superuser no longer",
    setup: `SET ROLE unrev_g; GRANT SELECT ON s.t TO unrev_x; RESET ROLE; ALTER ROLE unrev_g SUPERUSER;
            SET ROLE unrev_owner; REVOKE GRANT OPTION FOR SELECT ON s.t FROM unrev_g CASCADE; RESET ROLE; ALTER ROLE unrev_g NOSUPERUSER;`,
    findings: [
      "unrev_x holds SELECT on s.t granted by unrev_g, who no longer holds it WITH GRANT OPTION, so no REVOKE can take it back (fix: GRANT SELECT ON TABLE s.t TO unrev_g WITH GRANT OPTION; run rolec again; then REVOKE GRANT OPTION FOR SELECT ON TABLE s.t FROM unrev_g)",
    ],
    fix: "GRANT SELECT ON TABLE s.t TO unrev_g WITH GRANT OPTION",
    undo: "REVOKE GRANT OPTION FOR SELECT ON TABLE s.t FROM unrev_g",
  },
  {
    title: "everything the grantor held was dropped (DROP OWNED BY) while its grant stayed, so DROP ROLE is refused",
    setup: `SET ROLE unrev_g; GRANT SELECT ON s.t TO unrev_x; RESET ROLE; ALTER ROLE unrev_g SUPERUSER;
            DROP OWNED BY unrev_g; ALTER ROLE unrev_g NOSUPERUSER;`,
    findings: [
      "unrev_x holds SELECT on s.t granted by unrev_g, who no longer holds it WITH GRANT OPTION, so no REVOKE can take it back (fix: GRANT SELECT ON TABLE s.t TO unrev_g WITH GRANT OPTION; run rolec again; then REVOKE GRANT OPTION FOR SELECT ON TABLE s.t FROM unrev_g)",
    ],
    fix: "GRANT USAGE ON SCHEMA s TO unrev_g; GRANT SELECT ON TABLE s.t TO unrev_g WITH GRANT OPTION",
    undo: "REVOKE SELECT ON TABLE s.t FROM unrev_g; REVOKE USAGE ON SCHEMA s FROM unrev_g",
  },
];

for (const c of cases) {
  serverTest(`${c.title}: the script, plan, apply and a migration refuse with ${rolecSqlstates.unrevokable} and change nothing`, async (t) => {
    await onServer(async (session, databaseUrl) => {
      await session.exec(c.setup);
      const before = await snapshot(session);

      // The compiled script, run by psql: refused before anything changes, each finding named.
      const script = psql(databaseUrl, renderPostgres(program.model));
      t.not(script.status, 0);
      t.true(script.stderr.includes(`ERROR:  ${rolecSqlstates.unrevokable}:`), script.stderr);
      for (const finding of c.findings) t.true(script.stderr.includes(finding), script.stderr);
      t.deepEqual(await snapshot(session), before);

      // plan, as the CLI: exit 1, one blocker line per finding.
      const dir = tempDir();
      writeFileSync(path.join(dir, "roles.roles"), roles);
      const cli = await rolec(["plan", "--db", databaseUrl, dir]);
      t.is(cli.code, 1, cli.stdout + cli.stderr);
      for (const finding of c.findings) t.true(cli.stdout.includes(`! ${finding}`), cli.stdout);
      t.true(cli.stdout.includes(`(the script refuses this: ${rolecSqlstates.unrevokable})`), cli.stdout);
      t.false(hasStackTrace(cli.stdout + cli.stderr));

      // apply: blocked, nothing run.
      t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "blocked");
      t.deepEqual(await snapshot(session), before);

      // A migration begins with the same check.
      const migration = await planMigration(program.model, tempDir(), "postgres");
      const file = renderMigration(migration, program.model, "plain", () => "");
      const migrated = psql(databaseUrl, file);
      t.not(migrated.status, 0);
      t.true(migrated.stderr.includes(`ERROR:  ${rolecSqlstates.unrevokable}:`), migrated.stderr);
      t.deepEqual(await snapshot(session), before);

      // The fix the finding names, then the script: the grant goes, and plan is empty once the fix is undone.
      await session.exec(c.fix);
      const fixed = psql(databaseUrl, renderPostgres(program.model));
      t.is(fixed.status, 0, fixed.stderr);
      await session.exec(c.undo);
      const after = (await planOnPostgres(program.model, session)).plan;
      t.deepEqual([after.changes, after.blockers], [[], []]);
    });
  });
}

serverTest("after the fix, apply converges too", async (t) => {
  await onServer(async (session) => {
    await session.exec(cases[0]!.setup);
    await session.exec(cases[0]!.fix);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    await session.exec(cases[0]!.undo);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
  });
});

// What rolec can revoke exactly must not be refused: a grant whose grantor still holds the grant
// option and is no superuser (revoked as that grantor), a declared role's grant (it loses
// superuser before anything is revoked), and a superuser's grant (recorded as the owner's).
const revocable: readonly { title: string; setup: string }[] = [
  {
    title: "a role the files do not declare, holding the grant option, granted to a declared role and PUBLIC",
    setup: "SET ROLE unrev_g; GRANT SELECT ON s.t TO unrev_x; GRANT USAGE ON SEQUENCE s.q TO PUBLIC; GRANT UPDATE (c) ON s.t TO unrev_ext; RESET ROLE;",
  },
  {
    title: "a role the files do not declare, holding the grant option on one column only, granted that column",
    setup: "SET ROLE unrev_owner; GRANT INSERT (c) ON s.t TO unrev_g WITH GRANT OPTION; RESET ROLE; SET ROLE unrev_g; GRANT INSERT (c) ON s.t TO unrev_ext; RESET ROLE;",
  },
  {
    title: "a declared role, made a superuser after granting from its grant option",
    setup: `SET ROLE unrev_owner; GRANT USAGE ON SCHEMA s TO unrev_x; GRANT SELECT ON s.t TO unrev_x WITH GRANT OPTION; RESET ROLE;
            SET ROLE unrev_x; GRANT SELECT ON s.t TO unrev_ext; RESET ROLE; ALTER ROLE unrev_x SUPERUSER;`,
  },
  {
    title: "a superuser granted it (PostgreSQL records the owner as the grantor)",
    setup: "ALTER ROLE unrev_g SUPERUSER; SET ROLE unrev_g; GRANT SELECT, UPDATE ON s.t TO unrev_x; RESET ROLE;",
  },
];

for (const c of revocable) {
  serverTest(`not refused: ${c.title}; apply and the script each converge`, async (t) => {
    for (const run of ["apply", "script"] as const) {
      await onServer(async (session, databaseUrl) => {
        await session.exec(c.setup);
        const planned = await planOnPostgres(program.model, session);
        t.deepEqual(planned.plan.blockers, [], run);
        t.true(planned.plan.changes.length > 0, run);
        if (run === "apply") t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
        else {
          const script = psql(databaseUrl, renderPostgres(program.model));
          t.is(script.status, 0, script.stderr);
        }
        t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, [], run);
      });
    }
  });
}
