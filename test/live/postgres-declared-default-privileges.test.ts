import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { applyOnPostgres, importPostgres, planOnPostgres, quoteIdent, renderPostgres } from "../../src/engine/postgres/index.js";
import { renderRoles, renderSchemas } from "../../src/engine/index.js";
import type { SqlSession } from "../../src/engine/index.js";
import { openPgServer } from "../../src/engine/postgres/index.js";
import { describeChange } from "../../src/engine/index.js";
import { scratchSchemaSql } from "../../src/engine/postgres/verify/scratch-schema.js";
import { serverUrl, withDeclaredObjects, withScratchDatabase } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";
import { rolec } from "../helpers/cli.js";
import { expectVerifyCatchesTampering } from "../helpers/verify-tampered.js";

// Default privileges declared in the files (`... on future KIND ... created by ROLE`): what the
// objects a role creates later get. Each test creates real objects as the creator and asks the
// server what the grantees may do with them.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const yes = async () => true;

// The creator is not declared (it owns the tables, which a declared role may not), and its name is hostile.
const creatorName = `dp "maker'; --`;
const creator = quoteIdent(creatorName);
const roles = ["dp_reader", "dp_app", "dp_runner", "dp_outsider", creatorName];

const source = `schema s {
  table orders (id, total)
}
role dp_reader {
  select on s.orders
  select on future tables in schema s created by "dp ""maker'; --"
  usage, select on future sequences created by "dp ""maker'; --"
}
role dp_app login {
  member of dp_reader
  insert, update on future tables created by "dp ""maker'; --"
  execute on future functions in schema s created by "dp ""maker'; --"
}
role dp_runner login {
  usage on future types created by "dp ""maker'; --"
  usage on future schemas created by "dp ""maker'; --"
}
`;
const program = programOf(source);

async function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, async (session, databaseUrl) => {
    await session.exec(`CREATE ROLE ${creator}; CREATE ROLE dp_outsider; GRANT CREATE, USAGE ON SCHEMA s TO ${creator}; GRANT CREATE ON DATABASE ${quoteIdent(await databaseName(session))} TO ${creator};`);
    return fn(session, databaseUrl);
  });
}

async function databaseName(session: SqlSession): Promise<string> {
  const [row] = await session.query<{ name: string }>("SELECT current_database() AS name");
  return row!.name;
}

/** Creates one object of each kind as the creator, and says what each role may do with them; the objects are dropped again. */
async function whatNewObjectsGive(session: SqlSession, who: readonly string[] = [...roles.filter((r) => r !== creatorName), "public"]): Promise<Record<string, string>> {
  await session.exec(`SET ROLE ${creator};
    CREATE TABLE s.dp_new (id int); CREATE SEQUENCE s.dp_seq; CREATE FUNCTION s.dp_f() RETURNS int LANGUAGE sql AS 'SELECT 1';
    CREATE TYPE s.dp_type AS ENUM ('a'); CREATE SCHEMA dp_new_schema; RESET ROLE;`);
  const out: Record<string, string> = {};
  for (const role of who) {
    const [row] = await session.query<Record<string, boolean>>(
      `SELECT has_table_privilege($1, 's.dp_new', 'SELECT') AS t_select, has_table_privilege($1, 's.dp_new', 'INSERT') AS t_insert,
              has_table_privilege($1, 's.dp_new', 'UPDATE') AS t_update, has_table_privilege($1, 's.dp_new', 'DELETE') AS t_delete,
              has_sequence_privilege($1, 's.dp_seq', 'USAGE') AS q_usage, has_sequence_privilege($1, 's.dp_seq', 'UPDATE') AS q_update,
              has_function_privilege($1, 's.dp_f()', 'EXECUTE') AS f_execute, has_type_privilege($1, 's.dp_type', 'USAGE') AS y_usage,
              has_schema_privilege($1, 'dp_new_schema', 'USAGE') AS n_usage, has_schema_privilege($1, 'dp_new_schema', 'CREATE') AS n_create`,
      [role],
    );
    out[role] = Object.keys(row!).filter((k) => row![k]).join(" ");
  }
  await session.exec("DROP TABLE s.dp_new; DROP SEQUENCE s.dp_seq; DROP FUNCTION s.dp_f(); DROP TYPE s.dp_type; DROP SCHEMA dp_new_schema;");
  return out;
}

/** As the files say, membership in dp_reader included; PostgreSQL's built-in EXECUTE and USAGE for PUBLIC taken away. */
const expected = {
  dp_reader: "t_select q_usage",
  dp_app: "t_select t_insert t_update q_usage f_execute",
  dp_runner: "y_usage n_usage",
  dp_outsider: "",
  public: "",
};

/** pg_default_acl as text, in order: what must be the same however the defaults were made. */
async function defaultAcls(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `SELECT d.defaclrole::regrole::text || ' ' || COALESCE(n.nspname, '*') || ' ' || d.defaclobjtype::text || ' ' || d.defaclacl::text AS line
     FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace ORDER BY 1`,
  );
  return rows.map((r) => r.line);
}

serverTest("apply gives the declared default privileges: objects the creator makes later carry them, and PUBLIC's built-in ones go", async (t) => {
  await onServer(async (session) => {
    const before = await whatNewObjectsGive(session, ["public"]);
    t.true(before.public!.includes("f_execute") && before.public!.includes("y_usage"), "PostgreSQL's built-in defaults, before");
    const planned = await planOnPostgres(program.model, session);
    const lines = planned.plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.true(lines.includes(`grant-default dp_reader: default SELECT on tables ${creatorName} creates in schema s`), lines.join("\n"));
    t.true(lines.includes(`revoke-default PUBLIC: default EXECUTE on functions ${creatorName} creates in any schema`), lines.join("\n"));
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
    t.deepEqual(await whatNewObjectsGive(session), expected);
    // Drift: a person adds a default, and takes one; plan shows both, apply puts them back.
    await session.exec(`ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} IN SCHEMA s GRANT DELETE ON TABLES TO dp_reader;
      ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} REVOKE USAGE ON TYPES FROM dp_runner;
      ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} IN SCHEMA s GRANT SELECT ON TABLES TO dp_outsider;`);
    const drift = (await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.deepEqual(drift, [`revoke-default dp_reader: default DELETE on tables ${creatorName} creates in schema s`, `grant-default dp_runner: default USAGE on types ${creatorName} creates in any schema`]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.like(await whatNewObjectsGive(session), { ...expected, dp_outsider: "t_select" }, "a role the files do not declare keeps its default");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.unmanaged, [{ role: "dp_outsider", holds: [`default SELECT on tables ${creatorName} creates in schema s`] }], "and plan lists it with what it holds");
    const pruned = (await planOnPostgres(program.model, session, { prune: true })).plan.changes;
    t.deepEqual(pruned.filter((c) => c.kind.endsWith("-default")).map((c) => `${c.kind} ${c.role}`), ["revoke-default dp_outsider"], "--prune takes it");
  });
});

serverTest("the compiled script leaves the same default privileges as apply, run twice, through psql", async (t) => {
  const script = path.join(mkdtempSync(path.join(tmpdir(), "rolec-dp-")), "postgres.sql");
  const viaScript = await onServer(async (session, databaseUrl) => {
    await session.exec(`CREATE ROLE dp_reader; ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} IN SCHEMA s GRANT ALL ON TABLES TO dp_reader`);
    writeFileSync(script, renderPostgres(program.model));
    for (let run = 0; run < 2; run++) {
      const psql = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl, "-f", script], { encoding: "utf8" });
      t.is(psql.status, 0, psql.stderr);
    }
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
    t.deepEqual(await whatNewObjectsGive(session), expected);
    return defaultAcls(session);
  });
  const viaApply = await onServer(async (session) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    return defaultAcls(session);
  });
  t.deepEqual(viaScript, viaApply);
  t.true(viaApply.length >= 4, viaApply.join("\n"));
});

serverTest("import writes default privileges as lines; plan with the imported files is empty, and applying them elsewhere gives the same pg_default_acl", async (t) => {
  const setUp = `
    CREATE ROLE dp_reader; CREATE ROLE dp_app; CREATE ROLE dp_runner;
    ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} IN SCHEMA s GRANT SELECT, INSERT ON TABLES TO dp_reader;
    ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} GRANT UPDATE ON SEQUENCES TO dp_app;
    ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
    ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} GRANT EXECUTE ON FUNCTIONS TO dp_runner;
    ALTER DEFAULT PRIVILEGES FOR ROLE dp_outsider GRANT CREATE ON SCHEMAS TO dp_app;`;
  const imported = await onServer(async (session) => {
    await session.exec(setUp);
    const result = await importPostgres(session, ["s"]);
    const text = renderRoles(result.program);
    t.regex(text, /^  select, insert on future tables in schema s created by "dp ""maker'; --"$/m);
    t.regex(text, /^  execute on future functions created by "dp ""maker'; --"$/m);
    t.regex(text, /^  create on future schemas created by dp_outsider$/m);
    // dp_outsider's types keep PUBLIC's built-in USAGE, and so do the maker's; its functions do not.
    t.regex(text, /^public \{\n(.*\n)*  usage on future types created by "dp ""maker'; --"\n(.*\n)*  execute on future functions created by dp_outsider\n/m);
    const files = programOf({ "schemas.roles": renderSchemas(result.program), "roles.roles": text });
    t.deepEqual(files.diagnostics.filter((d) => d.severity === "error"), []);
    t.deepEqual((await planOnPostgres(files.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`), []);
    return { files, acls: await defaultAcls(session) };
  });
  const elsewhere = await onServer(async (session) => {
    t.is((await applyOnPostgres(imported.files.model, session, { confirm: yes })).kind, "applied");
    return defaultAcls(session);
  });
  t.deepEqual(elsewhere, imported.acls);
});

serverTest("migrations add, change and take default privileges, and run in order leave what apply leaves", async (t) => {
  const project = mkdtempSync(path.join(tmpdir(), "rolec-dp-project-"));
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "rolec-dp-m-")), "m");
  const plain = "schema s {\n  table orders (id, total)\n}\nrole dp_reader { select on s.orders }\n";
  const steps = [plain, source, source.replace("usage, select on future sequences", "select on future sequences").replace(/  usage on future types .*\n/, "")];
  for (const [i, text] of steps.entries()) {
    writeFileSync(path.join(project, "a.roles"), text);
    const run = await rolec(["migrate", project, "--dir", dir, "--name", `step${i}`], { env: { SOURCE_DATE_EPOCH: String(1795347000 + i) } });
    t.is(run.code, 0, run.stderr);
  }
  const files = readdirSync(dir).sort();
  t.is(files.length, 3);
  const second = readFileSync(path.join(dir, files[1]!), "utf8");
  t.regex(second, /^ALTER DEFAULT PRIVILEGES FOR ROLE "dp ""maker'; --" IN SCHEMA "s" GRANT SELECT ON TABLES TO "dp_reader";$/m);
  t.regex(second, /^ALTER DEFAULT PRIVILEGES FOR ROLE "dp ""maker'; --" REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC CASCADE;$/m);
  t.regex(second, /^-- default-grant \{"role":"dp_reader","creator":"dp \\"maker'; --","schema":"s","objects":"tables","verb":"select"\}$/m);
  const last = programOf(steps[2]!);
  const viaMigrations = await onServer(async (session) => {
    for (const file of files) await session.exec(readFileSync(path.join(dir, file), "utf8"));
    t.deepEqual((await planOnPostgres(last.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`), []);
    return defaultAcls(session);
  });
  const viaApply = await onServer(async (session) => {
    t.is((await applyOnPostgres(last.model, session, { confirm: yes })).kind, "applied");
    return defaultAcls(session);
  });
  t.deepEqual(viaMigrations, viaApply);
});

serverTest("a creator that does not exist blocks plan and makes the script refuse before it changes anything", async (t) => {
  const missing = programOf(source.replaceAll(`"dp ""maker'; --"`, "dp_nobody"));
  await withScratchDatabase(url!, roles, async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(scratchSchemaSql(missing.model).sql);
      const planned = await planOnPostgres(missing.model, session);
      t.true(planned.plan.blockers.some((b) => b.what.includes("dp_nobody is named in created by but does not exist")), JSON.stringify(planned.plan.blockers));
      const error = await t.throwsAsync(session.exec(renderPostgres(missing.model)));
      t.regex(error?.message ?? "", /dp_nobody is named in created by but does not exist/);
      await session.exec("ROLLBACK");
      t.deepEqual(await session.query("SELECT 1 FROM pg_roles WHERE rolname = 'dp_reader'"), [], "nothing was created");
    } finally {
      await session.close();
    }
  });
});

test("verify proves default privileges on objects the creator makes, and catches a script that gives one it should not", async (t) => {
  const small = programOf(`schema s { table orders (id) }
role dp_reader { select on s.orders  select on future tables in schema s created by dp_maker }
role dp_app login { member of dp_reader  execute on future functions created by dp_maker }
`);
  const script = renderPostgres(small.model);
  t.regex(script, /^ALTER DEFAULT PRIVILEGES FOR ROLE "dp_maker" IN SCHEMA "s" GRANT SELECT ON TABLES TO "dp_reader";$/m);
  await expectVerifyCatchesTampering(t, small.model, `ALTER DEFAULT PRIVILEGES FOR ROLE "dp_maker" REVOKE ALL ON FUNCTIONS FROM PUBLIC, "dp_app", "dp_reader" CASCADE;\n`, "", [
    "privilege function: dp_reader execute on a function dp_maker creates in rolec_verify_defaults: not granted / granted",
    "statement: dp_reader execute on a function dp_maker creates in rolec_verify_defaults: denied / allowed",
    "privilege function: dp_reader execute on a function dp_maker creates in s: not granted / granted",
    "statement: dp_reader execute on a function dp_maker creates in s: denied / allowed",
  ]);
});
