import test from "ava";
import { readdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { quoteMysqlIdent } from "../../src/engine/mysql/index.js";
import { openMysql } from "../../src/engine/mysql/index.js";
import { openPgServer } from "../../src/engine/postgres/index.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { openScratchDatabase, serverUrl, withMysqlScratchDatabase } from "../helpers/databases.js";

// Every command that connects ends, in bounded time and on one line, when the server does not answer:
// at the connection (--connect-timeout) and at a statement stuck behind another session's lock (--statement-timeout).
const pgUrl = serverUrl("ROLEC_TEST_PG_URL");
const mysqlUrl = serverUrl("ROLEC_TEST_MYSQL_URL");

/** A server that accepts connections and never says a word, as a hung or hostile database would. */
async function silentServer(): Promise<{ port: number; close: () => void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

function project(text = "schema s { table t (a) }\nrole cli_timeout_reader { select on s.t }\n"): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.roles"), text);
  return dir;
}

const connecting: [string, (db: string, out: string) => string[]][] = [
  ["plan", (db) => ["plan", project(), "--db", db]],
  ["apply", (db) => ["apply", project(), "--db", db, "--yes"]],
  ["import", (db, out) => ["import", "--db", db, "--out", out]],
  ["pull", (db, out) => ["pull", "--db", db, "--out", path.join(out, "schema.snapshot.json")]],
  ["verify --db", (db) => ["verify", project(), "--db", db, ...(db.startsWith("mysql") ? ["--target", "mysql"] : [])]],
];

for (const scheme of ["postgres", "mysql"]) {
  for (const [name, args] of connecting) {
    test(`${name} against a ${scheme} server that never answers: one line naming the connect timeout, exit 1, nothing written`, async (t) => {
      const server = await silentServer();
      try {
        const out = tempDir();
        const started = Date.now();
        const r = await rolec([...args(`${scheme}://someone@127.0.0.1:${server.port}/db`, out), "--connect-timeout", "1"]);
        const seconds = (Date.now() - started) / 1000;
        t.is(r.code, 1, r.stderr);
        t.regex(r.stderr, new RegExp(`^rolec: cannot connect to ${scheme}://someone@127\\.0\\.0\\.1:${server.port}/db: no answer within 1 s \\(--connect-timeout 1\\)$`, "m"));
        t.false(hasStackTrace(r.stderr), r.stderr);
        t.deepEqual(readdirSync(out), [], "nothing written");
        // Starting node and reading the sources take a few seconds on a busy machine; a hang takes forever.
        t.true(seconds < 60, `took ${seconds} s`);
      } finally {
        server.close();
      }
    });
  }
}

test("a timeout option that is not a number of seconds is one line, exit 1", async (t) => {
  for (const [option, value] of [["--connect-timeout", "0"], ["--statement-timeout", "soon"], ["--statement-timeout", "-1"]] as const) {
    const r = await rolec(["plan", project(), "--db", "postgres://someone@127.0.0.1:1/db", option, value]);
    t.is(r.code, 1);
    t.regex(r.stderr, new RegExp(`^rolec: ${option} takes a number of seconds`, "m"));
    t.false(hasStackTrace(r.stderr), r.stderr);
  }
});

(pgUrl ? test : test.skip)("PostgreSQL: a GRANT stuck behind another session's lock stops apply at --statement-timeout, and nothing is changed", async (t) => {
  const roles = ["cli_timeout_pg_reader", "cli_timeout_pg_other"];
  const scratch = await openScratchDatabase(pgUrl!, roles);
  const holder = await openPgServer(scratch.databaseUrl);
  try {
    await holder.exec(`CREATE SCHEMA s; CREATE TABLE s.t1 (a text); CREATE TABLE s.t2 (a text); CREATE ROLE cli_timeout_pg_other`);
    // An open transaction that changed s.t2's privileges holds its pg_class row: apply's GRANT on s.t2 waits for it.
    await holder.exec("BEGIN; GRANT INSERT ON s.t2 TO cli_timeout_pg_other");
    const dir = project("schema s {\n  table t1 (a)\n  table t2 (a)\n}\nrole cli_timeout_pg_reader {\n  select on s.t1\n  select on s.t2\n}\n");
    const started = Date.now();
    const r = await rolec(["apply", dir, "--db", scratch.databaseUrl, "--yes", "--statement-timeout", "1"]);
    t.is(r.code, 1, r.stderr);
    t.regex(r.stderr, /^rolec: apply failed, and changed nothing: \S+ did not finish a statement within 1 s \(--statement-timeout 1\): "GRANT SELECT ON /m);
    t.false(hasStackTrace(r.stderr), r.stderr);
    t.true((Date.now() - started) / 1000 < 60);
    await holder.exec("ROLLBACK");
    const created = await holder.query("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'cli_timeout_pg_reader'");
    t.deepEqual(created, [], "the role apply created was rolled back with everything else");
  } finally {
    await holder.close();
    await scratch.close();
  }
});

(mysqlUrl ? test.serial : test.serial.skip)("MySQL/MariaDB: a GRANT stuck behind a lock stops apply at --statement-timeout, with the stopped-halfway report", async (t) => {
  const role = "cli_timeout_my_reader";
  await withMysqlScratchDatabase(mysqlUrl!, "cli_timeout_", [`DROP ROLE IF EXISTS ${quoteMysqlIdent(role)}`], async (session, db) => {
    await session.query(`CREATE TABLE ${quoteMysqlIdent(db)}.t1 (a TEXT)`);
    await session.query(`CREATE TABLE ${quoteMysqlIdent(db)}.t2 (a TEXT)`);
    await session.query(`CREATE ROLE ${quoteMysqlIdent(role)}`);
    // Reading the grant tables goes on; writing a column grant waits for the other session's lock.
    const holder = await openMysql(mysqlUrl!);
    try {
      await holder.query("LOCK TABLES mysql.columns_priv READ");
      const dir = project(`schema ${db} {\n  table t1 (a)\n  table t2 (a)\n}\nrole ${role} {\n  select on ${db}.t1\n  select (a) on ${db}.t2\n}\n`);
      const started = Date.now();
      const r = await rolec(["apply", dir, "--db", mysqlUrl!, "--yes", "--statement-timeout", "1"]);
      t.is(r.code, 1, r.stderr);
      t.regex(r.stderr, /^rolec: apply stopped at statement 2 of 2: \S+ did not finish a statement within 1 s \(--statement-timeout 1\): "GRANT SELECT \(`a`\)/m);
      t.regex(r.stderr, /MySQL commits each statement as it runs, so those before it stay applied:\n {4}GRANT SELECT ON /);
      t.false(hasStackTrace(r.stderr), r.stderr);
      t.true((Date.now() - started) / 1000 < 60);
    } finally {
      await holder.close();
    }
  });
});

(mysqlUrl ? test.serial : test.serial.skip)("MySQL/MariaDB: plan whose catalog read waits for a lock ends at --statement-timeout, naming the statement", async (t) => {
  await withMysqlScratchDatabase(mysqlUrl!, "cli_timeout_", [], async (session, db) => {
    await session.query(`CREATE TABLE ${quoteMysqlIdent(db)}.t (a TEXT)`);
    const holder = await openMysql(mysqlUrl!);
    try {
      await holder.query("LOCK TABLES mysql.tables_priv WRITE");
      const r = await rolec(["plan", project(`schema ${db} { table t (a) }\nrole cli_timeout_my_planner { select on ${db}.t }\n`), "--db", mysqlUrl!, "--statement-timeout", "1"]);
      t.is(r.code, 1, r.stderr);
      t.regex(r.stderr, /^rolec: \S+ did not finish a statement within 1 s \(--statement-timeout 1\): "SELECT User AS user, Host AS host, Db AS db, Table_name AS tbl/m);
      t.false(hasStackTrace(r.stderr), r.stderr);
    } finally {
      await holder.close();
    }
  });
});
