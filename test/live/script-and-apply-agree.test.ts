import test from "ava";
import { spawnSync } from "node:child_process";
import { renderPostgres } from "../../src/engine/postgres/index.js";
import { applyOnPostgres, planOnPostgres } from "../../src/engine/postgres/index.js";
import { type SqlSession } from "../../src/engine/index.js";
import { openPgServer } from "../../src/engine/postgres/index.js";
import { serverUrl, withScratchDatabase } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// The compiled script and `rolec apply` write their statements from one module per dialect and
// order them by one list of steps: from the same database, the script and a plan applied must
// leave the same grants, grant options, memberships and role attributes, down to the grantor.
// Each case: the objects, program A applied, drift made by hand, then program B.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;

const roles = ["sa_reader", "sa_writer", "sa_app", "sa_other"];
const objects = `
CREATE SCHEMA crm;
CREATE TABLE crm.customers (id int, email text, ssn text);
CREATE VIEW crm.emails AS SELECT id, email FROM crm.customers;
CREATE SEQUENCE crm.ids;
CREATE ROLE sa_other;`;
const schema = "schema crm { table customers (id, email, ssn) view emails (id, email) sequence ids }\n";

interface Transition {
  readonly name: string;
  readonly a: string;
  readonly drift: string;
  readonly b: string;
}

const transitions: Transition[] = [
  {
    name: "a table-wide grant narrowed to columns",
    a: "role sa_reader { select on crm.customers }",
    drift: "",
    b: "role sa_reader { select on crm.* except crm.customers(ssn) }",
  },
  {
    name: "column grants widened, with grant options and PUBLIC grants made by hand",
    a: "role sa_writer { select (id, email) on crm.customers }",
    drift: "GRANT INSERT ON crm.customers TO sa_writer WITH GRANT OPTION; GRANT SELECT ON crm.customers TO PUBLIC; GRANT UPDATE (ssn) ON crm.customers TO sa_writer;",
    b: "role sa_writer { select, update on crm.customers }",
  },
  {
    name: "a grant made on from a grant option, by a role the files do not declare",
    a: "role sa_reader { select on crm.emails }",
    drift: "GRANT USAGE ON SCHEMA crm TO sa_other; GRANT SELECT ON crm.customers TO sa_other WITH GRANT OPTION; SET ROLE sa_other; GRANT SELECT ON crm.customers TO sa_reader; RESET ROLE;",
    b: "role sa_reader { select on crm.customers, crm.emails }",
  },
  {
    name: "memberships swapped, an admin option and role attributes changed by hand",
    a: "role sa_reader { select on crm.emails }\nrole sa_writer { insert on crm.customers }\nrole sa_app login { member of sa_reader }",
    drift: "GRANT sa_writer TO sa_app WITH ADMIN OPTION; ALTER ROLE sa_app CREATEDB CONNECTION LIMIT 3; GRANT sa_other TO sa_app;",
    b: "role sa_reader { select on crm.emails }\nrole sa_writer { insert on crm.customers }\nrole sa_app login connection_limit 5 { member of sa_writer }",
  },
  {
    name: "sequence verbs changed, with defaults and schema CREATE given by hand",
    a: "role sa_app login { usage on crm.ids }",
    drift: "GRANT ALL ON SEQUENCE crm.ids TO PUBLIC; ALTER DEFAULT PRIVILEGES IN SCHEMA crm GRANT SELECT ON TABLES TO sa_app; GRANT CREATE ON SCHEMA crm TO sa_app;",
    b: "role sa_app login { select, update on crm.ids }",
  },
];

/**
 * Every fact the .roles files decide, read by a query of this test's own, for the roles the
 * cases use and PUBLIC: object, column and schema ACL entries with grantor and grant option,
 * default ACLs, memberships with their options, and role attributes.
 */
const factsQuery = `
WITH r AS (SELECT oid, rolname FROM pg_roles WHERE rolname = ANY ($1::name[]))
SELECT 'acl ' || c.relname || coalesce('(' || x.attname || ')', '') || ' ' || coalesce(g.rolname, 'PUBLIC') || ' ' || e.privilege_type
       || CASE WHEN e.is_grantable THEN ' grantable' ELSE '' END || ' by ' || pg_get_userbyid(e.grantor) AS fact
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (
  SELECT NULL::name AS attname, c.relacl AS acl
  UNION ALL
  SELECT a.attname, a.attacl FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
) x
CROSS JOIN LATERAL aclexplode(x.acl) e
LEFT JOIN r g ON g.oid = e.grantee
WHERE n.nspname = 'crm' AND (e.grantee = 0 OR g.oid IS NOT NULL) AND e.grantee <> c.relowner
UNION
SELECT 'schema ' || coalesce(g.rolname, 'PUBLIC') || ' ' || e.privilege_type || CASE WHEN e.is_grantable THEN ' grantable' ELSE '' END
FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) e LEFT JOIN r g ON g.oid = e.grantee
WHERE n.nspname = 'crm' AND (e.grantee = 0 OR g.oid IS NOT NULL)
UNION
SELECT 'default ' || d.defaclobjtype::text || ' ' || coalesce(g.rolname, 'PUBLIC') || ' ' || e.privilege_type
FROM pg_default_acl d CROSS JOIN LATERAL aclexplode(d.defaclacl) e LEFT JOIN r g ON g.oid = e.grantee
WHERE e.grantee = 0 OR g.oid IS NOT NULL
UNION
SELECT 'member ' || c.rolname || ' of ' || p.rolname || CASE WHEN m.admin_option THEN ' admin' ELSE '' END
FROM pg_auth_members m JOIN pg_roles c ON c.oid = m.member JOIN pg_roles p ON p.oid = m.roleid
WHERE c.rolname = ANY ($1::name[])
UNION
SELECT 'role ' || rolname || ' login=' || rolcanlogin || ' limit=' || rolconnlimit || ' createdb=' || rolcreatedb || ' inherit=' || rolinherit
FROM pg_roles WHERE rolname = ANY ($1::name[])
ORDER BY 1`;

async function facts(session: SqlSession): Promise<string[]> {
  return (await session.query<{ fact: string }>(factsQuery, [roles])).map((row) => row.fact);
}

/** A fresh database with the objects, program A applied and the drift made: the facts after `change` runs there. */
async function factsAfter(transition: Transition, change: (databaseUrl: string, session: SqlSession) => Promise<void>): Promise<{ facts: string[]; planAfter: string[] }> {
  return withScratchDatabase(url!, roles, async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(objects);
      const a = await applyOnPostgres(programOf(schema + transition.a).model, session, { confirm: async () => true });
      if (a.kind !== "applied" && a.kind !== "nothing to do") throw new Error(`program A did not apply: ${a.kind}`);
      if (transition.drift) await session.exec(transition.drift);
      await change(databaseUrl, session);
      const planAfter = (await planOnPostgres(programOf(schema + transition.b).model, session)).plan.changes.map((c) => c.kind);
      return { facts: await facts(session), planAfter };
    } finally {
      await session.close();
    }
  });
}

for (const transition of transitions) {
  serverTest(`${transition.name}: apply and the compiled script leave the same database`, async (t) => {
    const model = programOf(schema + transition.b).model;
    const applied = await factsAfter(transition, async (_url, session) => {
      const outcome = await applyOnPostgres(model, session, { confirm: async () => true });
      t.is(outcome.kind, "applied");
    });
    const scripted = await factsAfter(transition, async (databaseUrl) => {
      const run = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl], { input: renderPostgres(model), encoding: "utf8" });
      t.is(run.status, 0, run.stderr);
    });
    t.deepEqual(applied.planAfter, [], "after apply, the next plan is empty");
    t.deepEqual(scripted.planAfter, [], "after the script, the plan is empty");
    t.deepEqual(applied.facts, scripted.facts);
    t.true(applied.facts.some((f) => f.startsWith("acl ")), "the case leaves grants to compare");
  });
}
