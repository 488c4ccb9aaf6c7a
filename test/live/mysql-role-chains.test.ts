import test, { type ExecutionContext } from "ava";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { quoteMysqlIdent, quoteMysqlQualified, renderMysql } from "../../src/engine/mysql/index.js";
import { applyOnMysql } from "../../src/engine/mysql/index.js";
import { openMysql, runMysqlScript, type MysqlSession } from "../../src/engine/mysql/index.js";
import { rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withMysqlScratchDatabase } from "../helpers/databases.js";
import { mysqlClient, runWithMysqlClient } from "../helpers/mysql-client.js";
import { programOf } from "../helpers/program.js";

// MariaDB (10.11) does not always pass a change to a role's column privileges on to the roles
// that hold it through another role. With rc_base granted to rc_mid and rc_mid to rc_top (and so
// to rc_app), after GRANT INSERT (a), INSERT (b), UPDATE (a), UPDATE (b) to rc_base, one statement
// each, rc_app may lack UPDATE (b); after a REVOKE UPDATE (b), it may keep it. The grant tables are
// right all along; the server's copy in memory is not, until it reads them again. So apply, the
// migrations and the script end with FLUSH PRIVILEGES; each fails here without it.
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.serial.skip;
const clientTest = url && mysqlClient ? test.serial : test.serial.skip;

const principals = ["DROP ROLE IF EXISTS `rc_base`", "DROP ROLE IF EXISTS `rc_mid`", "DROP ROLE IF EXISTS `rc_top`", "DROP ROLE IF EXISTS `rolec_login_rc_app`", "DROP USER IF EXISTS `rc_app`@`%`"];

/** First the memberships, with nothing granted; then column grants arrive; then one goes. */
function versions(db: string): string[] {
  const program = (grants: string) => `schema ${db} { table t (a, b, c) }
role rc_base { ${grants} }
role rc_mid { member of rc_base }
role rc_top { member of rc_mid }
role rc_app login { member of rc_top }
`;
  return [program(""), program(`insert, update on ${db}.t except ${db}.t(c)`), program(`insert on ${db}.t except ${db}.t(c)\n  update (a) on ${db}.t`)];
}
/** What rc_app may do after each version but the first: insert and update on the columns granted. */
const expected = [
  undefined,
  { "insert a": true, "insert b": true, "update a": true, "update b": true, "insert c": false, "update c": false },
  { "insert a": true, "insert b": true, "update a": true, "update b": false, "insert c": false, "update c": false },
];
const programFor = (text: string) => programOf(text, { databases: ["mysql"] });

async function createTable(session: MysqlSession, db: string): Promise<void> {
  await session.query(`CREATE TABLE ${quoteMysqlQualified(db, "t")} (a TEXT, b TEXT, c TEXT)`);
  await session.query(`INSERT INTO ${quoteMysqlQualified(db, "t")} VALUES ('1', '2', '3')`);
}

/** What the account may do, logged in: insert and update on each column, by real statements. */
async function expectVersion(t: ExecutionContext, root: MysqlSession, db: string, version: number): Promise<void> {
  const want = expected[version];
  if (!want) return;
  await root.query("ALTER USER `rc_app`@`%` IDENTIFIED BY 'rc-test-password' ACCOUNT UNLOCK");
  const session = await openMysql(url!, { user: "rc_app", password: "rc-test-password" });
  const table = quoteMysqlQualified(db, "t");
  const can = (sql: string) => session.query(sql).then(() => true, () => false);
  try {
    const got: Record<string, boolean> = {};
    for (const c of ["a", "b", "c"]) {
      got[`insert ${c}`] = await can(`INSERT INTO ${table} (${quoteMysqlIdent(c)}) VALUES (NULL)`);
      got[`update ${c}`] = await can(`UPDATE ${table} SET ${quoteMysqlIdent(c)} = NULL`);
    }
    t.deepEqual(got, want, `after version ${version}`);
  } finally {
    await session.close();
  }
}

serverTest("MariaDB: after each apply, an account holds exactly the column privileges of a role two memberships away", async (t) => {
  await withMysqlScratchDatabase(url!, "rolec_rc_", principals, async (session, db) => {
    await createTable(session, db);
    for (const [i, text] of versions(db).entries()) {
      t.is((await applyOnMysql(programFor(text).model, session, { confirm: async () => true })).kind, "applied");
      await expectVersion(t, session, db, i);
    }
  });
});

clientTest("MariaDB: after each migration, run by the mariadb client, the same", async (t) => {
  await withMysqlScratchDatabase(url!, "rolec_rc_", principals, async (session, db) => {
    const project = tempDir();
    const dir = tempDir();
    await createTable(session, db);
    for (const [i, text] of versions(db).entries()) {
      writeFileSync(path.join(project, "p.roles"), text);
      const run = await rolec(["migrate", project, "--dir", dir, "--name", `version ${i}`, "--layout", "plain", "--target", "mariadb"], { env: { SOURCE_DATE_EPOCH: String(1795347000 + i * 60) } });
      t.is(run.code, 0, run.stderr);
      const file = readdirSync(dir).sort().at(-1)!;
      const applied = await runWithMysqlClient(url!, readFileSync(path.join(dir, file), "utf8"));
      t.is(applied.status, 0, `${file}: ${applied.stderr}`);
      await expectVersion(t, session, db, i);
    }
  });
});

serverTest("MariaDB: after each compiled script, the same", async (t) => {
  await withMysqlScratchDatabase(url!, "rolec_rc_", principals, async (session, db) => {
    await createTable(session, db);
    for (const [i, text] of versions(db).entries()) {
      await runMysqlScript(renderMysql(programFor(text).model), session);
      await expectVersion(t, session, db, i);
    }
  });
});
