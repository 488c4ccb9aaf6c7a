import test from "ava";
import { Readable } from "node:stream";
import mysql from "mysql2/promise";
import { mysqlNames, renderMysql } from "../../src/engine/mysql/index.js";
import { openMysql, runMysqlScript, type MysqlSession } from "../../src/engine/mysql/index.js";
import { serverUrl } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// Ways people get around append-only triggers on MySQL/MariaDB, tried for real against the
// compiled script on the server (ROLEC_TEST_MYSQL_URL), logged in as the application account.
// Every attempt runs outside any transaction, and the test compares the tables before and after.

const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.skip;

const database = "rolec_adversarial_shop";
const program = programOf(
  `schema ${database} {
  table customers (id, name)
  append_only table audit (id, customer_id, what)
}
role adv_app login {
  select, insert, update, delete on ${database}.customers
  select, insert on ${database}.audit
}
`,
  { databases: ["mysql"] },
);
const script = renderMysql(program.model);
const password = "adversarial-test-password";
const trigger = (op: "update" | "delete") => `\`${database}\`.\`rolec_append_only_${op}_audit\``;

const fixture = [
  `DROP DATABASE IF EXISTS \`${database}\``,
  `CREATE DATABASE \`${database}\``,
  `CREATE TABLE \`${database}\`.customers (id INT PRIMARY KEY, name VARCHAR(64)) ENGINE = InnoDB`,
  // A foreign key that restricts: cascading ones the script refuses (see below).
  `CREATE TABLE \`${database}\`.audit (id INT PRIMARY KEY, customer_id INT, what VARCHAR(64),
     FOREIGN KEY (customer_id) REFERENCES \`${database}\`.customers (id) ON DELETE RESTRICT ON UPDATE RESTRICT) ENGINE = InnoDB`,
  `INSERT INTO \`${database}\`.customers VALUES (1, 'ada'), (2, 'bob'), (3, 'cy')`,
  `INSERT INTO \`${database}\`.audit VALUES (1, 1, 'signed up'), (2, 2, 'signed up')`,
];

/** Errors an attempt may end in: 1142/1143 command or column denied, 1451 a restricting foreign key, 1644 the trigger's SIGNAL. */
type Refusal = "denied" | "trigger" | "foreign key" | "not allowed";
const refusalOf: Record<number, Refusal> = { 1142: "denied", 1143: "denied", 1044: "denied", 1227: "denied", 1644: "trigger", 1451: "foreign key", 1148: "not allowed", 4166: "not allowed" };

interface Attack {
  readonly name: string;
  readonly as: "app" | "root";
  readonly sql: string;
  readonly refusedWith: Refusal | readonly Refusal[];
  /** Rows for LOAD DATA LOCAL INFILE. Where the server allows it, only the first refusal listed will do. */
  readonly file?: string;
}

const audit = `\`${database}\`.audit`;
const customers = `\`${database}\`.customers`;
const attacks: Attack[] = [
  { name: "UPDATE with WHERE", as: "app", sql: `UPDATE ${audit} SET what = 'forged' WHERE id = 1`, refusedWith: "denied" },
  { name: "UPDATE without WHERE", as: "app", sql: `UPDATE ${audit} SET what = 'forged'`, refusedWith: "denied" },
  { name: "DELETE with WHERE", as: "app", sql: `DELETE FROM ${audit} WHERE id = 1`, refusedWith: "denied" },
  { name: "DELETE without WHERE", as: "app", sql: `DELETE FROM ${audit}`, refusedWith: "denied" },
  { name: "REPLACE", as: "app", sql: `REPLACE INTO ${audit} VALUES (1, 1, 'forged')`, refusedWith: "denied" },
  { name: "INSERT ... ON DUPLICATE KEY UPDATE", as: "app", sql: `INSERT INTO ${audit} VALUES (1, 1, 'x') ON DUPLICATE KEY UPDATE what = 'forged'`, refusedWith: "denied" },
  { name: "LOAD DATA LOCAL INFILE ... REPLACE", as: "app", sql: `LOAD DATA LOCAL INFILE 'rows.tsv' REPLACE INTO TABLE ${audit}`, file: "1\t1\tforged\n", refusedWith: ["denied", "not allowed"] },
  { name: "multi-table UPDATE through a join", as: "app", sql: `UPDATE ${customers} c JOIN ${audit} a ON a.customer_id = c.id SET a.what = 'forged'`, refusedWith: "denied" },
  { name: "multi-table DELETE through a join", as: "app", sql: `DELETE a FROM ${audit} a JOIN ${customers} c ON a.customer_id = c.id`, refusedWith: "denied" },
  { name: "TRUNCATE (needs DROP)", as: "app", sql: `TRUNCATE TABLE ${audit}`, refusedWith: "denied" },
  { name: "ALTER TABLE (needs ALTER)", as: "app", sql: `ALTER TABLE ${audit} ADD COLUMN forged INT`, refusedWith: "denied" },
  { name: "ALTER TABLE adding a cascading foreign key", as: "app", sql: `ALTER TABLE ${audit} ADD FOREIGN KEY (customer_id) REFERENCES ${customers} (id) ON DELETE CASCADE`, refusedWith: "denied" },
  { name: "RENAME TABLE", as: "app", sql: `RENAME TABLE ${audit} TO \`${database}\`.audit_old`, refusedWith: "denied" },
  { name: "DROP TABLE", as: "app", sql: `DROP TABLE ${audit}`, refusedWith: "denied" },
  { name: "DROP TRIGGER", as: "app", sql: `DROP TRIGGER ${trigger("update")}`, refusedWith: "denied" },
  { name: "CREATE TRIGGER", as: "app", sql: `CREATE TRIGGER \`${database}\`.adv BEFORE INSERT ON ${audit} FOR EACH ROW SET NEW.what = 'forged'`, refusedWith: "denied" },
  { name: "FK from a parent table: DELETE of the referenced row", as: "app", sql: `DELETE FROM ${customers} WHERE id = 1`, refusedWith: "foreign key" },
  { name: "FK from a parent table: UPDATE of the referenced key", as: "app", sql: `UPDATE ${customers} SET id = 10 WHERE id = 2`, refusedWith: "foreign key" },
  { name: "root UPDATE", as: "root", sql: `UPDATE ${audit} SET what = 'forged'`, refusedWith: "trigger" },
  { name: "root DELETE", as: "root", sql: `DELETE FROM ${audit} WHERE id = 2`, refusedWith: "trigger" },
  { name: "root REPLACE", as: "root", sql: `REPLACE INTO ${audit} VALUES (1, 1, 'forged')`, refusedWith: "trigger" },
  { name: "root INSERT ... ON DUPLICATE KEY UPDATE", as: "root", sql: `INSERT INTO ${audit} VALUES (1, 1, 'x') ON DUPLICATE KEY UPDATE what = 'forged'`, refusedWith: "trigger" },
  { name: "root LOAD DATA LOCAL INFILE ... REPLACE", as: "root", sql: `LOAD DATA LOCAL INFILE 'rows.tsv' REPLACE INTO TABLE ${audit}`, file: "1\t1\tforged\n", refusedWith: ["trigger", "not allowed"] },
];

async function login(user: string, pass: string): Promise<mysql.Connection> {
  const u = new URL(url!);
  return mysql.createConnection({
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user,
    password: pass,
    database,
    // LOAD DATA LOCAL reads what this returns; the server decides whether it allows it at all.
    infileStreamFactory: () => Readable.from([Buffer.from(currentFile)]),
  });
}
let currentFile = "";

async function rows(session: MysqlSession): Promise<string> {
  const c = await session.query(`SELECT * FROM ${customers} ORDER BY id`);
  const a = await session.query(`SELECT * FROM ${audit} ORDER BY id`);
  return JSON.stringify({ customers: c, audit: a });
}

let admin: MysqlSession;
let helperExisted = true;
let definerExisted = true;
let localInfile = false;
let app: mysql.Connection;
let root: mysql.Connection;

test.before(async () => {
  if (!url) return;
  admin = await openMysql(url);
  // Accounts are server-wide: other test files take their turns on the server.
  const [lock] = await admin.query<{ got: number | null }>("SELECT GET_LOCK('rolec_tests', 600) AS got");
  if (lock?.got !== 1) throw new Error("could not get the rolec_tests lock on the MySQL server in 10 minutes");
  await admin.query("DROP USER IF EXISTS `adv_app`@`%`");
  // What the script creates besides the declared objects is dropped afterwards, unless it was there before.
  helperExisted = (await admin.query("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'rolec'")).length > 0;
  definerExisted = (await admin.query("SELECT 1 FROM mysql.user WHERE User = ? AND Host = ?", [mysqlNames.definer.name, mysqlNames.definer.host])).length > 0;
  for (const statement of fixture) await admin.query(statement);
  await runMysqlScript(script, admin);
  const [setting] = await admin.query<{ on: number }>("SELECT @@GLOBAL.local_infile AS `on`");
  localInfile = Number(setting?.on) === 1;
  await admin.query(`ALTER USER \`adv_app\`@\`%\` IDENTIFIED BY '${password}' ACCOUNT UNLOCK`);
  app = await login("adv_app", password);
  const u = new URL(url);
  root = await login(decodeURIComponent(u.username) || "root", decodeURIComponent(u.password));
});

test.after.always(async () => {
  if (!url) return;
  await app?.end().catch(() => undefined);
  await root?.end().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => undefined);
  await admin.query("DROP USER IF EXISTS `adv_app`@`%`").catch(() => undefined);
  if (!helperExisted) await admin.query("DROP DATABASE IF EXISTS `rolec`").catch(() => undefined);
  if (!definerExisted) await admin.query("DROP USER IF EXISTS `rolec_append_only`@`localhost`").catch(() => undefined);
  await admin.close(); // releases the lock
});

serverTest("the application account can still do what it is granted", async (t) => {
  await app.query(`INSERT INTO ${audit} VALUES (100, 3, 'allowed')`);
  await app.query(`UPDATE ${customers} SET name = 'cyd' WHERE id = 3`);
  const [found] = await app.query(`SELECT what FROM ${audit} WHERE id = 100`);
  t.deepEqual(found, [{ what: "allowed" }]);
});

for (const attack of attacks) {
  serverTest(`MariaDB: ${attack.as === "app" ? "the application account" : "root"} tries ${attack.name}`, async (t) => {
    const before = await rows(admin);
    currentFile = attack.file ?? "";
    const connection = attack.as === "app" ? app : root;
    const error = await connection.query(attack.sql).then(
      () => undefined,
      (e: unknown) => e as { errno?: number; message?: string },
    );
    const listed = ([] as Refusal[]).concat(attack.refusedWith);
    const allowed = attack.file !== undefined && localInfile ? listed.slice(0, 1) : listed;
    t.truthy(error, "the attempt must fail");
    const refusal = refusalOf[error?.errno ?? 0];
    t.true(refusal !== undefined && allowed.includes(refusal), `expected ${allowed.join(" or ")}, got ${error?.errno}: ${error?.message}`);
    if (refusal === "trigger") t.regex(error?.message ?? "", /is not allowed: rolec_adversarial_shop\.audit is append-only \(rolec\)/);
    t.is(await rows(admin), before, "every row is as it was");
  });
}

serverTest("the script refuses to run while a foreign key would cascade into the append-only table", async (t) => {
  await admin.query(`CREATE TABLE \`${database}\`.people (id INT PRIMARY KEY) ENGINE = InnoDB`);
  await admin.query(`ALTER TABLE ${audit} ADD CONSTRAINT audit_person FOREIGN KEY (id) REFERENCES \`${database}\`.people (id) ON DELETE CASCADE`).catch(async () => {
    await admin.query("SET SESSION foreign_key_checks = 0");
    await admin.query(`ALTER TABLE ${audit} ADD CONSTRAINT audit_person FOREIGN KEY (id) REFERENCES \`${database}\`.people (id) ON DELETE CASCADE`);
    await admin.query("SET SESSION foreign_key_checks = 1");
  });
  try {
    const error = await runMysqlScript(script, admin).then(() => undefined, (e: Error) => e);
    t.regex(error?.message ?? "", /foreign keys would change append-only tables without firing their triggers: audit_person on rolec_adversarial_shop\.audit \(ON DELETE CASCADE/);
  } finally {
    await admin.query(`ALTER TABLE ${audit} DROP FOREIGN KEY audit_person`);
    await admin.query(`DROP TABLE \`${database}\`.people`);
    await admin.query("DO RELEASE_LOCK('rolec')");
  }
});

// What append-only cannot stop on MySQL/MariaDB: an account with DROP, TRIGGER or ALTER on the
// table (root) gets around it. These tests show it, so the README's claims stay honest.
serverTest("bypass that needs root: TRUNCATE fires no DELETE trigger", async (t) => {
  await root.query(`TRUNCATE TABLE ${audit}`);
  const [left] = await root.query(`SELECT COUNT(*) AS n FROM ${audit}`);
  t.deepEqual(left, [{ n: 0 }], "root emptied the table");
  await admin.query(`INSERT INTO ${audit} VALUES (1, 1, 'signed up'), (2, 2, 'signed up')`);
});

serverTest("bypass that needs root: a cascading foreign key added after the script deletes rows without firing the trigger", async (t) => {
  await root.query(`CREATE TABLE \`${database}\`.people (id INT PRIMARY KEY) ENGINE = InnoDB`);
  await root.query(`INSERT INTO \`${database}\`.people VALUES (1), (2), (100)`);
  await root.query(`ALTER TABLE ${audit} ADD CONSTRAINT audit_person FOREIGN KEY (id) REFERENCES \`${database}\`.people (id) ON DELETE CASCADE`);
  await root.query(`DELETE FROM \`${database}\`.people WHERE id = 1`);
  const [left] = await root.query(`SELECT id FROM ${audit} ORDER BY id`);
  t.deepEqual(left, [{ id: 2 }], "the cascade removed row 1 and no trigger stopped it");
  await root.query(`ALTER TABLE ${audit} DROP FOREIGN KEY audit_person`);
});

serverTest("bypass that needs root: DROP TRIGGER, then UPDATE", async (t) => {
  await root.query(`DROP TRIGGER ${trigger("update")}`);
  await root.query(`UPDATE ${audit} SET what = 'forged' WHERE id = 2`);
  const [changed] = await root.query(`SELECT what FROM ${audit} WHERE id = 2`);
  t.deepEqual(changed, [{ what: "forged" }]);
  // The next run of the script puts the trigger back.
  await runMysqlScript(script, admin);
  const error = await root.query(`UPDATE ${audit} SET what = 'again' WHERE id = 2`).then(() => undefined, (e: { errno?: number }) => e);
  t.is(error?.errno, 1644);
});
