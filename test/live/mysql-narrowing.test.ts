import test, { type ExecutionContext } from "ava";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { quoteMysqlIdent, quoteMysqlQualified } from "../../src/engine/mysql/index.js";
import { applyOnMysql, planOnMysql } from "../../src/engine/mysql/index.js";
import { openMysql, type MysqlSession } from "../../src/engine/mysql/index.js";
import { rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withMysqlScratchDatabase } from "../helpers/databases.js";
import { mysqlClient, runWithMysqlClient } from "../helpers/mysql-client.js";
import { programOf } from "../helpers/program.js";

// The most common tightening there is: a table-wide grant narrowed to columns, to hide a PII
// column. On MariaDB a table-wide REVOKE of SELECT also drops the account's SELECT column grants
// on that table, so the declared columns must be granted again after it, by apply and by the
// migration alike.
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.serial.skip;

const principals = ["DROP USER IF EXISTS `nw_reader`@`%`"];
const wide = (db: string) => `schema ${db} { table customers (id, email, ssn) }\nrole nw_reader login { select on ${db}.customers }\n`;
const narrow = (db: string) => `schema ${db} { table customers (id, email, ssn) }\nrole nw_reader login { select on ${db}.* except ${db}.customers(ssn) }\n`;
const programFor = (text: string) => programOf(text, { databases: ["mysql"] });

async function createTable(session: MysqlSession, db: string): Promise<void> {
  await session.query(`CREATE TABLE ${quoteMysqlQualified(db, "customers")} (id INT, email TEXT, ssn TEXT)`);
  await session.query(`INSERT INTO ${quoteMysqlQualified(db, "customers")} VALUES (1, 'a@b', '123')`);
}

/** What the account can read, by real statements after logging in as it: each column alone. */
async function readable(root: MysqlSession, db: string): Promise<Record<string, boolean>> {
  await root.query("ALTER USER `nw_reader`@`%` IDENTIFIED BY 'nw-test-password' ACCOUNT UNLOCK");
  const session = await openMysql(url!, { user: "nw_reader", password: "nw-test-password" });
  try {
    const result: Record<string, boolean> = {};
    for (const column of ["id", "email", "ssn"]) {
      result[column] = await session.query(`SELECT ${quoteMysqlIdent(column)} FROM ${quoteMysqlQualified(db, "customers")}`).then(
        () => true,
        () => false,
      );
    }
    return result;
  } finally {
    await session.close();
  }
}

/** Exactly the two column grants, and nothing table-wide, in the grant tables themselves. */
async function grantRows(session: MysqlSession, db: string): Promise<string[]> {
  const tables = await session.query<{ Table_priv: string; Column_priv: string }>("SELECT Table_priv, Column_priv FROM mysql.tables_priv WHERE Db = ? AND User = 'nw_reader'", [db]);
  const columns = await session.query<{ Column_name: string; Column_priv: string }>("SELECT Column_name, Column_priv FROM mysql.columns_priv WHERE Db = ? AND User = 'nw_reader' ORDER BY Column_name", [db]);
  return [...tables.map((r) => `table: ${r.Table_priv || "-"} / columns: ${r.Column_priv}`), ...columns.map((r) => `${r.Column_name}: ${r.Column_priv}`)];
}

async function expectNarrowed(t: ExecutionContext, session: MysqlSession, db: string): Promise<void> {
  t.deepEqual(await grantRows(session, db), ["table: - / columns: Select", "email: Select", "id: Select"], "exactly the column grants");
  t.deepEqual(await readable(session, db), { id: true, email: true, ssn: false }, "the account reads every column but ssn");
  const after = await planOnMysql(programFor(narrow(db)).model, session);
  t.deepEqual(after.plan.changes.map((c) => c.kind), [], "the next plan is empty");
}

serverTest("MariaDB: apply narrows a table-wide grant to columns, and the column grants survive the table-wide revoke", async (t) => {
  await withMysqlScratchDatabase(url!, "rolec_nw_", principals, async (session, db) => {
    await createTable(session, db);
    t.is((await applyOnMysql(programFor(wide(db)).model, session, { confirm: async () => true })).kind, "applied");
    t.deepEqual(await readable(session, db), { id: true, email: true, ssn: true });
    const outcome = await applyOnMysql(programFor(narrow(db)).model, session, { confirm: async () => true });
    t.is(outcome.kind, "applied");
    await expectNarrowed(t, session, db);
  });
});

const clientTest = url && mysqlClient ? test.serial : test.serial.skip;

clientTest("MariaDB: the migrations for the same change, run in order by the mariadb client on a fresh server, leave exactly the column grants", async (t) => {
  await withMysqlScratchDatabase(url!, "rolec_nw_", principals, async (session, db) => {
    const project = tempDir();
    const dir = tempDir();
    const migrate = (epoch: string) =>
      rolec(["migrate", project, "--dir", dir, "--name", "roles", "--layout", "plain", "--target", "mariadb"], { env: { SOURCE_DATE_EPOCH: epoch } });
    writeFileSync(path.join(project, "p.roles"), wide(db));
    const first = await migrate("1795347000");
    t.is(first.code, 0, first.stderr);
    writeFileSync(path.join(project, "p.roles"), narrow(db));
    const second = await migrate("1795347060");
    t.is(second.code, 0, second.stderr);
    const files = readdirSync(dir).sort();
    t.is(files.length, 2);
    await createTable(session, db);
    for (const file of files) {
      const run = await runWithMysqlClient(url!, readFileSync(path.join(dir, file), "utf8"));
      t.is(run.status, 0, `${file}: ${run.stderr}`);
      if (file === files[0]) t.deepEqual(await readable(session, db), { id: true, email: true, ssn: true }, "after the first migration");
    }
    await expectNarrowed(t, session, db);
  });
});
