import test from "ava";
import { appendOnlyNames, quoteIdent, renderPostgres } from "../../src/engine/postgres/index.js";
import { importPostgres } from "../../src/engine/postgres/index.js";
import { planJson, renderPlanText } from "../../src/live/index.js";
import { describeChange, renderRoles, renderSchemas } from "../../src/engine/index.js";
import { applyOnPostgres, planOnPostgres } from "../../src/engine/postgres/index.js";
import type { SqlSession } from "../../src/engine/index.js";
import { serverUrl, withDeclaredObjects } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// ALTER DEFAULT PRIVILEGES gives roles privileges on tables created later: a declared table
// dropped and created again would come back with them. Where the files name no creator (no
// `created by`), plan shows those of every creator as drift and apply (and the compiled script)
// revoke them; postgres-declared-default-privileges.test.ts has the creators the files manage.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;

const program = programOf(`schema s {
  table orders (id, total)
  sequence order_ids
}
role defaults_app { select, insert on s.orders  usage on s.order_ids }
`);
// The role that creates tables has a hostile name: it lands in every ALTER DEFAULT PRIVILEGES.
const creatorName = `defaults "creator'; --`;
const creator = quoteIdent(creatorName);
const roles = ["defaults_app", creatorName, "defaults_outsider", "Evil\"; DROP ROLE x; --", appendOnlyNames.owner];
const yes = async () => true;

async function onServer<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
  return withDeclaredObjects(url!, roles, program.model, async (session) => {
    await session.exec(`CREATE ROLE defaults_app; CREATE ROLE ${creator}; CREATE ROLE defaults_outsider; CREATE ROLE "Evil""; DROP ROLE x; --";
      GRANT CREATE, USAGE ON SCHEMA s TO ${creator};
      ALTER TABLE s.orders OWNER TO ${creator};`);
    return fn(session);
  });
}

/** Creates s.<table> (dropping it first if it exists) as the creator role, and says what defaults_app then holds on it. */
async function newTablePrivileges(session: SqlSession, table: "orders" | "probe"): Promise<string> {
  await session.exec(`DROP TABLE IF EXISTS s.${table}; SET ROLE ${creator}; CREATE TABLE s.${table} (id int, total int); RESET ROLE;`);
  const [row] = await session.query<{ privileges: string | null }>(
    `SELECT string_agg(a.privilege_type, ',' ORDER BY a.privilege_type) AS privileges
     FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
     WHERE c.oid = 's.${table}'::regclass AND a.grantee = 'defaults_app'::regrole`,
  );
  if (table === "probe") await session.exec("DROP TABLE s.probe");
  return row?.privileges ?? "";
}

const setUpDefaults = `
  ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} IN SCHEMA s GRANT ALL ON TABLES TO defaults_app;
  ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} GRANT UPDATE ON SEQUENCES TO defaults_app;
  ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} IN SCHEMA s GRANT SELECT ON TABLES TO PUBLIC;
  ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} IN SCHEMA s GRANT SELECT ON TABLES TO defaults_outsider;
  ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} IN SCHEMA s GRANT SELECT ON TABLES TO "Evil""; DROP ROLE x; --";`;

serverTest("default privileges that give a declared role or PUBLIC privileges on future tables are drift; apply revokes them", async (t) => {
  await onServer(async (session) => {
    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    await session.exec(setUpDefaults);
    const all = await newTablePrivileges(session, "probe");
    t.regex(all, /^DELETE,INSERT,(MAINTAIN,)?REFERENCES,SELECT,TRIGGER,TRUNCATE,UPDATE$/, "the problem: a new table comes with everything");
    const planned = await planOnPostgres(program.model, session);
    const lines = planned.plan.changes.map((c) => `${c.kind} ${c.role}: ${describeChange(c)}`);
    t.true(lines.includes(`revoke-default defaults_app: default TRUNCATE on tables ${creatorName} creates in schema s`), lines.join("\n"));
    t.true(lines.includes(`revoke-default defaults_app: default UPDATE on sequences ${creatorName} creates in any schema`), lines.join("\n"));
    t.true(lines.includes(`revoke-default PUBLIC: default SELECT on tables ${creatorName} creates in schema s`), lines.join("\n"));
    // Roles the files do not declare are left alone, as with their other grants; hostile names too.
    t.false(lines.some((l) => l.includes("defaults_outsider") || l.includes("Evil")), lines.join("\n"));
    const count = all.split(",").length + 1 + 1;
    t.is(planned.plan.changes.filter((c) => c.kind === "revoke-default").length, count);
    const text = renderPlanText(planned.plan, "db", () => "");
    t.notRegex(text, /No changes/);
    t.regex(text, new RegExp(`- default UPDATE on sequences ${creatorName} creates in any schema +drift: in no \\.roles file`));
    t.true(text.includes(`Plan: 0 to add, 0 to change, ${count} to take away (${count} drift).`), text);
    const json = planJson(planned.plan, planned.statements, () => "") as { changes: { kind: string; sql: string; drift: boolean; defaultPrivileges?: { owner: string; schema: string | null } }[] };
    const sequences = json.changes.find((c) => c.kind === "revoke-default" && c.sql.includes("SEQUENCES"));
    t.is(sequences?.sql, `ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} REVOKE UPDATE ON SEQUENCES FROM "defaults_app" CASCADE;`);
    t.deepEqual(sequences?.defaultPrivileges, { owner: creatorName, schema: null, objects: "sequences" });
    t.true(sequences?.drift);

    t.is((await applyOnPostgres(program.model, session, { confirm: yes })).kind, "applied");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
    t.is(await newTablePrivileges(session, "orders"), "", "a recreated table no longer comes back with privileges for the declared role");
  });
});

serverTest("the compiled script revokes the same default privileges, and leaves undeclared roles' alone", async (t) => {
  await onServer(async (session) => {
    await session.exec(setUpDefaults);
    await session.exec(renderPostgres(program.model));
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
    const left = await session.query<{ grantee: string }>(
      `SELECT DISTINCT a.grantee::regrole::text AS grantee FROM pg_default_acl d CROSS JOIN LATERAL aclexplode(d.defaclacl) a
       WHERE a.grantee <> d.defaclrole ORDER BY 1`,
    );
    t.deepEqual(left.map((r) => r.grantee), ['"Evil""; DROP ROLE x; --"', "defaults_outsider"]);
    t.is(await newTablePrivileges(session, "orders"), "");
  });
});

serverTest("import writes every role's default privileges, hostile names included, and plan with the imported files is empty", async (t) => {
  await onServer(async (session) => {
    await session.exec(setUpDefaults);
    const imported = await importPostgres(session, ["s"]);
    const text = renderRoles(imported.program);
    t.regex(text, /^  select on future tables in schema s created by "defaults ""creator'; --"$/m);
    t.regex(text, /^role "Evil""; DROP ROLE x; --" \{\n  select on future tables in schema s created by "defaults ""creator'; --"\n\}$/m);
    t.deepEqual(imported.warnings.filter((w) => w.includes("default privileges") || w.includes("DEFAULT")), []);
    const files = programOf({ "schemas.roles": renderSchemas(imported.program), "roles.roles": text });
    t.deepEqual(files.diagnostics.filter((d) => d.severity === "error"), []);
    t.deepEqual((await planOnPostgres(files.model, session)).plan.changes, []);
  });
});
