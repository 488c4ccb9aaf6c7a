import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describeChange, renderRoles, renderSchemas, type SqlSession } from "../../src/engine/index.js";
import { applyOnPostgres, importPostgres, planOnPostgres, renderPostgres } from "../../src/engine/postgres/index.js";
import { renderAllowlist } from "../../src/emit/allowlist/render-allowlist.js";
import { serverUrl, withDeclaredObjects } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";
import { expectVerifyCatchesTampering } from "../helpers/verify-tampered.js";

// `noinherit`: a role that holds what its parents hold only after SET ROLE, as PostgreSQL's
// NOINHERIT does. Asked of the server with its own privilege functions and real statements.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const yes = async () => true;

const source = `schema s {
  table secrets (id, note)
  table notes (id)
}
role ni_admin { select, update on s.secrets }
role ni_ops { member of ni_admin  select on s.notes }
/// logs in, and says when it acts as the admin role
role ni_login login noinherit {
  member of ni_ops
  select on s.notes
}
role ni_member { member of ni_login }
`;
const program = programOf(source);
const roles = ["ni_admin", "ni_ops", "ni_login", "ni_member"];

function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, fn);
}

/** What each role may do on s.secrets and s.notes, as has_table_privilege says. */
async function privileges(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `SELECT r || ': ' || concat_ws(' ', CASE WHEN has_table_privilege(r, 's.secrets', 'SELECT') THEN 'secrets' END,
            CASE WHEN has_table_privilege(r, 's.notes', 'SELECT') THEN 'notes' END) AS line
     FROM unnest($1::text[]) r ORDER BY 1`,
    [roles],
  );
  return rows.map((r) => r.line.trimEnd());
}

const expected = ["ni_admin: secrets", "ni_login: notes", "ni_member: notes", "ni_ops: secrets notes"];

test("the checker takes noinherit, and a NOINHERIT role's own grant is not redundant with a parent's", (t) => {
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(program.model.roles.find((r) => r.name === "ni_login")?.attributes, ["noinherit"]);
  // ni_login's `select on s.notes` is what it holds without SET ROLE; ni_ops's is not its own.
  const redundant = programOf(source.replace("role ni_login login noinherit", "role ni_login login"));
  t.true(redundant.diagnostics.some((d) => d.code === "RC0801" && d.span.startLine === 10), JSON.stringify(redundant.diagnostics));
  t.true(programOf(source, { databases: ["mysql"] }).diagnostics.some((d) => d.code === "RC0910" && d.message.startsWith("noinherit")));
  t.true(programOf("external role x noinherit").diagnostics.some((d) => d.code === "RC0308"));
});

test("the allow-list gives a NOINHERIT role its own grants and PUBLIC's, not its parents', and says noinherit", (t) => {
  const list = JSON.parse(renderAllowlist(program.model)) as { formatVersion: number; roles: Record<string, { attributes?: string[]; grants: Record<string, Record<string, unknown>> }> };
  t.is(list.formatVersion, 10);
  t.deepEqual(list.roles.ni_login?.attributes, ["noinherit"]);
  t.deepEqual(Object.keys(list.roles.ni_login!.grants.s!).sort(), ["notes"]);
  t.deepEqual(Object.keys(list.roles.ni_member!.grants.s!).sort(), ["notes"], "the chain stops at the NOINHERIT role");
  t.deepEqual(Object.keys(list.roles.ni_ops!.grants.s!).sort(), ["notes", "secrets"]);
});

serverTest("apply makes the role NOINHERIT: it holds its parents' privileges only after SET ROLE; drift back to INHERIT is planned and taken back", async (t) => {
  await onServer(async (session) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await privileges(session), expected);
    await session.exec("BEGIN; SET LOCAL ROLE ni_login");
    await t.throwsAsync(session.query("SELECT FROM s.secrets"), { message: /permission denied/ });
    await session.exec("ROLLBACK; BEGIN; SET LOCAL ROLE ni_login; SET LOCAL ROLE ni_admin");
    await t.notThrowsAsync(session.query("SELECT FROM s.secrets"), "after SET ROLE, the parent's privileges are there");
    await session.exec("ROLLBACK");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    await session.exec("ALTER ROLE ni_login INHERIT; ALTER ROLE ni_ops NOINHERIT");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.role}: ${describeChange(c)}`), ["ni_login: inherit: INHERIT → NOINHERIT", "ni_ops: inherit: NOINHERIT → INHERIT"]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await privileges(session), expected);
  });
});

serverTest("the compiled script through psql leaves the same, and import writes noinherit back with an empty plan", async (t) => {
  await onServer(async (session, databaseUrl) => {
    await session.exec("CREATE ROLE ni_login LOGIN INHERIT");
    const script = path.join(mkdtempSync(path.join(tmpdir(), "rolec-ni-")), "postgres.sql");
    writeFileSync(script, renderPostgres(program.model));
    const psql = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl, "-f", script], { encoding: "utf8" });
    t.is(psql.status, 0, psql.stderr);
    t.deepEqual(await privileges(session), expected);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
    const imported = await importPostgres(session, ["s"]);
    t.deepEqual(imported.warnings.filter((w) => /INHERIT/i.test(w)), []);
    const text = renderRoles(imported.program);
    t.regex(text, /^role ni_login login noinherit \{$/m);
    const files = programOf({ "schemas.roles": renderSchemas(imported.program), "roles.roles": text });
    t.deepEqual(files.diagnostics.filter((d) => d.severity === "error"), []);
    t.deepEqual((await planOnPostgres(files.model, session)).plan.changes, []);
  });
});

// PGlite is PostgreSQL 16 or later, where each membership has its own INHERIT option (the role's
// NOINHERIT is only its default): a script that grants ni_login's membership WITH INHERIT TRUE
// lets it use its parents' privileges.
test("verify proves NOINHERIT, and catches a script whose membership inherits", async (t) => {
  // Table-wide by the privilege functions, then on each column (id, note), then real statements, one per column.
  const each = <T,>(list: readonly T[], f: (x: T) => string[]) => list.flatMap(f);
  const pf = (role: string, verb: string) => `privilege function: ${role} ${verb} on s.secrets: not granted / granted`;
  await expectVerifyCatchesTampering(t, program.model, `('ni_ops'::name, 'ni_login'::name, FALSE)`, `('ni_ops'::name, 'ni_login'::name, TRUE)`, [
    ...each(["ni_login", "ni_member"], (role) => ["select", "update"].map((verb) => pf(role, verb))),
    ...each(["select", "update"], (verb) => each(["ni_login", "ni_member"], (role) => ["id", "note"].map(() => pf(role, verb)))),
    ...each(["ni_login", "ni_member"], (role) => each(["id", "note"], () => ["select", "update"].map((verb) => `statement: ${role} ${verb} on s.secrets: denied / allowed`))),
  ]);
});
