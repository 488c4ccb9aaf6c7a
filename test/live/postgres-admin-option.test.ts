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

// `member of ... with admin option`: the member may grant the role on. Asked of the server
// (pg_auth_members, and a real GRANT run as the member), never of rolec's model.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const yes = async () => true;

const source = `schema s { table t (a) }
role adm_app { select on s.t }
role adm_lead login {
  member of adm_app with admin option
}
role adm_web login { member of adm_app }
`;
const program = programOf(source);
const roles = ["adm_app", "adm_lead", "adm_web", "adm_new_hire"];

function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, async (session, databaseUrl) => {
    await session.exec("CREATE ROLE adm_new_hire LOGIN");
    return fn(session, databaseUrl);
  });
}

/** Memberships in adm_app as pg_auth_members has them: `child admin=...`. */
async function memberships(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `SELECT c.rolname || ' admin=' || m.admin_option AS line FROM pg_auth_members m JOIN pg_roles c ON c.oid = m.member
     WHERE m.roleid = 'adm_app'::regrole ORDER BY 1`,
  );
  return rows.map((r) => r.line);
}

/** Whether `role` can grant adm_app to adm_new_hire: a real GRANT, undone. */
async function canHandOn(session: SqlSession, role: string): Promise<boolean> {
  await session.exec(`BEGIN; SET LOCAL ROLE ${role}`);
  try {
    await session.exec("GRANT adm_app TO adm_new_hire");
    return true;
  } catch {
    return false;
  } finally {
    await session.exec("ROLLBACK");
  }
}

test("the checker warns about an admin option (RC0206) and refuses one on a predefined role (RC0207); MySQL takes it too", (t) => {
  t.deepEqual(program.diagnostics.map((d) => `${d.code} ${d.span.startLine}`), ["RC0206 4"]);
  t.deepEqual(program.model.roles.find((r) => r.name === "adm_lead")?.adminOf, ["adm_app"]);
  t.deepEqual(programOf("role m { member of pg_monitor with admin option }").diagnostics.map((d) => d.code), ["RC0207"]);
  t.deepEqual(programOf(source, { databases: ["mysql"] }).diagnostics.map((d) => `${d.code} ${d.span.startLine}`), ["RC0206 4"]);
});

serverTest("apply gives the admin option it declares and no other; the member may then hand the role on, and what it hands on is left alone", async (t) => {
  await onServer(async (session) => {
    await session.exec("CREATE ROLE adm_web LOGIN; CREATE ROLE adm_app; GRANT adm_app TO adm_web WITH ADMIN OPTION");
    const planned = (await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.true(planned.includes("grant-membership adm_lead: member of adm_app with admin option"), planned.join("\n"));
    t.true(planned.includes("revoke-admin-option adm_web: ADMIN OPTION on adm_app"), planned.join("\n"));
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await memberships(session), ["adm_lead admin=true", "adm_web admin=false"]);
    t.true(await canHandOn(session, "adm_lead"));
    t.false(await canHandOn(session, "adm_web"));

    // The member hands the role on; plan and apply leave that membership to it.
    await session.exec("SET ROLE adm_lead; GRANT adm_app TO adm_new_hire; RESET ROLE");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
    // Drift: the admin option taken by hand comes back.
    await session.exec("REVOKE ADMIN OPTION FOR adm_app FROM adm_lead");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`), ["grant-admin-option adm_lead: ADMIN OPTION on adm_app"]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await memberships(session), ["adm_lead admin=true", "adm_new_hire admin=false", "adm_web admin=false"]);
  });
});

serverTest("the script through psql, run twice, keeps the admin option and what the member handed on; import writes it back", async (t) => {
  await onServer(async (session, databaseUrl) => {
    const script = path.join(mkdtempSync(path.join(tmpdir(), "rolec-adm-")), "postgres.sql");
    writeFileSync(script, renderPostgres(program.model));
    const psql = () => spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl, "-f", script], { encoding: "utf8" });
    t.is(psql().status, 0);
    await session.exec("SET ROLE adm_lead; GRANT adm_app TO adm_new_hire; RESET ROLE");
    const second = psql();
    t.is(second.status, 0, second.stderr);
    t.deepEqual(await memberships(session), ["adm_lead admin=true", "adm_new_hire admin=false", "adm_web admin=false"], "the CASCADE of a revoked admin option does not reach it");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    const imported = await importPostgres(session, ["s"]);
    t.deepEqual(imported.warnings.filter((w) => w.includes("ADMIN")), []);
    const text = renderRoles(imported.program);
    t.regex(text, /^role adm_lead login \{\n {2}member of adm_app with admin option\n\}$/m);
    const files = programOf({ "schemas.roles": renderSchemas(imported.program), "roles.roles": text });
    t.deepEqual((await planOnPostgres(files.model, session)).plan.changes, []);
  });
});

test("verify proves the admin option, and reports a script that leaves it out", async (t) => {
  const script = renderPostgres(program.model);
  const tampered = script.replace(`GRANT "adm_app" TO "adm_lead" WITH ADMIN OPTION;`, `GRANT "adm_app" TO "adm_lead";`);
  t.not(tampered, script);
  for (const [text, wanted] of [[script, []], [tampered, ["adm_lead: admin option on adm_app: true / false"]]] as const) {
    const session = await openPglite();
    try {
      const report = await verifyScript(program.model, text, session);
      t.deepEqual(report.roleMismatches.map((m) => `${m.role}: ${m.what}: ${m.expected} / ${m.actual}`), [...wanted]);
    } finally {
      await session.close();
    }
  }
});

// PostgreSQL 16 and later (PGlite) tie a membership to the admin option it was granted from: a
// script that took the option and gave it back each run would take, with CASCADE, every
// membership the member handed on.
test("on PostgreSQL 16 and later, running the script again keeps what the member handed on", async (t) => {
  const session = await openPglite();
  try {
    const [{ version } = { version: 0 }] = await session.query<{ version: number }>("SELECT current_setting('server_version_num')::int AS version");
    t.true(version >= 160000, `PGlite is PostgreSQL ${version}`);
    await session.exec(scratchSchemaSql(program.model).sql + "CREATE ROLE adm_new_hire;");
    await session.exec(renderPostgres(program.model));
    await session.exec("SET ROLE adm_lead; GRANT adm_app TO adm_new_hire; RESET ROLE");
    await session.exec(renderPostgres(program.model));
    t.deepEqual(await memberships(session), ["adm_lead admin=true", "adm_new_hire admin=false", "adm_web admin=false"]);
  } finally {
    await session.close();
  }
});
