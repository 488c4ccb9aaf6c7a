import test from "ava";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { openMysql, type MysqlSession } from "../../src/engine/mysql/index.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withMysqlLock } from "../helpers/databases.js";

// A freshly installed MariaDB has anonymous accounts (''@'localhost'). The server matches a login
// to the account with the most specific host first, whatever the user name, so ''@'localhost'
// takes a login from localhost meant for 'x'@'%'. verify's own probe account must not be caught
// by it, and a declared account that is must be named on one line, never an "internal error".
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.serial.skip;

/**
 * Runs `fn` with an anonymous account for the host the server sees this client as, under the
 * server lock (other tests log in as accounts, and would be caught by it too), and drops it
 * afterwards unless it was there already.
 */
async function withAnonymousAccount(fn: (host: string) => Promise<void>): Promise<void> {
  await withMysqlLock(url!, async () => {
    const admin: MysqlSession = await openMysql(url!);
    const [who] = await admin.query<{ seen: string; matched: string }>("SELECT USER() AS seen, CURRENT_USER() AS matched");
    const host = who!.seen.slice(who!.seen.lastIndexOf("@") + 1);
    // Our own logins must keep winning: an admin account for '%' would lose to ''@host as well.
    if (who!.matched.slice(who!.matched.lastIndexOf("@") + 1) !== host) {
      await admin.close();
      throw new Error(`this test needs the test server's admin account to be for the host it sees the tests connect from (${who!.seen}), not ${who!.matched}`);
    }
    const existed = (await admin.query("SELECT 1 FROM mysql.user WHERE User = '' AND Host = ?", [host])).length > 0;
    try {
      if (!existed) await admin.query("CREATE USER ''@?", [host]);
      await fn(host);
    } finally {
      if (!existed) await admin.query("DROP USER IF EXISTS ''@?", [host]);
      await admin.close();
    }
  });
}

function project(text: string): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.roles"), text);
  return dir;
}

serverTest("verify --target mysql probes roles through an account that an anonymous account does not catch", async (t) => {
  await withAnonymousAccount(async () => {
    const dir = project("schema s { table t (a, b) }\nrole cli_anon_reader { select (a) on s.t }\nrole cli_anon_writer {\n  member of cli_anon_reader\n  insert on s.t\n}\n");
    const r = await rolec(["verify", dir, "--target", "mysql", "--db", url!]);
    t.is(r.code, 0, r.stdout + r.stderr);
    t.regex(r.stdout, /: OK: roles, memberships/);
  });
});

serverTest("verify --target mysql names the anonymous account that takes a declared account's login, on one line", async (t) => {
  await withAnonymousAccount(async (host) => {
    const dir = project("schema s { table t (a) }\nrole cli_anon_app login { select on s.t }\n");
    const r = await rolec(["verify", dir, "--target", "mysql", "--db", url!]);
    t.is(r.code, 1, r.stdout + r.stderr);
    const line = r.stderr.split("\n").find((l) => l.startsWith("rolec: "));
    // Refused before anything is created: verify's checks would be about the anonymous account.
    t.regex(line ?? "", new RegExp(`^rolec: verify --target mysql logs in as the accounts it checks, but on \\S+ the anonymous account\\(s\\) ''@\`${host}\` would be matched first and take those logins; drop them \\(DROP USER ''@\`${host}\`\\) or use a server without anonymous accounts\\.$`));
    t.false(r.stderr.includes("internal error"), r.stderr);
    t.false(hasStackTrace(r.stderr), r.stderr);
    // Everything verify created is gone again.
    const admin = await openMysql(url!);
    try {
      t.deepEqual(await admin.query("SELECT User FROM mysql.user WHERE User = 'cli_anon_app' OR User LIKE 'rolec\\_verify\\_%'"), []);
      t.deepEqual(await admin.query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'rolec\\_verify\\_%'"), []);
    } finally {
      await admin.close();
    }
  });
});
