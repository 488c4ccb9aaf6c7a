import test from "ava";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openPgServer } from "../../src/engine/postgres/index.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withScratchDatabase } from "../helpers/databases.js";

const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;

// Role names of this file's own, so the run never meets another test's roles on the server.
const program = `schema s { table t (a, b) }
role cli_plan_reader { select (a) on s.t }
role cli_plan_app login { member of cli_plan_reader
  insert on s.t }
`;

function project(): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.roles"), program);
  return dir;
}

serverTest("plan exits 2 with changes, apply --yes makes them, and plan then exits 0; drift shows and exits 2", async (t) => {
  await withScratchDatabase(url!, ["cli_plan_reader", "cli_plan_app"], async (databaseUrl) => {
    const admin = await openPgServer(databaseUrl);
    try {
      await admin.exec("CREATE SCHEMA s; CREATE TABLE s.t (a int, b int)");
      const dir = project();
      const first = await rolec(["plan", dir, "--db", databaseUrl]);
      t.is(first.code, 2, first.stderr);
      t.regex(first.stdout, /role cli_plan_app\n {2}\+ create role \(LOGIN, connection limit -1\)/);
      t.regex(first.stdout, /\+ SELECT \(a\) on s\.t +\S*a\.roles:2/);
      t.regex(first.stdout, /Plan: \d+ to add, 0 to change, 0 to take away \(0 drift\)\./);

      const refused = await rolec(["apply", dir, "--db", databaseUrl]);
      t.is(refused.code, 1);
      t.regex(refused.stderr, /apply needs a terminal to ask for confirmation/);

      const applied = await rolec(["apply", dir, "--db", databaseUrl, "--yes"]);
      t.is(applied.code, 0, applied.stderr);
      t.regex(applied.stderr, /Applied: \d+ added/);
      const clean = await rolec(["plan", dir, "--db", databaseUrl]);
      t.is(clean.code, 0, clean.stdout + clean.stderr);
      t.regex(clean.stdout, /No changes/);

      await admin.exec("GRANT UPDATE (b) ON s.t TO cli_plan_reader");
      const drift = await rolec(["plan", dir, "--db", databaseUrl, "--format", "json"]);
      t.is(drift.code, 2);
      const json = JSON.parse(drift.stdout);
      t.deepEqual(
        json.changes.map((c: { kind: string; role: string; drift: boolean; sql: string }) => [c.kind, c.role, c.drift, c.sql]),
        [["revoke", "cli_plan_reader", true, 'REVOKE UPDATE ("b") ON TABLE "s"."t" FROM "cli_plan_reader" CASCADE;']],
      );
      t.is((await rolec(["apply", dir, "--db", databaseUrl, "--yes"])).code, 0);
      t.is((await rolec(["plan", dir, "--db", databaseUrl])).code, 0);
    } finally {
      await admin.close();
    }
  });
});

serverTest("plan with a missing table is blocked: exit 1, and apply changes nothing", async (t) => {
  await withScratchDatabase(url!, ["cli_plan_reader", "cli_plan_app"], async (databaseUrl) => {
    const dir = project();
    const r = await rolec(["plan", dir, "--db", databaseUrl]);
    t.is(r.code, 1);
    t.regex(r.stdout, /cannot apply until these are fixed:\n {2}! s\.t does not exist/);
    const applied = await rolec(["apply", dir, "--db", databaseUrl, "--yes"]);
    t.is(applied.code, 1);
    const admin = await openPgServer(databaseUrl);
    try {
      t.deepEqual(await admin.query("SELECT rolname FROM pg_roles WHERE rolname LIKE 'cli_plan_%'"), []);
    } finally {
      await admin.close();
    }
  });
});

test("plan against a database that does not answer is one line, without the password, even from --db-password-env", async (t) => {
  const r = await rolec(["plan", project(), "--db", "postgres://someone@127.0.0.1:1/x", "--db-password-env", "ROLEC_TEST_SECRET"], { env: { ROLEC_TEST_SECRET: "s3cret" } });
  t.is(r.code, 1);
  t.regex(r.stderr, /rolec: cannot connect to postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/x/);
  t.false(r.stderr.includes("s3cret"));
  t.false(hasStackTrace(r.stderr));
  const unset = await rolec(["plan", project(), "--db", "postgres://someone@127.0.0.1:1/x", "--db-password-env", "ROLEC_TEST_NOT_SET"]);
  t.is(unset.code, 1);
  t.regex(unset.stderr, /--db-password-env names ROLEC_TEST_NOT_SET, which is not set/);
  const bad = await rolec(["plan", project(), "--db", "oracle://x"]);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /--db must start with postgres:\/\//);
});

serverTest("a PostgreSQL URL that names no database is refused in one line by plan, apply, import and pull, before anything is read or written", async (t) => {
  const server = new URL(url!);
  for (const pathname of ["", "/"]) {
    server.pathname = pathname;
    const noDatabase = server.toString().replace(/\/$/, pathname);
    const out = path.join(tempDir(), "out");
    for (const args of [
      ["plan", project()],
      ["apply", project(), "--yes"],
      ["import", "--out", out],
      ["pull", "--out", path.join(out, "s.json")],
    ]) {
      const r = await rolec([...args, "--db", noDatabase]);
      t.is(r.code, 1, `${args[0]} ${noDatabase}: ${r.stdout}`);
      t.regex(r.stderr, /^rolec: --db postgres:\/\/\S+ names no database; add \/DBNAME, as in postgres:\/\/\S+\/DBNAME\n$/, `${args[0]} ${noDatabase}`);
      t.is(r.stdout, "", `${args[0]} ${noDatabase}: no plan, no blockers`);
      t.false(existsSync(out));
    }
  }
});
