import test from "ava";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { appendOnlyNames, quoteIdent } from "../../src/engine/postgres/index.js";
import { applyOnPostgres, planOnPostgres } from "../../src/engine/postgres/index.js";
import { compileProgram } from "../../src/load/index.js";
import { openPgServer } from "../../src/engine/postgres/index.js";
import { scratchSchemaSql } from "../../src/engine/postgres/verify/scratch-schema.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withScratchDatabase } from "../helpers/databases.js";
import { exampleNames, exampleProgram } from "../helpers/program.js";

// rolec import on the PostgreSQL server: the files it writes are formatted and check, and plan
// against the same database then finds nothing to change.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const roles = ["imp_reader", "imp_app", "imp_auditor", "imp_owner", appendOnlyNames.owner];

function filesIn(dir: string) {
  return readdirSync(dir)
    .sort()
    .map((name) => ({ path: name, text: readFileSync(path.join(dir, name), "utf8") }));
}

serverTest("import of a database with column grants, a membership chain, sequences, partitions and an append-only table: plan then has nothing to change", async (t) => {
  await withScratchDatabase(url!, roles, async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(`
        CREATE ROLE imp_owner;
        CREATE SCHEMA "odd ""schema""" AUTHORIZATION imp_owner;
        CREATE TABLE "odd ""schema""".customers (id int, email text, "SSN no" text);
        CREATE TABLE "odd ""schema""".events (id int, at date) PARTITION BY RANGE (at);
        CREATE TABLE "odd ""schema""".events_2025 PARTITION OF "odd ""schema""".events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
        CREATE TABLE "odd ""schema""".log (id int, what text);
        CREATE VIEW "odd ""schema""".v AS SELECT id FROM "odd ""schema""".customers;
        CREATE SEQUENCE "odd ""schema""".ids;
        ALTER TABLE "odd ""schema""".customers OWNER TO imp_owner;
        ALTER TABLE "odd ""schema""".events OWNER TO imp_owner;
        ALTER TABLE "odd ""schema""".log OWNER TO imp_owner;
        ALTER VIEW "odd ""schema""".v OWNER TO imp_owner;
        ALTER SEQUENCE "odd ""schema""".ids OWNER TO imp_owner;
      `);
      // The append-only guard and part of the grants come from rolec itself; the rest by hand.
      const start = compileProgram([
        {
          path: "start.roles",
          text: `schema "odd ""schema""" {
  table customers (id, email, "SSN no")
  append_only table log (id, what)
}
role imp_auditor { select on "odd ""schema""".log }
`,
        },
      ]);
      t.is((await applyOnPostgres(start.model, session, { confirm: async () => true })).kind, "applied");
      await session.exec(`
        CREATE ROLE imp_reader;
        COMMENT ON ROLE imp_reader IS 'Reads what is not personal.';
        CREATE ROLE imp_app LOGIN CONNECTION LIMIT 4 IN ROLE imp_reader;
        GRANT imp_auditor TO imp_reader;
        GRANT USAGE ON SCHEMA "odd ""schema""" TO imp_reader, imp_app;
        GRANT SELECT (id, email) ON "odd ""schema""".customers TO imp_reader;
        GRANT INSERT, UPDATE (email) ON "odd ""schema""".customers TO imp_app;
        GRANT INSERT ON "odd ""schema""".log TO imp_app;
        GRANT SELECT ON "odd ""schema""".v, "odd ""schema""".events TO imp_reader;
        GRANT USAGE, SELECT ON SEQUENCE "odd ""schema""".ids TO imp_app;
      `);

      const out = path.join(tempDir(), "roles");
      const r = await rolec(["import", "--db", databaseUrl, "--out", out]);
      t.is(r.code, 0, r.stderr);
      t.regex(r.stdout, /rolec plan against .* with these files: no changes/);
      t.regex(r.stderr, /warning: role imp_owner is left out: it owns imported objects/);
      const files = filesIn(out);
      t.deepEqual(files.map((f) => f.path), ["roles.roles", "schemas.roles"]);
      const schemas = files[1]!.text;
      t.regex(schemas, /^schema "odd ""schema""" \{$/m);
      t.regex(schemas, /^ {2}append_only table log \(id, what\)$/m);
      t.regex(schemas, /^ {2}table events \(id, at\) partitions \(events_2025\)$/m);
      t.regex(files[0]!.text, /^\/\/\/ Reads what is not personal\.\nrole imp_reader \{\n {2}member of imp_auditor\n {2}select \(id, email\) on "odd ""schema"""\.customers$/m);
      t.regex(files[0]!.text, /^role imp_app login connection_limit 4 \{$/m);
      t.regex(files[0]!.text, /^ {2}insert on "odd ""schema"""\.customers\n {2}update \(email\) on "odd ""schema"""\.customers$/m);
      t.regex(files[0]!.text, /^ {2}select, usage on "odd ""schema"""\.ids$/m);

      const fmt = await rolec(["fmt", "--check", out]);
      t.is(fmt.code, 0, fmt.stdout + fmt.stderr);
      const program = compileProgram(files);
      t.deepEqual(program.diagnostics.filter((d) => d.severity === "error"), []);
      const planned = await planOnPostgres(program.model, session);
      t.deepEqual(planned.plan.changes.map((c) => c.kind), []);
      t.deepEqual(planned.plan.blockers, []);

      const again = await rolec(["import", "--db", databaseUrl, "--out", out]);
      t.is(again.code, 1);
      t.regex(again.stderr, /already holds \.roles files .* pass --force/);
      t.false(hasStackTrace(again.stderr));
    } finally {
      await session.close();
    }
  });
});

serverTest("what the language cannot say is a warning, and the command lists what plan would still change", async (t) => {
  await withScratchDatabase(url!, roles, async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(`
        CREATE SCHEMA s; CREATE TABLE s.t (a int, b int);
        CREATE ROLE imp_reader;
        GRANT USAGE ON SCHEMA s TO imp_reader;
        GRANT SELECT ON s.t TO imp_reader WITH GRANT OPTION;
        GRANT UPDATE (b) ON s.t TO imp_reader WITH GRANT OPTION;
        GRANT SELECT (a) ON s.t TO PUBLIC;
        CREATE TABLE s.audit (at date, what text);
      `);
      const guard = compileProgram([{ path: "guard.roles", text: "schema s { append_only table audit (at, what) }\n" }]);
      t.is((await applyOnPostgres(guard.model, session, { confirm: async () => true })).kind, "applied");
      await session.exec("GRANT SELECT, UPDATE ON s.audit TO imp_reader; CREATE VIEW s.v AS SELECT a FROM s.t; GRANT SELECT, REFERENCES ON s.v TO imp_reader");
      const out = path.join(tempDir(), "roles");
      const r = await rolec(["import", "--db", databaseUrl, "--schema", "s", "--out", out]);
      t.is(r.code, 0, r.stderr);
      // A grant option on a whole table is said; one on a column is not.
      t.regex(readFileSync(path.join(out, "roles.roles"), "utf8"), /^ {2}select on s\.t with grant option$/m);
      t.regex(r.stderr, /warning: role imp_reader holds UPDATE \(b\) on s\.t WITH GRANT OPTION, which the language declares on whole objects only; plan will revoke the grant option/);
      t.regex(r.stdout, /revoke-grant-option imp_reader: GRANT OPTION for UPDATE \(b\) on s\.t/);
      // PUBLIC's column grant is said in a public block; the USAGE that goes with it is what plan adds.
      t.regex(readFileSync(path.join(out, "roles.roles"), "utf8"), /^public \{\n {2}select \(a\) on s\.t\n\}$/m);
      t.regex(r.stderr, /warning: PUBLIC is granted objects in schema s without USAGE on it; rolec grants USAGE with them, so plan will add it/);
      t.regex(r.stderr, /warning: role imp_reader holds UPDATE on s\.audit, which is append-only; plan will revoke it/);
      t.regex(r.stderr, /warning: role imp_reader holds REFERENCES on view s\.v, which the language cannot grant; plan will revoke it/);
      t.regex(r.stdout, /would still make 4 change\(s\)/);
      t.regex(r.stdout, /revoke imp_reader: UPDATE on s\.audit/);
      t.regex(readFileSync(path.join(out, "roles.roles"), "utf8"), /^ {2}select on s\.audit$/m);
      t.regex(r.stdout, /PUBLIC: USAGE on schema s/);
      t.notRegex(r.stdout, /revoke PUBLIC: SELECT \(a\) on s\.t/);

      const missing = await rolec(["import", "--db", databaseUrl, "--schema", "nope", "--out", path.join(tempDir(), "x")]);
      t.is(missing.code, 1);
      t.regex(missing.stderr, /^rolec: the database has no schema "nope"/m);
      const unreachable = await rolec(["import", "--db", "mysql://root@127.0.0.1:1/", "--out", path.join(tempDir(), "y")]);
      t.is(unreachable.code, 1);
      t.regex(unreachable.stderr, /^rolec: cannot connect to mysql:\/\/root@127\.0\.0\.1:1\//);
    } finally {
      await session.close();
    }
  });
});

serverTest("a grant on a partition is written as a line naming the partition (a hostile name too), and plan with the files is empty", async (t) => {
  await withScratchDatabase(url!, roles, async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(`
        CREATE ROLE imp_owner; CREATE ROLE imp_reader; CREATE ROLE imp_app;
        CREATE SCHEMA s AUTHORIZATION imp_owner;
        CREATE TABLE s.events (id int, at date) PARTITION BY RANGE (at);
        CREATE TABLE s."events ""2025""" PARTITION OF s.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
        ALTER TABLE s.events OWNER TO imp_owner; ALTER TABLE s."events ""2025""" OWNER TO imp_owner;
        GRANT USAGE ON SCHEMA s TO imp_reader, imp_app;
        GRANT SELECT ON s.events TO imp_reader;
        GRANT SELECT ON s."events ""2025""" TO imp_reader;
        GRANT INSERT ON s.events TO imp_app;
        GRANT UPDATE (id, at) ON s."events ""2025""" TO imp_app;
      `);
      const out = path.join(tempDir(), "roles");
      const r = await rolec(["import", "--db", databaseUrl, "--out", out]);
      t.is(r.code, 0, r.stderr);
      t.false(hasStackTrace(r.stderr));
      t.notRegex(r.stderr, /partition/);
      t.regex(r.stdout, /plan .* no changes/);
      t.regex(readFileSync(path.join(out, "schemas.roles"), "utf8"), /^ {2}table events \(id, at\) partitions \("events ""2025"""\)$/m);
      const written = readFileSync(path.join(out, "roles.roles"), "utf8");
      t.regex(written, /^role imp_reader \{\n {2}select on s\.events\n {2}select on s\."events ""2025"""\n\}$/m);
      t.regex(written, /^role imp_app \{\n {2}insert on s\.events\n {2}update \(id, at\) on s\."events ""2025"""\n\}$/m);

      const imported = compileProgram(filesIn(out));
      t.deepEqual(imported.diagnostics.filter((d) => d.severity === "error"), []);
      const planned = await planOnPostgres(imported.model, session);
      t.deepEqual(planned.plan.blockers, []);
      t.deepEqual(planned.plan.changes, []);
    } finally {
      await session.close();
    }
  });
});

serverTest("import of one database of a cluster leaves out another database's roles, names its roles' other parents as external, and round-trips", async (t) => {
  const clusterRoles = ["imx_app", "imx_db1_rw", "imx_db1_ro", "imx_alice", "imx_db2_rw", "imx_db2_only", "imx_db2_ro"];
  await withScratchDatabase(url!, clusterRoles, async (databaseUrl) => {
    const other = `${decodeURIComponent(new URL(databaseUrl).pathname.slice(1))}_other`;
    const admin = await openPgServer(databaseUrl);
    const session = await openPgServer(databaseUrl);
    let db2: Awaited<ReturnType<typeof openPgServer>> | undefined;
    try {
      await admin.exec(`CREATE DATABASE ${quoteIdent(other)}`);
      const otherUrl = new URL(databaseUrl);
      otherUrl.pathname = `/${encodeURIComponent(other)}`;
      db2 = await openPgServer(otherUrl.toString());
      // Database 1: its roles, and the shared login imx_app, also a member of database 2's role.
      await session.exec(`
        CREATE SCHEMA s1; CREATE TABLE s1.t1 (id int, note text);
        CREATE ROLE imx_db1_rw; CREATE ROLE imx_db1_ro;
        CREATE ROLE imx_db2_rw; CREATE ROLE imx_db2_ro; CREATE ROLE imx_db2_only;
        CREATE ROLE imx_app LOGIN IN ROLE imx_db1_rw, imx_db2_rw;
        CREATE ROLE imx_alice IN ROLE imx_db1_ro;
        GRANT imx_db2_ro TO imx_db2_rw;
        GRANT USAGE ON SCHEMA s1 TO imx_db1_rw, imx_db1_ro;
        GRANT SELECT, INSERT ON s1.t1 TO imx_db1_rw;
        GRANT SELECT (id) ON s1.t1 TO imx_db1_ro;
      `);
      // Database 2: roles that hold something only there.
      await db2.exec(`
        CREATE SCHEMA s2; CREATE TABLE s2.t2 (id int, note text);
        GRANT USAGE ON SCHEMA s2 TO imx_db2_rw, imx_db2_only;
        GRANT SELECT, UPDATE ON s2.t2 TO imx_db2_rw;
        GRANT SELECT ON s2.t2 TO imx_db2_only;
      `);

      const out = path.join(tempDir(), "roles");
      const r = await rolec(["import", "--db", databaseUrl, "--out", out]);
      t.is(r.code, 0, r.stderr);
      t.regex(r.stdout, /with these files: no changes/, r.stdout + r.stderr);
      const left = /^warning: left out (\d+) role\(s\) that hold nothing on the imported objects and are members of no role that does: (.*)$/m.exec(r.stderr);
      t.truthy(left, r.stderr);
      const leftOut = left![2]!.split(", ");
      t.is(Number(left![1]), leftOut.length);
      t.true(leftOut.includes("imx_db2_only") && leftOut.includes("imx_db2_ro"), left![0]);
      for (const name of ["imx_app", "imx_alice", "imx_db1_rw", "imx_db1_ro", "imx_db2_rw"]) t.false(leftOut.includes(name), `${name} in ${left![0]}`);
      t.false(/imx_db2_rw, which is not imported/.test(r.stderr), "the membership in the external role is no warning: it is left alone");

      const written = readFileSync(path.join(out, "roles.roles"), "utf8");
      t.regex(written, /^role imx_app login \{\n {2}member of imx_db1_rw\n\}$/m);
      t.regex(written, /^role imx_alice \{\n {2}member of imx_db1_ro\n\}$/m);
      t.regex(written, /^external role imx_db2_rw$/m);
      t.false(/imx_db2_only|imx_db2_ro\b/.test(written), written);
      const fmt = await rolec(["fmt", "--check", out]);
      t.is(fmt.code, 0, fmt.stdout + fmt.stderr);
      // Under --strict: no empty roles (RC0803) any more, nor anything else but the review lint
      // that rightly finds imx_alice unused (no login, no members: RC1004).
      const check = await rolec(["check", "--strict", "--format", "json", out]);
      const codes = (JSON.parse(check.stdout) as { diagnostics: { code: string; message: string }[] }).diagnostics.map((d) => `${d.code} ${d.message.split(" ").slice(0, 2).join(" ")}`);
      t.deepEqual(codes, ['RC1004 role "imx_alice"']);

      const imported = compileProgram(filesIn(out));
      const planned = await planOnPostgres(imported.model, session);
      t.deepEqual(planned.plan.changes, []);
      t.deepEqual(planned.plan.blockers, []);
      t.deepEqual(planned.plan.unmanaged, []);

      // The other database's import says the same of this one: both programs now coexist.
      const out2 = path.join(tempDir(), "roles2");
      const r2 = await rolec(["import", "--db", otherUrl.toString(), "--out", out2]);
      t.is(r2.code, 0, r2.stderr);
      t.regex(r2.stdout, /with these files: no changes/, r2.stdout + r2.stderr);
      const written2 = readFileSync(path.join(out2, "roles.roles"), "utf8");
      t.regex(written2, /^external role imx_db1_rw$/m);
      t.regex(written2, /^role imx_app login \{\n {2}member of imx_db2_rw\n\}$/m);
      // imx_db2_ro holds nothing anywhere: a parent of an imported role, it is external here too.
      t.regex(written2, /^external role imx_db2_ro$/m);
      t.regex(written2, /^role imx_db2_rw \{\n {2}select, update on s2\.t2\n\}$/m);
      const imported2 = compileProgram(filesIn(out2));
      t.is((await applyOnPostgres(imported.model, session, { confirm: async () => true })).kind, "nothing to do");
      t.is((await applyOnPostgres(imported2.model, db2, { confirm: async () => true })).kind, "nothing to do");
    } finally {
      await db2?.close();
      await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(other)} WITH (FORCE)`).catch(() => undefined);
      await admin.close();
      await session.close();
    }
  });
});

for (const name of exampleNames) {
  serverTest(`example ${name}: apply, import, and plan with the imported files finds nothing to change`, async (t) => {
    const example = await exampleProgram(name);
    await withScratchDatabase(url!, [...example.model.roles.map((r) => r.name), appendOnlyNames.owner], async (databaseUrl) => {
      const session = await openPgServer(databaseUrl);
      try {
        await session.exec(scratchSchemaSql(example.model).sql);
        t.is((await applyOnPostgres(example.model, session, { confirm: async () => true })).kind, "applied");
        const out = path.join(tempDir(), "roles");
        mkdirSync(out);
        writeFileSync(path.join(out, "notes.txt"), "not a .roles file\n");
        const schemas = [...new Set(example.model.objects.map((o) => o.schema))];
        const r = await rolec(["import", "--db", databaseUrl, "--out", out, ...schemas.flatMap((s) => ["--schema", s])]);
        t.is(r.code, 0, r.stderr);
        t.regex(r.stdout, /with these files: no changes/, r.stdout + r.stderr);
        const imported = compileProgram(filesIn(out).filter((f) => f.path.endsWith(".roles")));
        t.deepEqual((await planOnPostgres(imported.model, session)).plan.changes.map((c) => `${c.kind} ${c.role}`), []);
        t.deepEqual(imported.model.roles.map((r) => r.name), example.model.roles.map((r) => r.name));
      } finally {
        await session.close();
      }
    });
  });
}
