import test from "ava";
import { quoteMysqlQualified, renderMysql } from "../../src/engine/mysql/index.js";
import { applyOnMysql, planOnMysql } from "../../src/engine/mysql/index.js";
import type { MysqlSession } from "../../src/engine/mysql/index.js";
import { serverUrl, withMysqlScratchDatabase } from "../helpers/databases.js";
import { mysqlClient, runWithMysqlClient } from "../helpers/mysql-client.js";
import { programOf } from "../helpers/program.js";

// The MariaDB counterpart of script-and-apply-agree.test.ts: from the same server, the compiled
// mysql.sql (through the mariadb client) and `rolec apply` must leave the same grant-table rows
// for the accounts and roles the cases use. Each case: program A applied, drift made by hand,
// then program B.
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url && mysqlClient ? test.serial : test.serial.skip;

const principals = [
  "DROP USER IF EXISTS `sa_app`@`%`",
  "DROP ROLE IF EXISTS `sa_reader`",
  "DROP ROLE IF EXISTS `sa_writer`",
  "DROP ROLE IF EXISTS `rolec_login_sa_app`",
];
const users = ["sa_app", "sa_reader", "sa_writer", "rolec_login_sa_app"];

interface Transition {
  readonly name: string;
  readonly a: (db: string) => string;
  readonly drift: (db: string) => string[];
  readonly b: (db: string) => string;
}

const schema = (db: string) => `schema ${db} { table customers (id, email, ssn) view emails (id, email) }\n`;
const transitions: Transition[] = [
  {
    name: "a table-wide grant narrowed to columns",
    a: (db) => `role sa_app login { select on ${db}.customers }`,
    drift: () => [],
    b: (db) => `role sa_app login { select on ${db}.* except ${db}.customers(ssn) }`,
  },
  {
    name: "column grants widened, with a grant option, a column grant and a database-wide grant made by hand",
    a: (db) => `role sa_writer { select (id, email) on ${db}.customers }\nrole sa_app login { member of sa_writer }`,
    drift: (db) => [
      `GRANT INSERT ON ${quoteMysqlQualified(db, "customers")} TO sa_writer WITH GRANT OPTION`,
      `GRANT UPDATE (ssn) ON ${quoteMysqlQualified(db, "customers")} TO sa_writer`,
      `GRANT SELECT ON \`${db}\`.* TO \`sa_app\`@\`%\``,
    ],
    b: (db) => `role sa_writer { select, update on ${db}.customers }\nrole sa_app login { member of sa_writer }`,
  },
  {
    name: "memberships swapped, with an admin option and a connection limit changed by hand",
    a: (db) => `role sa_reader { select on ${db}.emails }\nrole sa_writer { insert on ${db}.customers }\nrole sa_app login { member of sa_reader }`,
    drift: () => ["GRANT sa_writer TO `sa_app`@`%` WITH ADMIN OPTION", "ALTER USER `sa_app`@`%` WITH MAX_USER_CONNECTIONS 3"],
    b: (db) => `role sa_reader { select on ${db}.emails }\nrole sa_writer { insert on ${db}.customers }\nrole sa_app login connection_limit 5 { member of sa_writer }`,
  },
];

/**
 * The grant-table rows of the cases' accounts and roles, with the scratch database's name taken
 * out. No default role is written as an absent key or as "", which mean the same.
 */
async function facts(session: MysqlSession, db: string): Promise<string[]> {
  const rows = async (sql: string) => (await session.query<{ fact: string }>(sql, [users, db])).map((r) => r.fact.replaceAll(db, "DB"));
  return [
    ...(await rows("SELECT CONCAT_WS(' ', 'table', User, Host, Table_name, Table_priv, '/', Column_priv) AS fact FROM mysql.tables_priv WHERE User IN (?) AND Db = ?")),
    ...(await rows("SELECT CONCAT_WS(' ', 'column', User, Host, Table_name, Column_name, Column_priv) AS fact FROM mysql.columns_priv WHERE User IN (?) AND Db = ?")),
    ...(await rows("SELECT CONCAT_WS(' ', 'database', User, Host, Db, Select_priv, Grant_priv) AS fact FROM mysql.db WHERE User IN (?) AND Db = ?")),
    ...(await rows("SELECT CONCAT_WS(' ', 'member', User, Host, Role, Admin_option) AS fact FROM mysql.roles_mapping WHERE User IN (?) AND ? IS NOT NULL")),
    ...(await rows(
      "SELECT CONCAT_WS(' ', 'account', User, Host, NULLIF(IFNULL(JSON_VALUE(Priv, '$.default_role'), ''), ''), JSON_VALUE(Priv, '$.max_user_connections'), JSON_VALUE(Priv, '$.access'), JSON_VALUE(Priv, '$.account_locked')) AS fact FROM mysql.global_priv WHERE User IN (?) AND ? IS NOT NULL",
    )),
  ].sort();
}

async function factsAfter(transition: Transition, change: (session: MysqlSession, db: string) => Promise<void>): Promise<{ facts: string[]; planAfter: string[] }> {
  return withMysqlScratchDatabase(url!, "rolec_sa_", principals, async (session, db) => {
    await session.query(`CREATE TABLE ${quoteMysqlQualified(db, "customers")} (id INT, email TEXT, ssn TEXT)`);
    await session.query(`CREATE VIEW ${quoteMysqlQualified(db, "emails")} AS SELECT id, email FROM ${quoteMysqlQualified(db, "customers")}`);
    const a = await applyOnMysql(programOf(schema(db) + transition.a(db), { databases: ["mysql"] }).model, session, { confirm: async () => true });
    if (a.kind !== "applied") throw new Error(`program A did not apply: ${a.kind}`);
    for (const sql of transition.drift(db)) await session.query(sql);
    await change(session, db);
    const planAfter = (await planOnMysql(programOf(schema(db) + transition.b(db), { databases: ["mysql"] }).model, session)).plan.changes.map((c) => c.kind);
    return { facts: await facts(session, db), planAfter };
  });
}

for (const transition of transitions) {
  serverTest(`MariaDB, ${transition.name}: apply and the compiled script leave the same grant tables`, async (t) => {
    const modelFor = (db: string) => programOf(schema(db) + transition.b(db), { databases: ["mysql"] }).model;
    const applied = await factsAfter(transition, async (session, db) => {
      t.is((await applyOnMysql(modelFor(db), session, { confirm: async () => true })).kind, "applied");
    });
    const scripted = await factsAfter(transition, async (_session, db) => {
      const run = await runWithMysqlClient(url!, renderMysql(modelFor(db)));
      t.is(run.status, 0, run.stderr);
    });
    t.deepEqual(applied.planAfter, [], "after apply, the next plan is empty");
    t.deepEqual(scripted.planAfter, [], "after the script, the plan is empty");
    t.deepEqual(applied.facts, scripted.facts);
    t.true(applied.facts.some((f) => f.startsWith("table ") || f.startsWith("column ")), "the case leaves grants to compare");
  });
}
