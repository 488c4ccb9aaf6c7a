import test from "ava";
import { appendOnlyNames, renderPostgres } from "../../src/engine/postgres/index.js";
import { sqlState as sqlStateOf } from "../../src/engine/index.js";
import { type SqlSession } from "../../src/engine/index.js";
import { openPglite, openPgServer } from "../../src/engine/postgres/index.js";
import { openScratchDatabase, serverUrl } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// Ways people get around append-only triggers, tried for real against the compiled script on
// PGlite and on the PostgreSQL server. Nothing runs inside a test transaction: an attack that
// worked would change the data for good, and the test compares every table before and after.

const program = programOf(`schema shop {
  table customers (id, name)
  append_only table audit (id, customer_id, what)
  append_only table events (id, at, what) partitions (events_1, events_2)
}
role adv_app login {
  select, insert, update, delete on shop.customers
  select, insert on shop.audit
  select, insert on shop.events
}
`);
const script = renderPostgres(program.model);

const fixture = `
CREATE ROLE adv_migrator;
CREATE SCHEMA shop AUTHORIZATION adv_migrator;
-- As a migration role often may: renaming a schema needs CREATE on the database.
DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO adv_migrator', current_database()); END $$;
CREATE TABLE shop.customers (id int PRIMARY KEY, name text);
CREATE TABLE shop.audit (
  id int PRIMARY KEY,
  customer_id int REFERENCES shop.customers (id) ON DELETE CASCADE ON UPDATE CASCADE,
  what text);
CREATE TABLE shop.events (id int, at int, what text) PARTITION BY RANGE (at);
CREATE TABLE shop.events_1 PARTITION OF shop.events FOR VALUES FROM (0) TO (100);
CREATE TABLE shop.events_2 PARTITION OF shop.events FOR VALUES FROM (100) TO (200);
INSERT INTO shop.customers VALUES (1, 'ada'), (2, 'bob');
INSERT INTO shop.audit VALUES (1, 1, 'signed up'), (2, 2, 'signed up');
INSERT INTO shop.events VALUES (1, 50, 'first'), (2, 150, 'second');
CREATE FUNCTION public.adv_noop() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END';
`;

const snapshot = `SELECT
  (SELECT json_agg(c ORDER BY id)::text FROM shop.customers c) AS customers,
  (SELECT json_agg(a ORDER BY id)::text FROM shop.audit a) AS audit,
  (SELECT json_agg(e ORDER BY id)::text FROM shop.events e) AS events`;

interface Attack {
  readonly name: string;
  /** The application role, the owner of the tables' schema (as migrations often are), or the superuser that owns the session. */
  readonly as: "app" | "schema owner" | "superuser";
  readonly sql: string;
  /** The SQLSTATE it must fail with: permission denied, or the append-only trigger. */
  readonly refusedWith: "42501" | typeof appendOnlyNames.sqlstate;
  /**
   * Only meaningful on a connection that logged in as the role: SET ROLE is checked against the
   * session user, so after a superuser's SET ROLE it would prove nothing.
   */
  readonly loginOnly?: boolean;
}

const trigger = appendOnlyNames.sqlstate;
const attacks: Attack[] = [
  { name: "UPDATE with WHERE", as: "app", sql: "UPDATE shop.audit SET what = 'forged' WHERE id = 1", refusedWith: "42501" },
  { name: "UPDATE without WHERE", as: "app", sql: "UPDATE shop.audit SET what = 'forged'", refusedWith: "42501" },
  { name: "DELETE with WHERE", as: "app", sql: "DELETE FROM shop.audit WHERE id = 1", refusedWith: "42501" },
  { name: "DELETE without WHERE", as: "app", sql: "DELETE FROM shop.audit", refusedWith: "42501" },
  { name: "INSERT ... ON CONFLICT DO UPDATE", as: "app", sql: "INSERT INTO shop.audit VALUES (1, 1, 'x') ON CONFLICT (id) DO UPDATE SET what = 'forged'", refusedWith: "42501" },
  { name: "MERGE", as: "app", sql: "MERGE INTO shop.audit a USING (SELECT 1 AS id) s ON a.id = s.id WHEN MATCHED THEN UPDATE SET what = 'forged'", refusedWith: "42501" },
  { name: "MERGE ... DELETE", as: "app", sql: "MERGE INTO shop.audit a USING (SELECT 1 AS id) s ON a.id = s.id WHEN MATCHED THEN DELETE", refusedWith: "42501" },
  { name: "TRUNCATE", as: "app", sql: "TRUNCATE shop.audit", refusedWith: "42501" },
  { name: "TRUNCATE parent CASCADE", as: "app", sql: "TRUNCATE shop.events CASCADE", refusedWith: "42501" },
  { name: "TRUNCATE one partition", as: "app", sql: "TRUNCATE shop.events_1", refusedWith: "42501" },
  { name: "UPDATE one partition directly", as: "app", sql: "UPDATE shop.events_2 SET what = 'forged'", refusedWith: "42501" },
  { name: "FK cascade: DELETE of the referenced row", as: "app", sql: "DELETE FROM shop.customers WHERE id = 1", refusedWith: trigger },
  { name: "FK cascade: UPDATE of the referenced key", as: "app", sql: "UPDATE shop.customers SET id = 10 WHERE id = 2", refusedWith: trigger },
  { name: "ALTER TABLE ... DISABLE TRIGGER", as: "app", sql: "ALTER TABLE shop.audit DISABLE TRIGGER ALL", refusedWith: "42501" },
  { name: "DROP TRIGGER", as: "app", sql: `DROP TRIGGER "${appendOnlyNames.rowTrigger}" ON shop.audit`, refusedWith: "42501" },
  { name: "CREATE TRIGGER", as: "app", sql: "CREATE TRIGGER adv BEFORE INSERT ON shop.audit FOR EACH ROW EXECUTE FUNCTION public.adv_noop()", refusedWith: "42501" },
  { name: "ALTER TABLE ... DETACH PARTITION", as: "app", sql: "ALTER TABLE shop.events DETACH PARTITION shop.events_1", refusedWith: "42501" },
  { name: "DROP TABLE", as: "app", sql: "DROP TABLE shop.audit", refusedWith: "42501" },
  { name: "SET session_replication_role = replica", as: "app", sql: "SET session_replication_role = replica", refusedWith: "42501" },
  { name: "SET ROLE to the owner role", as: "app", sql: `SET ROLE ${appendOnlyNames.owner}`, refusedWith: "42501", loginOnly: true },
  // A schema's owner may drop any table in it, whoever owns the table: rolec's event triggers refuse it.
  { name: "DROP TABLE", as: "schema owner", sql: "DROP TABLE shop.audit", refusedWith: trigger },
  { name: "DROP TABLE of a partitioned table", as: "schema owner", sql: "DROP TABLE shop.events", refusedWith: trigger },
  { name: "DROP TABLE ... CASCADE and recreate it", as: "schema owner", sql: "DROP TABLE shop.audit CASCADE; CREATE TABLE shop.audit (id int, customer_id int, what text)", refusedWith: trigger },
  { name: "DROP SCHEMA ... CASCADE", as: "schema owner", sql: "DROP SCHEMA shop CASCADE", refusedWith: trigger },
  { name: "ALTER SCHEMA ... RENAME and put a forged table in its place", as: "schema owner", sql: "ALTER SCHEMA shop RENAME TO shop_old", refusedWith: trigger },
  { name: "DROP FUNCTION of the guard ... CASCADE", as: "schema owner", sql: `DROP FUNCTION shop."${appendOnlyNames.function}"() CASCADE`, refusedWith: trigger },
  { name: "DROP TRIGGER", as: "schema owner", sql: `DROP TRIGGER "${appendOnlyNames.rowTrigger}" ON shop.audit`, refusedWith: "42501" },
  { name: "DROP EVENT TRIGGER", as: "schema owner", sql: `DROP EVENT TRIGGER "${appendOnlyNames.dropEventTrigger}"`, refusedWith: "42501" },
  { name: "DROP the event trigger's function", as: "schema owner", sql: `DROP FUNCTION "${appendOnlyNames.ddlSchema}"."${appendOnlyNames.ddlFunction}"() CASCADE`, refusedWith: "42501" },
  { name: "superuser UPDATE", as: "superuser", sql: "UPDATE shop.audit SET what = 'forged'", refusedWith: trigger },
  { name: "superuser DELETE", as: "superuser", sql: "DELETE FROM shop.audit WHERE id = 2", refusedWith: trigger },
  { name: "superuser INSERT ... ON CONFLICT DO UPDATE", as: "superuser", sql: "INSERT INTO shop.audit VALUES (1, 1, 'x') ON CONFLICT (id) DO UPDATE SET what = 'forged'", refusedWith: trigger },
  { name: "superuser MERGE", as: "superuser", sql: "MERGE INTO shop.audit a USING (SELECT 1 AS id) s ON a.id = s.id WHEN MATCHED THEN UPDATE SET what = 'forged'", refusedWith: trigger },
  { name: "superuser TRUNCATE", as: "superuser", sql: "TRUNCATE shop.audit CASCADE", refusedWith: trigger },
  { name: "superuser TRUNCATE parent CASCADE", as: "superuser", sql: "TRUNCATE shop.events CASCADE", refusedWith: trigger },
  { name: "superuser TRUNCATE one partition", as: "superuser", sql: "TRUNCATE shop.events_2", refusedWith: trigger },
  { name: "superuser UPDATE of a partition", as: "superuser", sql: "UPDATE shop.events_1 SET what = 'forged'", refusedWith: trigger },
  { name: "superuser UPDATE under session_replication_role = replica", as: "superuser", sql: "SET session_replication_role = replica; UPDATE shop.audit SET what = 'forged'", refusedWith: trigger },
  { name: "superuser TRUNCATE under session_replication_role = replica", as: "superuser", sql: "SET session_replication_role = replica; TRUNCATE shop.audit CASCADE", refusedWith: trigger },
];

interface Sessions {
  /** The superuser's session, which set up the fixture. */
  readonly session: SqlSession;
  /** A session that logged in as the application role, where the engine has logins. */
  readonly app: SqlSession | undefined;
  readonly close: () => Promise<void>;
}

async function attempt(sessions: Sessions, attack: Attack): Promise<string | undefined> {
  const viaLogin = attack.as === "app" && sessions.app !== undefined;
  const session = viaLogin ? sessions.app! : sessions.session;
  try {
    if (attack.as === "app" && !viaLogin) await session.exec("SET ROLE adv_app");
    if (attack.as === "schema owner") await session.exec("SET ROLE adv_migrator");
    await session.exec(attack.sql);
    return undefined;
  } catch (error) {
    return sqlStateOf(error);
  } finally {
    // Only a superuser may reset session_replication_role; the application role never got to set it.
    await session.exec(viaLogin ? "RESET ROLE" : "RESET ROLE; RESET session_replication_role");
  }
}

function titleOf(engine: string, attack: Attack): string {
  return `${engine}: ${attack.as === "app" ? "the application role" : attack.as === "schema owner" ? "the schema's owner" : "a superuser"} tries ${attack.name}`;
}

function suite(engine: string, open: (() => Promise<Sessions>) | undefined): void {
  if (!open) {
    // No server configured: list the tests as skipped, so the report shows what did not run.
    for (const attack of attacks) test.serial.skip(titleOf(engine, attack), () => undefined);
    return;
  }
  const run = test.serial;
  let sessions: Sessions;
  let session: SqlSession;
  let before = "";
  run.before(async () => {
    sessions = await open();
    session = sessions.session;
    await session.exec(fixture);
    await session.exec(script);
    await (sessions as { connectApp?: () => Promise<void> }).connectApp?.();
    before = JSON.stringify(await session.query(snapshot));
  });
  run.after.always(async () => sessions?.close());

  run(`${engine}: the application role can still do what it is granted`, async (t) => {
    // Each step on its own: the granted ones must succeed, and only the delete may be refused.
    const asApp = async (sql: string) => {
      await session.exec("SET ROLE adv_app");
      try {
        return await session.query(sql);
      } finally {
        await session.exec("RESET ROLE");
      }
    };
    try {
      await asApp("INSERT INTO shop.audit VALUES (3, 1, 'allowed')");
      await asApp("INSERT INTO shop.events VALUES (3, 60, 'allowed')");
      t.is((await asApp("SELECT count(*)::int AS n FROM shop.audit"))[0]!.n, 3);
      t.is((await asApp("SELECT count(*)::int AS n FROM shop.events"))[0]!.n, 3);
      const refused = await asApp("DELETE FROM shop.audit WHERE id = 3").then(
        () => undefined,
        (error: unknown) => sqlStateOf(error),
      );
      t.is(refused, "42501", "the delete, never granted, is refused");
    } finally {
      // Take the rows back out the only way there is: as a superuser, with the trigger set aside.
      await session.exec(`BEGIN; ALTER TABLE shop.audit DISABLE TRIGGER "${appendOnlyNames.rowTrigger}"; DELETE FROM shop.audit WHERE id = 3;
        ALTER TABLE shop.audit ENABLE ALWAYS TRIGGER "${appendOnlyNames.rowTrigger}";
        ALTER TABLE shop.events_1 DISABLE TRIGGER "${appendOnlyNames.rowTrigger}"; DELETE FROM shop.events WHERE id = 3;
        ALTER TABLE shop.events_1 ENABLE ALWAYS TRIGGER "${appendOnlyNames.rowTrigger}"; COMMIT;`);
    }
    t.is(JSON.stringify(await session.query(snapshot)), before);
  });

  for (const attack of attacks) {
    const title = titleOf(engine, attack);
    if (attack.loginOnly && engine === "PGlite") continue; // PGlite has one session, the superuser's
    run(title, async (t) => {
      const state = await attempt(sessions, attack);
      t.is(state, attack.refusedWith, state === undefined ? "the attack succeeded" : `refused with ${state}`);
      t.is(JSON.stringify(await session.query(snapshot)), before, "every row is as it was");
    });
  }
}

suite(
  "PGlite",
  async () => {
    const session = await openPglite();
    return { session, app: undefined, close: () => session.close() };
  },
);

const url = serverUrl("ROLEC_TEST_PG_URL");
suite(
  "PostgreSQL server",
  url === undefined ? undefined : async () => {
    const scratch = await openScratchDatabase(url!, ["adv_app", "adv_migrator", appendOnlyNames.owner]);
    const session = await openPgServer(scratch.databaseUrl);
    let app: SqlSession | undefined;
    return {
      session,
      // The application role logs in on its own connection, opened once the script has created it.
      get app() {
        return app;
      },
      async connectApp() {
        const appUrl = new URL(scratch.databaseUrl);
        appUrl.username = "adv_app";
        appUrl.password = "";
        app = await openPgServer(appUrl.toString());
      },
      close: async () => {
        await app?.close();
        await session.close();
        await scratch.close();
      },
    } as Sessions;
  },
);
