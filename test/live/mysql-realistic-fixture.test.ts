import test from "ava";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describeChange } from "../../src/engine/index.js";
import { applyOnMysql, connectMysql, planOnMysql, type MysqlSession } from "../../src/engine/mysql/index.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withMysqlLock } from "../helpers/databases.js";
import { programOf, repoRoot } from "../helpers/program.js";
import { readGrants, tablePrivileges, type Grants, type Principal, type TablePrivilege } from "../property/transitions/mysql-grant-tables.js";

// The issue's "done means" on MariaDB: a shop with the grants a DBA makes by hand
// (fixtures/realistic-mariadb.sql) is imported; plan with the imported files makes exactly the
// changes import's warnings announce (rolec's one default role per account, table grants for a
// database-wide one, no ALTER ROUTINE); after apply, and again after every account and role is
// dropped and the files applied afresh, what each account gets at login and each role holds, on
// every table, view, column and routine, is what it was (less that ALTER ROUTINE), as MariaDB's
// grant tables say when read by this test's own evaluator, not rolec's reader.
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.serial.skip;
const fixture = readFileSync(path.join(repoRoot, "test/live/fixtures/realistic-mariadb.sql"), "utf8");
const statements = fixture.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("--"));
const principals: readonly Principal[] = [
  { user: "fxm_app_rw", host: null },
  { user: "fxm_reporting", host: null },
  { user: "fxm_support", host: null },
  { user: "fxm_web", host: "10.0.%" },
  { user: "fxm_analyst", host: "%" },
  { user: "fxm_batch", host: "%" },
  { user: "fxm_helpdesk", host: "%" },
];
const databases = ["fxm_app", "fxm_reporting"];
const perColumn: readonly TablePrivilege[] = ["Select", "Insert", "Update", "References"];

/** Every account, role and database of the fixture, and rolec's login roles for its accounts. */
async function dropAll(session: MysqlSession): Promise<void> {
  for (const db of databases) await session.query(`DROP DATABASE IF EXISTS \`${db}\``);
  await dropPrincipals(session);
}

async function dropPrincipals(session: MysqlSession): Promise<void> {
  for (const p of principals) await session.query(p.host === null ? `DROP ROLE IF EXISTS \`${p.user}\`` : `DROP USER IF EXISTS \`${p.user}\`@'${p.host}'`);
  for (const p of principals.filter((p) => p.host !== null)) await session.query(`DROP ROLE IF EXISTS \`rolec_login_${p.user}\``);
}

/** What each account gets at login and each role holds, one fact per line. */
async function dump(session: MysqlSession): Promise<string[]> {
  const grants: Grants = await readGrants(session);
  const objects = await session.query<{ db: string; name: string; type: string }>(
    "SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (?) AND TABLE_TYPE <> 'SEQUENCE' ORDER BY 1, 2",
    [databases],
  );
  const columns = await session.query<{ db: string; name: string; col: string }>(
    "SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name, COLUMN_NAME AS col FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN (?) ORDER BY 1, 2, ORDINAL_POSITION",
    [databases],
  );
  const routines = await session.query<{ db: string; name: string; kind: string }>(
    "SELECT ROUTINE_SCHEMA AS db, ROUTINE_NAME AS name, LOWER(ROUTINE_TYPE) AS kind FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA IN (?) ORDER BY 1, 2",
    [databases],
  );
  const facts: string[] = [];
  for (const p of principals) {
    const who = p.host === null ? p.user : `${p.user}@${p.host}`;
    const row = grants.user(p);
    // MariaDB keeps no password lifetime until one is set, and -1 once it is set back to the default: both are the server's default.
    facts.push(
      `${who}: ${row ? `exists, role=${row.is_role}, max connections=${row.max_user_connections}, require=${row.ssl_type || "none"} ${row.issuer}|${row.subject}|${row.cipher}, hourly=${row.max_questions}/${row.max_updates}/${row.max_connections}, password lifetime=${row.password_lifetime === null || Number(row.password_lifetime) < 0 ? "default" : row.password_lifetime}` : "missing"}`,
    );
    if (row) facts.push(`${who} admin of: ${grants.granted(p.user, p.host ?? "").filter((r) => r.Admin_option === "Y" && !r.Role.startsWith("rolec_login_")).map((r) => r.Role).sort().join(", ") || "none"}`);
    // rolec_login_<account> stands for the roles it holds (README): they are what counts.
    const roles = p.host === null ? [...grants.closure([p.user])].filter((r) => r !== p.user) : grants.active(p).filter((id) => id.host === "" && id.user !== "PUBLIC").map((id) => id.user);
    facts.push(`${who} holds roles: ${roles.filter((r) => !r.startsWith("rolec_login_")).sort().join(", ") || "none"}`);
    for (const o of objects) {
      for (const privilege of Object.keys(tablePrivileges) as TablePrivilege[]) {
        if (grants.holds(p, privilege, o.db, o.name, null)) facts.push(`${who} ${privilege} on ${o.db}.${o.name}`);
        if (!perColumn.includes(privilege)) continue;
        for (const c of columns.filter((c) => c.db === o.db && c.name === o.name)) {
          if (!grants.holds(p, privilege, o.db, o.name, null) && grants.holds(p, privilege, o.db, o.name, c.col)) facts.push(`${who} ${privilege} (${c.col}) on ${o.db}.${o.name}`);
        }
      }
    }
    for (const r of routines) {
      for (const privilege of ["Execute", "Alter Routine", "Grant"] as const) {
        if (grants.holdsOnRoutine(p, privilege, r.db, r.kind as "function" | "procedure", r.name)) facts.push(`${who} ${privilege} on ${r.kind} ${r.db}.${r.name}`);
      }
    }
  }
  return facts;
}

serverTest("MariaDB: a hand-granted shop imports to files whose plan makes only the announced changes, and applying them, before and after the roles are dropped, gives the same access", async (t) => {
  await withMysqlLock(url!, async () => {
    const session = await connectMysql(url!, "the test server");
    try {
      await dropAll(session);
      for (const sql of statements) await session.query(sql);
      const before = await dump(session);
      for (const fact of [
        "fxm_web@10.0.% holds roles: fxm_app_rw",
        "fxm_helpdesk@% holds roles: fxm_reporting, fxm_support",
        "fxm_web@10.0.% Execute on function fxm_app.order_total",
        "fxm_analyst@% Select on fxm_reporting.daily_sales",
        "fxm_helpdesk@% Update (email) on fxm_app.customers",
        "fxm_batch@% Alter Routine on procedure fxm_app.archive_orders",
        "fxm_web@10.0.%: exists, role=N, max connections=50, require=none ||, hourly=0/0/0, password lifetime=default",
        "fxm_batch@%: exists, role=N, max connections=0, require=ANY ||, hourly=10000/0/60, password lifetime=90",
        "fxm_analyst@% admin of: fxm_reporting",
      ]) {
        t.true(before.includes(fact), `the fixture is what it says: ${fact}`);
      }
      t.false(before.includes("fxm_reporting Select (ssn) on fxm_app.customers"));

      const out = path.join(tempDir(), "imported");
      const imported = await rolec(["import", "--db", url!, "--schema", "fxm_app", "--schema", "fxm_reporting", "--out", out]);
      t.is(imported.code, 0, imported.stderr);
      t.false(hasStackTrace(imported.stderr));
      const schemas = readFileSync(path.join(out, "schemas.roles"), "utf8");
      const roles = readFileSync(path.join(out, "roles.roles"), "utf8");
      t.regex(schemas, /^  procedure archive_orders\(date\)$/m);
      t.regex(schemas, /^  function month_total\(date, character varying\)$/m);
      t.regex(roles, /^role fxm_web login connection_limit 50 host "10\.0\.%" \{$/m);
      const program = programOf({ "schemas.roles": schemas, "roles.roles": roles }, { databases: ["mysql"] });
      t.deepEqual(program.diagnostics.filter((d) => d.severity === "error"), []);

      const planned = await planOnMysql(program.model, session);
      t.deepEqual(planned.plan.blockers, []);
      const announced = (line: string) =>
        /^(create-role|grant-membership) (rolec_login_fxm_\w+|fxm_\w+): .*/.test(line) && line.includes("rolec_login_") ||
        line.startsWith("set-default-role ") ||
        line === "grant fxm_reporting: SELECT on fxm_reporting.daily_sales" ||
        line === "grant fxm_reporting: SELECT on fxm_reporting.targets" ||
        line === "revoke-routine-privileges fxm_batch: ALTER ROUTINE on procedure fxm_app.archive_orders(date)" ||
        line.startsWith("revoke-wide fxm_reporting: SELECT on fxm_reporting.*");
      const changes = planned.plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
      t.deepEqual(changes.filter((c) => !announced(c)), [], "every change is one import's warnings announce");
      t.regex(imported.stderr, /fxm_batch holds ALTER ROUTINE on procedure fxm_app\.archive_orders/);
      t.regex(imported.stderr, /fxm_reporting holds SELECT on fxm_reporting\.\* database-wide/);
      t.regex(imported.stderr, /fxm_web@10\.0\.%'s default role is fxm_app_rw/);

      const expected = before.filter((f) => f !== "fxm_batch@% Alter Routine on procedure fxm_app.archive_orders");
      t.is((await applyOnMysql(program.model, session, { confirm: async () => true })).kind, "applied");
      t.deepEqual(await dump(session), expected);
      t.deepEqual((await planOnMysql(program.model, session)).plan.changes, []);

      // Every account and role goes, with everything it holds; the files bring them back.
      await dropPrincipals(session);
      t.true((await dump(session)).every((f) => f.endsWith(": missing") || f.endsWith("holds roles: none")), "nothing is left");
      t.is((await applyOnMysql(program.model, session, { confirm: async () => true })).kind, "applied");
      t.deepEqual(await dump(session), expected);
      t.deepEqual((await planOnMysql(program.model, session)).plan.changes, []);
    } finally {
      await dropAll(session).catch(() => undefined);
      await session.query("DROP DATABASE IF EXISTS rolec").catch(() => undefined);
      await session.close();
    }
  });
});
