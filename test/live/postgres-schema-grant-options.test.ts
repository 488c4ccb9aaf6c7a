import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describeChange, renderRoles, renderSchemas, type SqlSession } from "../../src/engine/index.js";
import { applyOnPostgres, importPostgres, openPglite, planOnPostgres, renderPostgres, verifyScript } from "../../src/engine/postgres/index.js";
import { planPostgresMigration } from "../../src/engine/postgres/migration-plan.js";
import { serverUrl, withDeclaredObjects } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// `usage on schema s with grant option` and `connect on database with grant option`: the role may
// hand the privilege on. Asked of the server (the ACLs, and real GRANTs run as the role), never of
// rolec's model.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const yes = async () => true;

const source = `schema s { table t (a) }
role sgo_lead {
  usage on schema s with grant option
  create on schema s
  connect on database with grant option
  temporary on database
}
role sgo_app login { select on s.t }
`;
const program = programOf(source);
const roles = ["sgo_lead", "sgo_app", "sgo_outsider"];

function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, async (session, databaseUrl) => {
    await session.exec("CREATE ROLE sgo_outsider");
    return fn(session, databaseUrl);
  });
}

/** The ACL entries of schema s and of the database for the test's roles, as aclexplode has them: `where grantee privilege[*] by grantor`. */
async function acls(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `SELECT w || ' ' || g.rolname || ' ' || a.privilege_type || CASE WHEN a.is_grantable THEN '*' ELSE '' END || ' by ' || o.rolname AS line
     FROM (SELECT 'schema' AS w, nspacl AS acl FROM pg_namespace WHERE nspname = 's'
           UNION ALL SELECT 'database', datacl FROM pg_database WHERE datname = current_database()) x
     CROSS JOIN LATERAL aclexplode(x.acl) a JOIN pg_roles g ON g.oid = a.grantee JOIN pg_roles o ON o.oid = a.grantor
     WHERE g.rolname LIKE 'sgo\\_%' ORDER BY 1`,
  );
  return rows.map((r) => r.line);
}

const asLeadHandOn = "SET ROLE sgo_lead; GRANT USAGE ON SCHEMA s TO sgo_outsider; DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO sgo_outsider', current_database()); END $$; RESET ROLE";

serverTest("apply gives the declared grant options on the schema and the database; the role hands the privilege on, and plan then leaves that alone", async (t) => {
  await onServer(async (session) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    const owner = (await session.query<{ u: string }>("SELECT current_user AS u"))[0]!.u;
    t.deepEqual(await acls(session), [
      `database sgo_lead CONNECT* by ${owner}`,
      `database sgo_lead TEMPORARY by ${owner}`,
      `schema sgo_app USAGE by ${owner}`,
      `schema sgo_lead CREATE by ${owner}`,
      `schema sgo_lead USAGE* by ${owner}`,
    ]);
    await session.exec(asLeadHandOn);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    // Drift: the option taken from USAGE, and one given on CREATE and on TEMPORARY.
    await session.exec(`REVOKE GRANT OPTION FOR USAGE ON SCHEMA s FROM sgo_lead CASCADE; GRANT CREATE ON SCHEMA s TO sgo_lead WITH GRANT OPTION`);
    await session.exec("DO $$ BEGIN EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO sgo_lead WITH GRANT OPTION', current_database()); END $$");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`).sort(), [
      "grant-schema sgo_lead: USAGE on schema s WITH GRANT OPTION",
      "revoke-database sgo_lead: GRANT OPTION for TEMPORARY on the database",
      "revoke-schema sgo_lead: GRANT OPTION for CREATE on schema s",
    ]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
  });
});

serverTest("the script through psql, run twice, keeps the options and what the role handed on to a role the files do not declare; import writes them back", async (t) => {
  await onServer(async (session, databaseUrl) => {
    const script = path.join(mkdtempSync(path.join(tmpdir(), "rolec-sgo-")), "postgres.sql");
    writeFileSync(script, renderPostgres(program.model));
    const psql = () => spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl, "-f", script], { encoding: "utf8" });
    t.is(psql().status, 0);
    await session.exec(asLeadHandOn);
    // Drift the script must take back: CREATE given with the option.
    await session.exec("GRANT CREATE ON SCHEMA s TO sgo_lead WITH GRANT OPTION");
    const second = psql();
    t.is(second.status, 0, second.stderr);
    const lines = await acls(session);
    t.true(lines.includes("schema sgo_outsider USAGE by sgo_lead"), "the CASCADE of a REVOKE ALL does not reach it");
    t.true(lines.includes("database sgo_outsider CONNECT by sgo_lead"), "nor on the database");
    t.true(lines.some((l) => /^schema sgo_lead CREATE by /.test(l)), lines.join("\n"));
    t.true(lines.some((l) => /^schema sgo_lead USAGE\* by /.test(l)), lines.join("\n"));
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    const imported = await importPostgres(session, ["s"]);
    t.deepEqual(imported.warnings.filter((w) => w.includes("GRANT OPTION")), []);
    const text = renderRoles(imported.program);
    t.regex(text, /^ {2}connect on database with grant option$/m);
    t.regex(text, /^ {2}usage on schema s with grant option$/m);
    t.regex(text, /^ {2}create on schema s$/m);
    const files = programOf({ "schemas.roles": renderSchemas(imported.program), "roles.roles": text });
    t.deepEqual(files.diagnostics.filter((d) => d.severity === "error"), []);
    t.deepEqual((await planOnPostgres(files.model, session)).plan.changes, []);
  });
});

test("a migration gives the grant options the sources add, and takes those they take away", (t) => {
  const without = programOf(source.replaceAll(" with grant option", ""));
  const sql = (from: typeof program, to: typeof program) => planPostgresMigration(from.model, to.model, {}).statements.map((s) => s.sql);
  const added = sql(without, program);
  t.true(added.includes('GRANT USAGE ON SCHEMA "s" TO "sgo_lead" WITH GRANT OPTION;'), added.join("\n"));
  t.true(added.some((s) => s.includes("GRANT CONNECT ON DATABASE %I TO %s WITH GRANT OPTION")), added.join("\n"));
  const taken = sql(program, without);
  t.true(taken.includes('REVOKE GRANT OPTION FOR USAGE ON SCHEMA "s" FROM "sgo_lead" CASCADE;'), taken.join("\n"));
  t.deepEqual(sql(program, program), []);
});

test("verify proves the grant options on the schema and the database, and reports a script that leaves one out", async (t) => {
  const script = renderPostgres(program.model);
  const tampered = script.replace('GRANT USAGE ON SCHEMA "s" TO "sgo_lead" WITH GRANT OPTION;', 'GRANT USAGE ON SCHEMA "s" TO "sgo_lead";');
  t.not(tampered, script);
  for (const [text, wanted] of [[script, []], [tampered, ["sgo_lead usage schema s: granted / not granted"]]] as const) {
    const session = await openPglite();
    try {
      const report = await verifyScript(program.model, text, session);
      t.deepEqual(report.roleMismatches, []);
      t.deepEqual(report.mismatches.map((m) => `${m.role} ${m.verb} ${m.object}: ${m.expected} / ${m.actual}`), [...wanted]);
      t.true(report.mismatches.every((m) => m.grantOption === true));
    } finally {
      await session.close();
    }
  }
});

test("the checker takes a grant option on a schema and the database, but not for PUBLIC or on the server", (t) => {
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(program.model.schemaGrants.map((g) => `${g.verb}${g.grantable ? "*" : ""}`), ["usage*", "create"]);
  t.deepEqual(program.model.databaseGrants.map((g) => `${g.verb}${g.grantable ? "*" : ""}`), ["connect*", "temporary"]);
  const refused = programOf("schema s { table t (a) }\npublic { usage on schema s with grant option }\nrole m { process on server with grant option }\n", { databases: ["mysql"] });
  t.deepEqual(refused.diagnostics.filter((d) => d.code === "RC0407").map((d) => d.span.startLine), [2, 3]);
});
