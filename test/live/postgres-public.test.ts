import test from "ava";
import { spawnSync } from "node:child_process";
import { describeChange, verified, type SqlSession } from "../../src/engine/index.js";
import { applyOnPostgres, openPglite, planOnPostgres, renderPostgres, verifyScript } from "../../src/engine/postgres/index.js";
import { serverUrl, withDeclaredObjects } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";
import { runAs } from "../helpers/run-as.js";
import { expectImportRoundTrips, importDatabase } from "../helpers/import-round-trip.js";

// A `public` block: what PUBLIC, and so every role, holds. The compiled script, plan and apply give
// PUBLIC exactly that on the declared objects, the managed schemas and the database; drift is
// taken back; import writes the block; verify catches a script that leaves a line out. Read back
// from the ACLs and proved with statements run as a role the files do not even declare.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const psqlTest = url && spawnSync("psql", ["--version"]).status === 0 ? test.serial : test.serial.skip;

const source = `schema s {
  table lookup (id, label)
  table t (a)
}
schema s2 { table u (a) }
public {
  select on s.lookup
  connect on database
}
role pub_app login {
  connect, temporary on database
  select on s.t
  select on s2.u
}
role pub_plain login { select (id) on s.lookup }
`;
const program = programOf(source);
const roles = ["pub_app", "pub_plain", "pub_other"];
const yes = async () => true;

/** PUBLIC's own ACL entries on the table, the schema and the database, e.g. `s.lookup: SELECT`. */
async function publicAcl(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `SELECT 's.lookup: ' || COALESCE((SELECT string_agg(privilege_type, ' ' ORDER BY privilege_type) FROM aclexplode((SELECT relacl FROM pg_class WHERE oid = 's.lookup'::regclass)) WHERE grantee = 0), '-') AS line
     UNION ALL
     SELECT 's.t: ' || COALESCE((SELECT string_agg(privilege_type, ' ' ORDER BY privilege_type) FROM aclexplode((SELECT relacl FROM pg_class WHERE oid = 's.t'::regclass)) WHERE grantee = 0), '-')
     UNION ALL
     SELECT 'schema s: ' || COALESCE((SELECT string_agg(privilege_type, ' ' ORDER BY privilege_type) FROM aclexplode((SELECT nspacl FROM pg_namespace WHERE nspname = 's')) WHERE grantee = 0), '-')
     UNION ALL
     SELECT 'schema s2: ' || COALESCE((SELECT string_agg(privilege_type, ' ' ORDER BY privilege_type) FROM aclexplode((SELECT nspacl FROM pg_namespace WHERE nspname = 's2')) WHERE grantee = 0), '-')
     UNION ALL
     SELECT 'database: ' || COALESCE((SELECT string_agg(privilege_type, ' ' ORDER BY privilege_type) FROM aclexplode((SELECT datacl FROM pg_database WHERE datname = current_database())) WHERE grantee = 0), '-')`,
  );
  return rows.map((r) => r.line);
}

/**
 * What the language says PUBLIC holds, worked out by hand from docs/language.md: the block's lines,
 * USAGE on s with its grant there but none on s2, and no TEMPORARY now that the block manages it.
 */
const expectedPublic = ["s.lookup: SELECT", "s.t: -", "schema s: USAGE", "schema s2: -", "database: CONNECT"];


function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, fn);
}

test("the checker takes a public block, and the model keeps PUBLIC's lines apart from the roles'", (t) => {
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(program.model.public?.grants.map((g) => `${g.role} ${g.verb} ${g.object.schema}.${g.object.name}`), ["PUBLIC select s.lookup"]);
  t.deepEqual(program.model.public?.databaseGrants.map((g) => `${g.role} ${g.verb}`), ["PUBLIC connect"]);
  t.false(program.model.roles.some((r) => r.name === "PUBLIC"));
});

serverTest("apply gives PUBLIC exactly its lines; drift is planned as a change and taken back", async (t) => {
  await onServer(async (session) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await publicAcl(session), expectedPublic);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    await session.exec(`GRANT INSERT ON s.lookup TO PUBLIC; GRANT CREATE ON SCHEMA s TO PUBLIC; GRANT USAGE ON SCHEMA s2 TO PUBLIC;
      DO $$ BEGIN EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database()); END $$`);
    const drift = (await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.deepEqual(drift.sort(), ["grant-database PUBLIC: CONNECT on the database", "revoke PUBLIC: INSERT on s.lookup", "revoke-schema PUBLIC: CREATE on schema s", "revoke-schema PUBLIC: USAGE on schema s2"]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await publicAcl(session), expectedPublic);
  });
});

psqlTest("the compiled script, run by psql, gives PUBLIC the same; a role the files do not declare holds it too", async (t) => {
  await onServer(async (session, databaseUrl) => {
    await session.exec(`GRANT SELECT ON s.t TO PUBLIC; GRANT USAGE ON SCHEMA s2 TO PUBLIC; CREATE ROLE pub_other LOGIN;
      DO $$ BEGIN EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO PUBLIC', current_database()); END $$`);
    const run = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl], { input: renderPostgres(program.model), encoding: "utf8" });
    t.is(run.status, 0, run.stderr);
    t.deepEqual(await publicAcl(session), expectedPublic);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
    t.is(await runAs(session, "pub_other", "SELECT id, label FROM s.lookup"), "allowed", "every role holds PUBLIC's grants");
    t.is(await runAs(session, "pub_other", "SELECT a FROM s.t"), "denied");
    t.is(await runAs(session, "pub_plain", "SELECT label FROM s.lookup"), "allowed", "PUBLIC's table-wide SELECT covers the column the role's own grant leaves out");
    t.is(await runAs(session, "pub_other", "CREATE TEMPORARY TABLE probe (id int)"), "denied", "PUBLIC's TEMPORARY is gone");
    t.is(await runAs(session, "pub_app", "CREATE TEMPORARY TABLE probe (id int)"), "allowed");
  });
});

serverTest("import writes a public block for what PUBLIC holds; plan with the imported files is empty", async (t) => {
  await onServer(async (session, databaseUrl) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    const imported = await importDatabase(t, databaseUrl);
    t.notRegex(imported.stderr, /PUBLIC/, "nothing PUBLIC holds is left to warn about");
    // PUBLIC's USAGE on schema public (the database's default) is said too: with a block, PUBLIC holds what it says.
    t.regex(imported.roles, /^public \{\n {2}connect on database\n {2}usage on schema public\n {2}select on s\.lookup\n\}$/m);
    await expectImportRoundTrips(t, session, imported);
  });
});

test("verify on PGlite proves PUBLIC's lines for every role, and catches a script that leaves one out", async (t) => {
  const session = await openPglite();
  try {
    const good = await verifyScript(program.model, renderPostgres(program.model), session);
    t.true(verified(good), JSON.stringify([...good.mismatches, ...good.roleMismatches]));
  } finally {
    await session.close();
  }
  const script = renderPostgres(program.model);
  const tampered = script.replace('GRANT SELECT ON TABLE "s"."lookup" TO PUBLIC;', "");
  t.not(tampered, script, "the tampering must change the script");
  const again = await openPglite();
  try {
    const report = await verifyScript(program.model, tampered, again);
    t.false(verified(report));
    t.true(report.mismatches.some((m) => m.role === "pub_app" && m.object === "s.lookup" && m.verb === "select" && m.expected === "allowed"), JSON.stringify(report.mismatches.slice(0, 5)));
  } finally {
    await again.close();
  }
});
