import test, { type ExecutionContext } from "ava";
import { setTimeout as sleep } from "node:timers/promises";
import { renderMysql } from "../../src/engine/mysql/index.js";
import { openMysql, runMysqlScript, type MysqlSession } from "../../src/engine/mysql/index.js";
import { serverUrl, withMysqlLock } from "../helpers/databases.js";
import { mysqlClient, runWithMysqlClient } from "../helpers/mysql-client.js";
import { programOf } from "../helpers/program.js";

// The MySQL script creates helper procedures in the `rolec` database, then CALLs them as root.
// An account that can replace one in between gets its own code run as root. These tests run the
// attack for real against the compiled script on the server (ROLEC_TEST_MYSQL_URL): an attacker
// connection waits for rolec.converge to appear, drops it and puts an SQL SECURITY INVOKER
// procedure in its place that grants the attacker everything. A root connection holding a READ
// lock on the append-only table stands for the seconds a large program's script spends between
// creating the procedures and calling them: the script waits at its LOCK TABLES ... WRITE.

const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.skip;

const database = "rolec_test_swap";
const program = programOf(
  `schema ${database} {
  table t (a)
  append_only table log (a)
}
role swap_app login {
  select on ${database}.t
  insert on ${database}.log
}
`,
  { databases: ["mysql"] },
);
const script = renderMysql(program.model);
const attacker = "rolec_test_attacker";
const attackerRole = "rolec_test_swapper";
const password = "swap-test-password";

interface Runner {
  readonly name: string;
  readonly available: boolean;
  /** The script's error, or undefined when it ran to the end. */
  run(admin: MysqlSession): Promise<string | undefined>;
}

const runners: readonly Runner[] = [
  { name: "rolec's statement splitter", available: true, run: (admin) => runMysqlScript(script, admin).then(() => undefined, (e: Error) => e.message) },
  {
    name: "the command-line client",
    available: mysqlClient !== undefined,
    run: async () => {
      const result = await runWithMysqlClient(url!, script);
      return result.status === 0 ? undefined : result.stderr;
    },
  },
];

interface Holder {
  readonly name: string;
  /** Statements, as root, that give the attacker (or a role or PUBLIC it gains from) its privilege. */
  readonly grant: readonly string[];
  /** What the script's refusal says about it. */
  readonly refusal: RegExp;
}

const holders: readonly Holder[] = [
  {
    name: "ALL on the pattern `r%`.*",
    grant: [`GRANT ALL PRIVILEGES ON \`r%\`.* TO ${attacker}@'%'`],
    refusal: /`rolec_test_attacker`@`%` \(CREATE, DROP, CREATE ROUTINE, ALTER ROUTINE ON `r%`\.\*\)/,
  },
  {
    name: "global CREATE ROUTINE and ALTER ROUTINE",
    grant: [`GRANT CREATE ROUTINE, ALTER ROUTINE ON *.* TO ${attacker}@'%'`],
    refusal: /`rolec_test_attacker`@`%` \(CREATE ROUTINE, ALTER ROUTINE ON \*\.\*\)/,
  },
  {
    name: "a role that holds ALL on `rolec`.*, the attacker's default role",
    grant: [
      `CREATE ROLE ${attackerRole}`,
      `GRANT ALL PRIVILEGES ON \`rolec\`.* TO ${attackerRole}`,
      `GRANT ${attackerRole} TO ${attacker}@'%'`,
      `SET DEFAULT ROLE ${attackerRole} FOR ${attacker}@'%'`,
    ],
    refusal: /`rolec_test_swapper` \(CREATE, DROP, CREATE ROUTINE, ALTER ROUTINE ON `rolec`\.\*\)/,
  },
  {
    // `_` is LIKE's one-character wildcard in a database grant's name.
    name: "PUBLIC, with ALL on the pattern `ro_ec`.*",
    grant: [`GRANT ALL PRIVILEGES ON \`ro_ec\`.* TO PUBLIC`],
    refusal: /PUBLIC` \(CREATE, DROP, CREATE ROUTINE, ALTER ROUTINE ON `ro_ec`\.\*\)/,
  },
];

const cleanup = [
  `DROP USER IF EXISTS ${attacker}@'%'`,
  `DROP ROLE IF EXISTS ${attackerRole}`,
  `DROP USER IF EXISTS rolec_test_dba@localhost`,
  "DROP USER IF EXISTS swap_app@'%'",
  "DROP ROLE IF EXISTS rolec_login_swap_app",
  "DROP USER IF EXISTS rolec_append_only@localhost",
  `DROP DATABASE IF EXISTS ${database}`,
  "DROP DATABASE IF EXISTS rolec",
];

async function revokePublic(admin: MysqlSession): Promise<void> {
  for (const pattern of ["ro_ec", "rolec\\_%"]) await admin.query(`REVOKE ALL PRIVILEGES ON \`${pattern}\`.* FROM PUBLIC`).catch(() => undefined);
}

/** A server with the program's tables, and the attacker account; everything dropped again afterwards. */
async function withFixture<T>(fn: (admin: MysqlSession) => Promise<T>): Promise<T> {
  return withMysqlLock(url!, async () => {
    const admin = await openMysql(url!);
    try {
      for (const sql of cleanup) await admin.query(sql);
      await revokePublic(admin);
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.query(`CREATE TABLE ${database}.t (a VARCHAR(8))`);
      await admin.query(`CREATE TABLE ${database}.log (a VARCHAR(8))`);
      await admin.query(`CREATE USER ${attacker}@'%' IDENTIFIED BY '${password}'`);
      return await fn(admin);
    } finally {
      await admin.query("UNLOCK TABLES").catch(() => undefined);
      await admin.query("DO RELEASE_LOCK('rolec')").catch(() => undefined);
      await revokePublic(admin);
      for (const sql of cleanup) await admin.query(sql).catch(() => undefined);
      await admin.close();
    }
  });
}

/**
 * The attacker's side: polls until rolec.converge exists, then drops it and creates its own in
 * its place, within `seconds`. Returns whether it did.
 */
async function swapConverge(stop: { done: boolean }, seconds: number): Promise<boolean> {
  const session = await openMysql(url!, { user: attacker, password });
  try {
    const deadline = Date.now() + seconds * 1000;
    while (!stop.done && Date.now() < deadline) {
      const dropped = await session.query("DROP PROCEDURE rolec.converge").then(
        () => true,
        () => false,
      );
      if (dropped) {
        await session.query(`CREATE PROCEDURE rolec.converge() SQL SECURITY INVOKER GRANT ALL PRIVILEGES ON *.* TO ${attacker}@'%' WITH GRANT OPTION`);
        return true;
      }
      await sleep(5);
    }
    return false;
  } finally {
    await session.close();
  }
}

async function grantsOf(admin: MysqlSession, grantee: string): Promise<string[]> {
  const rows = await admin.query<Record<string, string>>(`SHOW GRANTS FOR ${grantee}`);
  return rows.map((row) => Object.values(row)[0]!).sort();
}

async function raceTheScript(t: ExecutionContext, holder: Holder, runner: Runner): Promise<void> {
  await withFixture(async (admin) => {
    for (const sql of holder.grant) await admin.query(sql);
    const before = await grantsOf(admin, `${attacker}@'%'`);
    // Holds the script at its LOCK TABLES ... WRITE, after it created the procedures and before it calls them.
    const pauser = await openMysql(url!);
    const stop = { done: false };
    try {
      await pauser.query(`LOCK TABLES ${database}.log READ`);
      const attack = swapConverge(stop, 15);
      const outcome = runner.run(admin).finally(() => (stop.done = true));
      // The lock is let go once the attacker has swapped the procedure or the script has ended, or after 15 seconds.
      const swapped = await attack;
      await pauser.query("UNLOCK TABLES");
      const error = await outcome;
      t.deepEqual(await grantsOf(admin, `${attacker}@'%'`), before, "the attacker holds nothing new");
      t.false(swapped, "the attacker never got to replace rolec.converge");
      t.regex(error ?? "(the script ran to the end)", /rolec: others could replace the helper procedures before they run: /);
      t.regex(error ?? "", holder.refusal);
      t.deepEqual(await admin.query("SELECT User FROM mysql.user WHERE User = 'swap_app'"), [], "the script stopped before changing anything");
    } finally {
      stop.done = true;
      await pauser.close();
    }
  });
}

for (const runner of runners) {
  for (const holder of holders) {
    (runner.available ? serverTest : test.skip)(`an account that can replace the helper procedures through ${holder.name} is refused before they exist, run by ${runner.name}`, (t) =>
      raceTheScript(t, holder, runner),
    );
  }
}

serverTest("the refusal names writers of the mysql database and of one rolec routine too", async (t) => {
  await withFixture(async (admin) => {
    await admin.query(`GRANT UPDATE ON mysql.proc TO ${attacker}@'%'`);
    await admin.query(`GRANT INSERT ON \`m_sql\`.* TO ${attacker}@'%'`);
    await admin.query("CREATE DATABASE IF NOT EXISTS rolec");
    await admin.query("CREATE PROCEDURE rolec.converge() DO 0");
    await admin.query(`GRANT ALTER ROUTINE ON PROCEDURE rolec.converge TO ${attacker}@'%'`);
    const error = await runners[0]!.run(admin);
    t.regex(error ?? "", /`rolec_test_attacker`@`%` \(ALTER ROUTINE ON PROCEDURE `rolec`\.`converge`\)/);
    t.regex(error ?? "", /`rolec_test_attacker`@`%` \(INSERT ON `m_sql`\.\*\)/);
    t.regex(error ?? "", /`rolec_test_attacker`@`%` \(UPDATE ON `mysql`\.`proc`\)/);
  });
});

serverTest("privileges that cannot reach the helper procedures, and other superusers, do not stop the script", async (t) => {
  await withFixture(async (admin) => {
    await admin.query(`GRANT SELECT, DELETE ON *.* TO ${attacker}@'%'`);
    await admin.query(`GRANT ALL PRIVILEGES ON \`rolec\\_%\`.* TO PUBLIC`);
    await admin.query(`GRANT ALL PRIVILEGES ON \`rolecx\`.* TO ${attacker}@'%'`);
    await admin.query(`GRANT INSERT, UPDATE ON \`mysqlx\`.* TO ${attacker}@'%'`);
    await admin.query("CREATE USER rolec_test_dba@localhost");
    await admin.query("GRANT ALL PRIVILEGES ON *.* TO rolec_test_dba@localhost WITH GRANT OPTION");
    t.is(await runners[0]!.run(admin), undefined);
    t.deepEqual(await admin.query("SELECT User FROM mysql.user WHERE User = 'swap_app'"), [{ User: "swap_app" }]);
    // Everything but GRANT OPTION is not a superuser: it could swap the procedures, and is refused.
    await admin.query("REVOKE GRANT OPTION ON *.* FROM rolec_test_dba@localhost");
    t.regex((await runners[0]!.run(admin)) ?? "", /`rolec_test_dba`@`localhost` \(CREATE, DROP, CREATE ROUTINE, ALTER ROUTINE, INSERT, UPDATE ON \*\.\*\)/);
  });
});
