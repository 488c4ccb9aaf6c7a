import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describeChange, renderRoles, renderSchemas, type SqlSession } from "../../src/engine/index.js";
import { applyOnPostgres, importPostgres, openPglite, planOnPostgres, renderPostgres, verifyScript } from "../../src/engine/postgres/index.js";
import { serverUrl, withDeclaredObjects } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";
import { scratchSchemaSql } from "../../src/engine/postgres/verify/scratch-schema.js";

// `... with grant option`: the grantee may grant the privilege on. What the server holds is read
// from its ACLs (aclexplode) and tried with real GRANTs, never taken from rolec's model.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const yes = async () => true;

const source = `schema s {
  table t (a, b)
  sequence n
  function f(integer)
  domain d
}
role gro_reader { select on s.t }
role gro_lead login {
  select, insert on s.t with grant option
  usage on s.n with grant option
  update (b) on s.t
}
external role gro_partner {
  select on s.t with grant option
  usage on s.d with grant option
}
role gro_runner {
  execute on s.f with grant option
  usage on s.d
}
`;
const program = programOf(source);
const roles = ["gro_reader", "gro_lead", "gro_partner", "gro_runner", "gro_intern", "gro_analyst"];

function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, async (session, databaseUrl) => {
    // The roles the delegates hand privileges on to can use them: someone gave them USAGE on the schema.
    await session.exec("CREATE ROLE gro_partner; CREATE ROLE gro_intern; CREATE ROLE gro_analyst; GRANT USAGE ON SCHEMA s TO gro_intern, gro_analyst");
    return fn(session, databaseUrl);
  });
}

/** s.t's ACL and its columns' as `grantee=privilege[*]/grantor` words, sorted (* marks a grant option). */
async function acl(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `WITH entries AS (
       SELECT a.*, NULL::name AS col FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a WHERE c.oid = 's.t'::regclass
       UNION ALL
       SELECT a.*, att.attname FROM pg_attribute att CROSS JOIN LATERAL aclexplode(att.attacl) a WHERE att.attrelid = 's.t'::regclass AND att.attnum > 0
     )
     SELECT CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE grantee::regrole::text END || '=' || privilege_type || coalesce('(' || col || ')', '')
            || CASE WHEN is_grantable THEN '*' ELSE '' END || '/' || grantor::regrole::text AS line
     FROM entries WHERE grantee <> (SELECT relowner FROM pg_class WHERE oid = 's.t'::regclass) ORDER BY 1`,
  );
  return rows.map((r) => r.line);
}

/** Whether `role` can grant `privilege` on s.t to gro_analyst: a real GRANT, undone; a GRANT without the option only warns, so the ACL says. */
async function canHandOn(session: SqlSession, role: string, privilege: string): Promise<boolean> {
  await session.exec(`BEGIN; SET LOCAL ROLE ${role}`);
  try {
    await session.exec(`GRANT ${privilege} ON s.t TO gro_analyst`);
    const [row] = await session.query<{ held: boolean }>(
      `SELECT EXISTS (SELECT FROM aclexplode((SELECT relacl FROM pg_class WHERE oid = 's.t'::regclass)) a WHERE a.grantee = 'gro_analyst'::regrole AND a.grantor = '${role}'::regrole AND a.privilege_type = '${privilege}') AS held`,
    );
    return row?.held === true;
  } catch {
    return false;
  } finally {
    await session.exec("ROLLBACK");
  }
}

const handedOn = ["gro_analyst=SELECT/gro_partner", "gro_intern=SELECT/gro_lead"];
const declared = ["gro_lead=INSERT*/postgres", "gro_lead=SELECT*/postgres", "gro_lead=UPDATE(b)/postgres", "gro_partner=SELECT*/postgres", "gro_reader=SELECT/postgres"];

test("the grant option is in the model, on the whole object only", (t) => {
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(
    program.model.grants.filter((g) => g.grantable).map((g) => `${g.role} ${g.verb} ${g.object.name}`),
    ["gro_lead usage n", "gro_lead select t", "gro_lead insert t", "gro_partner select t"],
  );
  t.false(program.model.grants.some((g) => g.role === "gro_lead" && g.verb === "update" && g.grantable));
});

serverTest("the script through psql, run again after the roles handed privileges on, keeps what they handed to undeclared roles and takes what they handed to declared roles or PUBLIC", async (t) => {
  await onServer(async (session, databaseUrl) => {
    const script = path.join(mkdtempSync(path.join(tmpdir(), "rolec-gro-")), "postgres.sql");
    writeFileSync(script, renderPostgres(program.model));
    const psql = () => spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl, "-f", script], { encoding: "utf8" });
    const first = psql();
    t.is(first.status, 0, first.stderr);
    t.deepEqual(await acl(session), declared);
    t.true(await canHandOn(session, "gro_lead", "SELECT"));
    t.false(await canHandOn(session, "gro_lead", "UPDATE"));
    t.false(await canHandOn(session, "gro_reader", "SELECT"));

    // The delegates hand privileges on, to undeclared roles and to declared ones and PUBLIC; the
    // owner gives gro_lead more than declared, and gro_reader a grant option.
    await session.exec(`SET ROLE gro_lead; GRANT SELECT ON s.t TO gro_intern; GRANT SELECT ON s.t TO gro_reader WITH GRANT OPTION; GRANT INSERT ON s.t TO PUBLIC; RESET ROLE;
      SET ROLE gro_partner; GRANT SELECT ON s.t TO gro_analyst; RESET ROLE;
      GRANT DELETE ON s.t TO gro_lead; GRANT SELECT ON s.t TO gro_reader WITH GRANT OPTION;`);
    const second = psql();
    t.is(second.status, 0, second.stderr);
    t.deepEqual(await acl(session), [...declared, ...handedOn].sort(), "the delegates' grants to undeclared roles stay; the rest is exactly the files'");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
  });
});

serverTest("plan shows a missing grant option and drift, apply makes them right, and keeps what the delegates handed on", async (t) => {
  await onServer(async (session) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await acl(session), declared);
    await session.exec(`SET ROLE gro_partner; GRANT SELECT ON s.t TO gro_analyst; RESET ROLE;
      REVOKE GRANT OPTION FOR INSERT ON s.t FROM gro_lead CASCADE; GRANT SELECT ON s.t TO gro_reader WITH GRANT OPTION;
      SET ROLE gro_lead; GRANT SELECT ON s.t TO gro_intern; RESET ROLE;`);
    const planned = (await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.deepEqual(planned, ["revoke-grant-option gro_reader: GRANT OPTION for SELECT on s.t", "grant gro_lead: INSERT on s.t WITH GRANT OPTION"]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await acl(session), [...declared, ...handedOn].sort());
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    // Import writes the options back, and plan with the imported files changes nothing.
    const imported = await importPostgres(session, ["s"]);
    t.deepEqual(imported.warnings.filter((w) => w.includes("GRANT OPTION")), []);
    const text = renderRoles(imported.program);
    t.regex(text, /^ {2}select, insert on s\.t with grant option$/m);
    t.regex(text, /^ {2}usage on s\.n with grant option$/m);
    t.regex(text, /^ {2}update \(b\) on s\.t$/m);
    const files = programOf({ "schemas.roles": renderSchemas(imported.program), "roles.roles": text });
    t.deepEqual((await planOnPostgres(files.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`), []);
  });
});

/** EXECUTE on s.f and USAGE on s.d as `grantee=privilege[*]/grantor` words, sorted, the owner's own left out. */
async function routineAndTypeAcl(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `SELECT 'f ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END || '=' || a.privilege_type || CASE WHEN a.is_grantable THEN '*' ELSE '' END || '/' || a.grantor::regrole::text AS line
     FROM pg_proc p CROSS JOIN LATERAL aclexplode(p.proacl) a WHERE p.oid = 's.f(integer)'::regprocedure AND a.grantee <> p.proowner
     UNION ALL
     SELECT 'd ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END || '=' || a.privilege_type || CASE WHEN a.is_grantable THEN '*' ELSE '' END || '/' || a.grantor::regrole::text
     FROM pg_type t CROSS JOIN LATERAL aclexplode(t.typacl) a WHERE t.oid = 's.d'::regtype AND a.grantee <> t.typowner
     ORDER BY 1`,
  );
  return rows.map((r) => r.line);
}

serverTest("functions and types: the script and apply keep a declared grant option and what its holder handed to undeclared roles; import writes it back", async (t) => {
  await onServer(async (session, databaseUrl) => {
    const script = path.join(mkdtempSync(path.join(tmpdir(), "rolec-gro-")), "postgres.sql");
    writeFileSync(script, renderPostgres(program.model));
    const psql = () => spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl, "-f", script], { encoding: "utf8" });
    t.is(psql().status, 0);
    const declaredHere = ["d gro_partner=USAGE*/postgres", "d gro_runner=USAGE/postgres", "f gro_runner=EXECUTE*/postgres"];
    t.deepEqual(await routineAndTypeAcl(session), declaredHere);
    await session.exec(`SET ROLE gro_runner; GRANT EXECUTE ON FUNCTION s.f(integer) TO gro_intern; GRANT EXECUTE ON FUNCTION s.f(integer) TO gro_reader; RESET ROLE;
      SET ROLE gro_partner; GRANT USAGE ON DOMAIN s.d TO gro_analyst; GRANT USAGE ON DOMAIN s.d TO PUBLIC; RESET ROLE;`);
    const second = psql();
    t.is(second.status, 0, second.stderr);
    const handedOnHere = ["d gro_analyst=USAGE/gro_partner", "f gro_intern=EXECUTE/gro_runner"];
    t.deepEqual(await routineAndTypeAcl(session), [...declaredHere, ...handedOnHere].sort());
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    // Drift: the option taken by hand, and a declared role given one; plan puts both right.
    await session.exec("REVOKE GRANT OPTION FOR EXECUTE ON FUNCTION s.f(integer) FROM gro_runner CASCADE; GRANT USAGE ON DOMAIN s.d TO gro_runner WITH GRANT OPTION");
    const planned = (await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.deepEqual(planned, ["revoke-type gro_runner: GRANT OPTION for USAGE on domain s.d", "grant-routine gro_runner: EXECUTE on s.f(integer) WITH GRANT OPTION"]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await routineAndTypeAcl(session), [...declaredHere, "d gro_analyst=USAGE/gro_partner"].sort());

    const imported = await importPostgres(session, ["s"]);
    const text = renderRoles(imported.program);
    t.regex(text, /^ {2}execute on s\.f\(integer\) with grant option$/m);
    t.regex(text, /^ {2}usage on s\.d with grant option$/m);
    const files = programOf({ "schemas.roles": renderSchemas(imported.program), "roles.roles": text });
    t.deepEqual((await planOnPostgres(files.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`), []);
  });
});

test("verify proves the grant options, and reports a script that leaves one out or gives one more", async (t) => {
  const script = renderPostgres(program.model);
  const without = script.replace(`GRANT SELECT ON TABLE "s"."t" TO "gro_partner" WITH GRANT OPTION;`, `GRANT SELECT ON TABLE "s"."t" TO "gro_partner";`);
  const extra = script.replace(`GRANT SELECT ON TABLE "s"."t" TO "gro_reader";`, `GRANT SELECT ON TABLE "s"."t" TO "gro_reader" WITH GRANT OPTION;`);
  const routineWithout = script.replace(`GRANT EXECUTE ON ROUTINE "s"."f"("pg_catalog"."int4") TO "gro_runner" WITH GRANT OPTION;`, `GRANT EXECUTE ON ROUTINE "s"."f"("pg_catalog"."int4") TO "gro_runner";`);
  t.not(without, script);
  t.not(extra, script);
  t.not(routineWithout, script);
  const cases = [
    [script, []],
    [routineWithout, ["gro_runner execute with grant option: granted / not granted"]],
    [without, ["gro_partner select with grant option statement: allowed / denied (permission denied)", "gro_partner select with grant option: granted / not granted"]],
    [extra, ["gro_reader select with grant option statement: denied / allowed", "gro_reader select with grant option: not granted / granted"]],
  ] as const;
  for (const [text, wanted] of cases) {
    const session = await openPglite();
    try {
      const report = await verifyScript(program.model, text, session);
      t.is(report.scriptError, undefined);
      const found = report.mismatches.map((m) => `${m.role} ${m.verb}${m.grantOption ? " with grant option" : ""}${m.column === undefined ? "" : `(${m.column})`}${m.check === "statement" ? " statement" : ""}: ${m.expected} / ${m.actual}`);
      t.deepEqual([...new Set(found.filter((f) => !f.includes("(a)") && !f.includes("(b)")))].sort(), [...wanted].sort(), found.join("\n"));
    } finally {
      await session.close();
    }
  }
});

// On PostgreSQL 16 and later too (PGlite): a second run keeps what a delegate handed on.
test("PGlite: the script run again keeps what a delegate handed to an undeclared role", async (t) => {
  const session = await openPglite();
  try {
    await session.exec(scratchSchemaSql(program.model).sql + "CREATE ROLE gro_partner; CREATE ROLE gro_intern; CREATE ROLE gro_analyst;");
    await session.exec(renderPostgres(program.model));
    await session.exec("SET ROLE gro_lead; GRANT SELECT ON s.t TO gro_intern; RESET ROLE");
    await session.exec(renderPostgres(program.model));
    const [row] = await session.query<{ held: boolean }>("SELECT has_table_privilege('gro_intern', 's.t', 'SELECT') AS held");
    t.true(row?.held);
  } finally {
    await session.close();
  }
});
