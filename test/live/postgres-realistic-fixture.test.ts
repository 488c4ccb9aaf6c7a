import test from "ava";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { SqlSession } from "../../src/engine/index.js";
import { applyOnPostgres, openPgServer, planOnPostgres } from "../../src/engine/postgres/index.js";
import { serverUrl, withScratchDatabase } from "../helpers/databases.js";
import { expectImportRoundTrips, importDatabase } from "../helpers/import-round-trip.js";
import { programOf } from "../helpers/program.js";
import { repoRoot } from "../helpers/program.js";

// The "done means", on what the language says so far: a database with the grants a DBA
// makes by hand (fixtures/realistic-postgres.sql) is imported, and plan with the imported files is
// empty. Then every role but the objects' owner is dropped with everything it holds, PUBLIC's
// grants are taken away too (EXECUTE on the routines included), and the imported files are
// applied: a dump of the catalog (raw ACLs without grantors, every role × object × verb and
// role × routine as PostgreSQL answers it, default ACLs, attributes, settings, comments and
// memberships) must be what it was.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;
const fixture = readFileSync(path.join(repoRoot, "test/live/fixtures/realistic-postgres.sql"), "utf8");
const roles = ["fx_owner", "fx_app_rw", "fx_reporting", "fx_web", "fx_analyst", "fx_etl", "fx_migrator", "fx_monitor", "fx_dba"];
const dropped = roles.filter((r) => r !== "fx_owner");

/** Everything the fixture's roles and PUBLIC hold, one fact per line, in a stable order; grantors left out. */
async function dump(session: SqlSession): Promise<string[]> {
  const rows = await session.query<{ fact: string }>(
    `WITH ours AS (SELECT oid, rolname FROM pg_roles WHERE rolname LIKE 'fx\\_%'),
     relations AS (SELECT c.oid, n.nspname, c.relname, c.relkind, c.relacl FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname IN ('app', 'reporting', 'scratch', 'public') AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')),
     who(oid, name) AS (SELECT oid, rolname FROM ours UNION ALL SELECT 0, 'PUBLIC')
     SELECT 'role ' || r.rolname || ': login=' || r.rolcanlogin || ' limit=' || r.rolconnlimit || ' createdb=' || r.rolcreatedb || ' createrole=' || r.rolcreaterole
            || ' inherit=' || r.rolinherit || ' comment=' || COALESCE(shobj_description(r.oid, 'pg_authid'), '-')
            || ' settings=' || COALESCE((SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting s WHERE s.setrole = r.oid AND s.setdatabase = 0), '-') AS fact
     FROM pg_roles r JOIN ours o ON o.oid = r.oid
     UNION ALL
     SELECT 'member ' || c.rolname || ' of ' || p.rolname || ' admin=' || m.admin_option FROM pg_auth_members m JOIN pg_roles p ON p.oid = m.roleid JOIN ours c ON c.oid = m.member
     UNION ALL
     SELECT 'acl ' || r.nspname || '.' || r.relname || ': ' || w.name || ' ' || x.privilege_type || CASE WHEN x.is_grantable THEN ' grantable' ELSE '' END
     FROM relations r CROSS JOIN LATERAL aclexplode(r.relacl) x JOIN who w ON w.oid = x.grantee
     UNION ALL
     SELECT 'acl ' || r.nspname || '.' || r.relname || '(' || a.attname || '): ' || w.name || ' ' || x.privilege_type
     FROM relations r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 CROSS JOIN LATERAL aclexplode(a.attacl) x JOIN who w ON w.oid = x.grantee
     UNION ALL
     SELECT 'acl schema ' || n.nspname || ': ' || w.name || ' ' || x.privilege_type || CASE WHEN x.is_grantable THEN ' grantable' ELSE '' END
     FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) x JOIN who w ON w.oid = x.grantee WHERE n.nspname IN ('app', 'reporting', 'scratch', 'public')
     UNION ALL
     SELECT 'acl routine ' || p.oid::regprocedure::text || ': ' || w.name || ' ' || x.privilege_type || CASE WHEN x.is_grantable THEN ' grantable' ELSE '' END
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace CROSS JOIN LATERAL aclexplode(COALESCE(p.proacl, acldefault('f', p.proowner))) x JOIN who w ON w.oid = x.grantee
     WHERE n.nspname IN ('app', 'reporting')
     UNION ALL
     SELECT 'can ' || o.rolname || ' EXECUTE ' || p.oid::regprocedure::text || '=' || has_function_privilege(o.oid, p.oid, 'EXECUTE')
     FROM ours o CROSS JOIN pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname IN ('app', 'reporting')
     UNION ALL
     SELECT 'acl database: ' || w.name || ' ' || x.privilege_type || CASE WHEN x.is_grantable THEN ' grantable' ELSE '' END
     FROM pg_database d CROSS JOIN LATERAL aclexplode(d.datacl) x JOIN who w ON w.oid = x.grantee WHERE d.datname = current_database()
     UNION ALL
     SELECT 'can ' || o.rolname || ' ' || v.verb || ' ' || r.nspname || '.' || r.relname || '=' ||
            CASE WHEN r.relkind = 'S' THEN has_sequence_privilege(o.oid, r.oid, CASE WHEN v.verb IN ('USAGE', 'SELECT', 'UPDATE') THEN v.verb ELSE 'USAGE' END)
                 WHEN v.verb = 'USAGE' THEN false ELSE has_table_privilege(o.oid, r.oid, v.verb) END
     FROM ours o CROSS JOIN relations r CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'USAGE']) v(verb)
     UNION ALL
     SELECT 'can ' || o.rolname || ' ' || v.verb || ' schema ' || n.nspname || '=' || has_schema_privilege(o.oid, n.oid, v.verb)
     FROM ours o CROSS JOIN pg_namespace n CROSS JOIN unnest(ARRAY['USAGE', 'CREATE']) v(verb) WHERE n.nspname IN ('app', 'reporting', 'scratch', 'public')
     UNION ALL
     SELECT 'can ' || o.rolname || ' ' || v.verb || ' database=' || has_database_privilege(o.oid, current_database(), v.verb)
     FROM ours o CROSS JOIN unnest(ARRAY['CONNECT', 'TEMPORARY', 'CREATE']) v(verb)
     UNION ALL
     SELECT 'default ' || c.rolname || ' ' || COALESCE(n.nspname, '*') || ' ' || d.defaclobjtype::text || ': ' || w.name || ' ' || x.privilege_type || CASE WHEN x.is_grantable THEN ' grantable' ELSE '' END
     FROM pg_default_acl d JOIN ours c ON c.oid = d.defaclrole LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
     CROSS JOIN LATERAL aclexplode(d.defaclacl) x JOIN who w ON w.oid = x.grantee
     UNION ALL
     SELECT 'in ' || o.rolname || ' ' || p.rolname || '=' || pg_has_role(o.oid, p.oid, 'USAGE')
     FROM ours o CROSS JOIN pg_roles p WHERE p.rolname IN ('pg_monitor', 'pg_read_all_stats')
     ORDER BY 1`,
  );
  return rows.map((r) => r.fact);
}

serverTest("a hand-granted database imports to files whose plan is empty, and applying them after the roles are dropped gives back the same catalog", async (t) => {
  await withScratchDatabase(url!, roles, async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(fixture);
      const before = await dump(session);
      t.true(before.some((f) => f === "acl database: fx_etl TEMPORARY") && before.some((f) => f === "acl app.countries: PUBLIC SELECT"), "the fixture is what it says");
      t.true(before.includes("acl routine app.archive_orders(date): PUBLIC EXECUTE") && before.includes("can fx_web EXECUTE app.order_total(bigint)=true") && before.includes("can fx_analyst EXECUTE app.order_total(bigint)=false"), "and so are its routines");
      t.true(before.includes("acl reporting.monthly_sales: fx_reporting SELECT") && before.includes("can fx_web INSERT app.legacy_customers=true"), "and its materialized view and foreign table");
      t.true(before.includes("member fx_analyst of fx_reporting admin=true"), "and its admin option");
      t.true(before.includes("acl reporting.monthly_sales: fx_analyst SELECT grantable"), "and its grant option");
      t.true(before.includes("acl schema reporting: fx_analyst USAGE grantable") && before.includes("acl database: fx_dba CONNECT grantable"), "and its grant options on a schema and the database");
      t.true(before.includes("acl app.orders_2026: fx_analyst SELECT") && before.includes("can fx_analyst SELECT app.orders_2026=true") && before.includes("can fx_analyst SELECT app.orders_2025=false"), "and its grant on a partition");
      t.true(before.some((f) => f.startsWith("role fx_dba: login=true") && f.includes("inherit=false")) && before.includes("can fx_dba SELECT app.orders=false") && before.includes("can fx_web SELECT app.orders=true"), "and its NOINHERIT login");
      t.true(before.includes("default fx_owner app r: fx_reporting SELECT") && before.includes("default fx_migrator scratch r: fx_analyst SELECT grantable") && before.includes("default fx_owner * f: fx_owner EXECUTE"), "and its default privileges");

      const imported = await importDatabase(t, databaseUrl);
      t.true(imported.schemas.includes("view monthly_sales (month, total_cents)") && imported.schemas.includes("table legacy_customers (id, email)"), imported.schemas);
      await expectImportRoundTrips(t, session, imported);
      const program = programOf({ "schemas.roles": imported.schemas, "roles.roles": imported.roles });

      // Drop every role but the owner, with everything it holds, and take PUBLIC's grants away.
      for (const role of dropped) await session.exec(`DROP OWNED BY ${role}; DROP ROLE ${role};`);
      await session.exec(`REVOKE ALL ON app.countries FROM PUBLIC; REVOKE ALL ON SCHEMA app FROM PUBLIC;
        REVOKE ALL ON ALL FUNCTIONS IN SCHEMA app, reporting FROM PUBLIC; REVOKE ALL ON ALL PROCEDURES IN SCHEMA app FROM PUBLIC;
        DO $$ BEGIN EXECUTE format('GRANT ALL ON DATABASE %I TO PUBLIC', current_database()); END $$;
        ALTER DEFAULT PRIVILEGES FOR ROLE fx_owner GRANT EXECUTE ON FUNCTIONS TO PUBLIC;`);
      const emptied = await dump(session);
      t.notDeepEqual(emptied, before);
      t.false(emptied.some((f) => f.startsWith("default ")), `no default privileges are left to find: ${emptied.filter((f) => f.startsWith("default ")).join("; ")}`);

      t.is((await applyOnPostgres(program.model, session, { confirm: async () => true })).kind, "applied");
      t.deepEqual(await dump(session), before);
      t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
    } finally {
      await session.close();
    }
  });
});
