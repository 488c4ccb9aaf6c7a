import test from "ava";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { openPgServer } from "../../src/engine/postgres/index.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withScratchDatabase } from "../helpers/databases.js";

const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;

// Role names of this file's own, so the run never meets another test's roles on the server.
const program = `schema s { table t (a, b)\n sequence q }
role cli_db_reader { select (a) on s.t }
role cli_db_app login { member of cli_db_reader
  insert on s.t
  usage on s.q }
`;

serverTest("verify --db proves the script on the server, then leaves no database and no role behind", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.roles"), program);
  // Under the server tests' lock: verify takes any role that appears while it runs for one the script made.
  const r = await withScratchDatabase(url!, [], () => rolec(["verify", dir, "--db", url!]));
  t.is(r.code, 0, r.stdout + r.stderr);
  t.regex(r.stdout, /OK: roles, memberships/);
  t.regex(r.stderr, /using a scratch database on postgres:/);
  const admin = await openPgServer(url!);
  try {
    t.deepEqual(await admin.query("SELECT rolname FROM pg_roles WHERE rolname LIKE 'cli_db_%'"), []);
    t.deepEqual(await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'rolec_verify_%'"), []);
  } finally {
    await admin.close();
  }
});

serverTest("verify --db needs no database in the URL: it makes its own scratch database", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.roles"), program);
  const server = new URL(url!);
  server.pathname = "";
  // Under the server tests' lock (the scratch database itself goes unused): verify reads roles cluster-wide.
  await withScratchDatabase(url!, [], async () => {
    const r = await rolec(["verify", dir, "--db", server.toString().replace(/\/$/, "")]);
    t.is(r.code, 0, r.stdout + r.stderr);
    t.regex(r.stdout, /OK: roles, memberships/);
  });
});

serverTest("verify --db refuses a server where a declared role already exists", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.roles"), program);
  const admin = await openPgServer(url!);
  try {
    await admin.exec("CREATE ROLE cli_db_reader");
    const r = await rolec(["verify", dir, "--db", url!]);
    t.is(r.code, 1);
    t.regex(r.stderr, /"cli_db_reader" already exist/);
    t.deepEqual(await admin.query("SELECT rolname FROM pg_roles WHERE rolname = 'cli_db_reader'"), [{ rolname: "cli_db_reader" }], "left as it was");
  } finally {
    await admin.exec("DROP ROLE IF EXISTS cli_db_reader");
    await admin.close();
  }
});

test("verify --db on a server that does not answer is one line, without the password", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.roles"), program);
  const r = await rolec(["verify", dir, "--db", "postgres://someone:s3cret@127.0.0.1:1/db"]);
  t.is(r.code, 1);
  t.regex(r.stderr, /^rolec: cannot connect to postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/db: .*ECONNREFUSED/m);
  t.false(r.stderr.includes("s3cret"));
  t.false(hasStackTrace(r.stderr));
});
