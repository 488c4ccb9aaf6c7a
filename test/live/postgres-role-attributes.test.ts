import test from "ava";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describeChange, verified, type SqlSession } from "../../src/engine/index.js";
import { applyOnPostgres, openPglite, planOnPostgres, renderPostgres, verifyScript } from "../../src/engine/postgres/index.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withDeclaredObjects } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// Declared role attributes (createdb, createrole, replication, bypassrls): the compiled script,
// plan and apply give each role exactly its own, drift is taken back, import writes them, and
// verify catches a script that leaves one out. Read back from pg_roles, not from rolec's model.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const psqlTest = url && spawnSync("psql", ["--version"]).status === 0 ? test.serial : test.serial.skip;

const source = `schema s { table t (a) }
role attr_etl login createdb { select on s.t }
role attr_ops createrole replication bypassrls { select on s.t }
role attr_plain { select on s.t }
`;
const program = programOf(source);
const roles = ["attr_etl", "attr_ops", "attr_plain", "attr_root"];
const yes = async () => true;

/** Each role's attributes as pg_roles has them, e.g. `attr_etl: createdb login`. */
async function attributes(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `SELECT rolname || ': ' || concat_ws(' ', CASE WHEN rolsuper THEN 'superuser' END, CASE WHEN rolcreaterole THEN 'createrole' END,
            CASE WHEN rolcreatedb THEN 'createdb' END, CASE WHEN rolreplication THEN 'replication' END,
            CASE WHEN rolbypassrls THEN 'bypassrls' END, CASE WHEN rolcanlogin THEN 'login' END) AS line
     FROM pg_catalog.pg_roles WHERE rolname = ANY ($1::text[]) ORDER BY rolname`,
    [roles],
  );
  return rows.map((r) => r.line.trimEnd());
}

const declared = ["attr_etl: createdb login", "attr_ops: createrole replication bypassrls", "attr_plain:"];

/** A fresh database with the program's objects, and a session on it. */
function onServer<T>(fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, fn);
}

test("the checker passes the program, warning about the three attributes that reach past grants", (t) => {
  t.deepEqual(program.diagnostics.map((d) => `${d.code} ${d.span.startLine}`), ["RC0310 3", "RC0310 3", "RC0310 3"]);
  t.deepEqual(program.model.roles.map((r) => `${r.name}: ${r.attributes.join(" ")}`), ["attr_etl: createdb", "attr_ops: createrole replication bypassrls", "attr_plain: "]);
});

serverTest("apply gives each role exactly its declared attributes; drift is planned as a change and taken back", async (t) => {
  await onServer(async (session) => {
    const applied = await applyOnPostgres(program.model, session, { confirm: yes });
    t.is(applied.kind, "applied");
    t.deepEqual(await attributes(session), declared);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);

    await session.exec(`ALTER ROLE attr_etl CREATEROLE BYPASSRLS NOCREATEDB; ALTER ROLE attr_plain SUPERUSER; ALTER ROLE attr_ops NOREPLICATION`);
    const drift = (await planOnPostgres(program.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.deepEqual(drift, [
      "alter-role attr_etl: powers: createrole bypassrls → createdb",
      "alter-role attr_ops: powers: createrole bypassrls → createrole replication bypassrls",
      "alter-role attr_plain: powers: superuser → none",
    ]);
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual(await attributes(session), declared);
  });
});

psqlTest("the compiled script, run by psql, sets and takes attributes as apply does", async (t) => {
  await onServer(async (session, databaseUrl) => {
    await session.exec(`CREATE ROLE attr_etl LOGIN CREATEROLE; CREATE ROLE attr_plain BYPASSRLS`);
    const run = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl], { input: renderPostgres(program.model), encoding: "utf8" });
    t.is(run.status, 0, run.stderr);
    t.deepEqual(await attributes(session), declared);
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
  });
});

serverTest("import writes the attributes a role has and leaves a superuser out; plan with the imported files is empty", async (t) => {
  await onServer(async (session, databaseUrl) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    await session.exec(`CREATE ROLE attr_root SUPERUSER; GRANT SELECT ON s.t TO attr_root`);
    const out = path.join(tempDir(), "imported");
    const r = await rolec(["import", "--db", databaseUrl, "--out", out]);
    t.is(r.code, 0, r.stderr);
    t.false(hasStackTrace(r.stderr));
    t.regex(r.stderr, /warning: role attr_root is left out: it is a superuser/);
    const imported = readFileSync(path.join(out, "roles.roles"), "utf8");
    t.regex(imported, /^role attr_etl login createdb \{$/m);
    t.regex(imported, /^role attr_ops createrole replication bypassrls \{$/m);
    t.regex(imported, /^role attr_plain \{$/m);
    const reimported = programOf({ "schemas.roles": readFileSync(path.join(out, "schemas.roles"), "utf8"), "roles.roles": imported });
    t.deepEqual(reimported.diagnostics.filter((d) => d.severity === "error"), []);
    // attr_root holds SELECT but is not declared: plan lists it as unmanaged and changes nothing else.
    const replanned = await planOnPostgres(reimported.model, session);
    t.deepEqual(replanned.plan.changes, []);
  });
});

test("verify on PGlite proves the attributes, and catches a script that leaves one out", async (t) => {
  const session = await openPglite();
  try {
    const good = await verifyScript(program.model, renderPostgres(program.model), session);
    t.true(verified(good), JSON.stringify(good.roleMismatches));
  } finally {
    await session.close();
  }
  const tampered = renderPostgres(program.model).replaceAll(`ALTER ROLE "attr_etl" WITH NOSUPERUSER NOCREATEROLE CREATEDB`, `ALTER ROLE "attr_etl" WITH NOSUPERUSER NOCREATEROLE NOCREATEDB`);
  t.not(tampered, renderPostgres(program.model), "the tampering must change the script");
  const again = await openPglite();
  try {
    const report = await verifyScript(program.model, tampered, again);
    t.false(verified(report));
    t.deepEqual(report.roleMismatches.map((m) => `${m.role} ${m.what}: ${m.expected} / ${m.actual}`), ["attr_etl powers: createdb / (none)"]);
  } finally {
    await again.close();
  }
});

test("verify proves createrole and bypassrls with real statements: CREATE ROLE and a table whose policy hides every row", async (t) => {
  // Both attributes moved from attr_ops to attr_plain: the catalog check and the statements say so.
  const tampered = renderPostgres(program.model)
    .replaceAll(`ALTER ROLE "attr_ops" WITH NOSUPERUSER CREATEROLE NOCREATEDB REPLICATION BYPASSRLS`, `ALTER ROLE "attr_ops" WITH NOSUPERUSER NOCREATEROLE NOCREATEDB REPLICATION NOBYPASSRLS`)
    // The script sets powers only where they differ from the declared ones: the extra ones are added just before COMMIT.
    .replace(/COMMIT;\s*$/, `ALTER ROLE "attr_plain" CREATEROLE BYPASSRLS;\nCOMMIT;\n`);
  t.not(tampered, renderPostgres(program.model));
  const session = await openPglite();
  try {
    const report = await verifyScript(program.model, tampered, session);
    const probes = report.roleMismatches.filter((m) => m.what.includes("(")).map((m) => `${m.role} ${m.what}: ${m.expected} / ${m.actual}`);
    t.deepEqual(probes, [
      "attr_ops createrole (CREATE ROLE as the role): allowed / denied",
      "attr_ops bypassrls (rows of a table whose policy hides them all): 1 / 0",
      "attr_plain createrole (CREATE ROLE as the role): denied / allowed",
      "attr_plain bypassrls (rows of a table whose policy hides them all): 0 / 1",
    ]);
  } finally {
    await session.close();
  }
});

test("verify's attribute probes move their schema aside from one the program declares under the same name", async (t) => {
  const clash = programOf("schema rolec_verify_attributes { table t (a) }\nrole attr_clash createrole { select on rolec_verify_attributes.t }\n");
  const session = await openPglite();
  try {
    const report = await verifyScript(clash.model, renderPostgres(clash.model), session);
    t.true(verified(report), JSON.stringify(report.roleMismatches));
  } finally {
    await session.close();
  }
});
