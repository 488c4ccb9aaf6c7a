import test from "ava";
import { renderPostgres } from "../../src/engine/postgres/index.js";
import { type VerifyReport } from "../../src/engine/index.js";
import { openPglite, verifyScript } from "../../src/engine/postgres/index.js";
import { programOf } from "../helpers/program.js";

const program = programOf(`schema s {
  table customers (id, email, ssn)
  append_only table log (id, what)
  sequence ids
}
role reader { select on s.customers except s.customers(ssn) }
role writer { member of reader
  insert on s.log
  usage on s.ids }
role auditor { select on s.log }
`);
const script = renderPostgres(program.model);

async function verify(tampered: string): Promise<VerifyReport> {
  const session = await openPglite();
  try {
    return await verifyScript(program.model, tampered, session);
  } finally {
    await session.close();
  }
}

test("the untouched script verifies", async (t) => {
  t.deepEqual((await verify(script)).mismatches, []);
});

test("an extra grant is caught, by the privilege functions and by a real statement", async (t) => {
  const report = await verify(script + "\nGRANT SELECT (ssn) ON s.customers TO reader;\n");
  const ssn = report.mismatches.filter((m) => m.column === "ssn" && m.verb === "select");
  t.true(ssn.some((m) => m.role === "reader" && m.check === "privilege function"));
  t.true(ssn.some((m) => m.role === "reader" && m.check === "statement" && m.actual === "allowed"));
  t.true(ssn.some((m) => m.role === "writer"), "inherited by the member too");
});

test("a missing grant is caught", async (t) => {
  const tampered = script.replace(/^GRANT USAGE ON SEQUENCE .*$/m, "");
  t.not(tampered, script);
  const report = await verify(tampered);
  t.true(report.mismatches.some((m) => m.role === "writer" && m.verb === "usage" && m.expected === "allowed"));
});

test("a disabled append-only trigger is caught", async (t) => {
  const report = await verify(script + '\nALTER TABLE s.log DISABLE TRIGGER "rolec_append_only_row";\n');
  t.true(report.mismatches.some((m) => m.role === undefined && m.verb === "update" && m.actual === "allowed"));
  t.true(report.mismatches.some((m) => m.role === undefined && m.verb === "delete" && m.actual === "allowed"));
});

test("a trigger that is not ENABLE ALWAYS is caught under session_replication_role = replica", async (t) => {
  const report = await verify(script + '\nALTER TABLE s.log ENABLE TRIGGER "rolec_append_only_row";\n');
  const bypassed = report.mismatches.filter((m) => m.role === undefined && m.sql?.includes("replica"));
  t.true(bypassed.length >= 2);
});

test("a script that fails is reported, not verified", async (t) => {
  const report = await verify(script.replace("COMMIT;", "SELECT 1/0;\nCOMMIT;"));
  t.regex(report.scriptError ?? "", /division by zero/);
  t.is(report.statementChecks, 0);
});

test("a changed role attribute, an extra membership or a power is caught", async (t) => {
  const report = await verify(script + '\nALTER ROLE writer LOGIN CONNECTION LIMIT 3 CREATEDB;\nGRANT auditor, pg_read_all_data TO reader;\n');
  t.is(report.scriptError, undefined);
  t.deepEqual(
    report.roleMismatches.map((m) => `${m.role} ${m.what}: ${m.expected} → ${m.actual}`),
    ["reader member of: (none) → auditor, pg_read_all_data", "writer login: false → true", "writer connection limit: -1 → 3", "writer powers: (none) → createdb"],
  );
});

test("the script converges a drifted database back to the .roles files", async (t) => {
  // Hand-made changes of every kind the script manages, then the script once more.
  const drift = `
    GRANT ALL ON s.customers TO reader, writer, PUBLIC;
    REVOKE INSERT ON s.log FROM writer;
    GRANT UPDATE (what) ON s.log TO writer;
    GRANT auditor TO writer, reader;
    ALTER ROLE reader LOGIN CONNECTION LIMIT 1;
    ALTER TABLE s.log DISABLE TRIGGER ALL;
    REVOKE USAGE ON SCHEMA s FROM reader;
    COMMENT ON ROLE writer IS 'hand-made';
    GRANT pg_read_all_data TO reader;
    ALTER ROLE writer CREATEDB BYPASSRLS;`;
  const tampered = await verify(script + drift);
  t.is(tampered.scriptError, undefined);
  t.true(tampered.mismatches.length > 0 && tampered.roleMismatches.length > 0, "the drift is visible");
  const converged = await verify(script + drift + script);
  t.is(converged.scriptError, undefined);
  t.deepEqual(converged.roleMismatches, []);
  t.deepEqual(converged.mismatches, []);
});

test("hostile additions to a script are caught: a new superuser, grants to undeclared roles, admin options, CREATE, owners", async (t) => {
  const report = await verify(
    script.replace(
      "COMMIT;",
      () => `DO $$ BEGIN CREATE ROLE evil LOGIN SUPERUSER; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
       GRANT SELECT ON s.customers TO evil;
       GRANT INSERT ON s.customers TO PUBLIC;
       GRANT reader TO writer WITH ADMIN OPTION;
       GRANT CREATE ON SCHEMA s TO reader;
       COMMIT;`,
    ),
  );
  t.is(report.scriptError, undefined);
  const found = report.roleMismatches.map((m) => `${m.role} ${m.what}`);
  t.true(found.includes("evil exists"));
  t.true(found.includes("evil SELECT on s.customers"));
  t.true(found.includes("PUBLIC INSERT on s.customers"));
  t.true(found.includes("writer admin option on reader"));
  t.deepEqual(
    report.mismatches.filter((m) => m.object === "schema s" && m.verb === "create").map((m) => `${m.role} ${m.check}: ${m.actual}`),
    // writer holds it through the membership in reader the script gained too.
    ["reader privilege function: granted", "writer privilege function: granted", "reader statement: allowed", "writer statement: allowed"],
  );
  const owned = await verify(script.replace("COMMIT;", "ALTER TABLE s.customers OWNER TO reader;\nCOMMIT;"));
  t.regex(owned.scriptError ?? "", /a role declared in the \.roles files owns \(or is a member of the owner of\) what they manage: reader owns s\.customers/);
  // pg_database_owner owns a schema for whoever owns the database: a declared role must not be that.
  const viaDatabase = await verify(
    script.replace("COMMIT;", "ALTER SCHEMA s OWNER TO pg_database_owner;\nALTER DATABASE postgres OWNER TO writer;\nCOMMIT;"),
  );
  t.regex(viaDatabase.scriptError ?? "", /pg_database_owner owns schema s/);
});

test("the script converges grant options, admin options and grants passed on by declared roles", async (t) => {
  const drift = `
    GRANT SELECT ON s.customers TO writer WITH GRANT OPTION;
    SET ROLE writer; GRANT SELECT ON s.customers TO auditor; RESET ROLE;
    GRANT reader TO writer WITH ADMIN OPTION;
    GRANT reader TO writer WITH INHERIT FALSE;
    GRANT CREATE ON SCHEMA s TO reader;`;
  const drifted = await verify(script + drift);
  t.true(drifted.roleMismatches.some((m) => m.role === "writer" && m.what === "inherit option on reader"));
  const report = await verify(script + drift + script);
  t.is(report.scriptError, undefined);
  t.deepEqual(report.roleMismatches, []);
  t.deepEqual(report.mismatches, []);
});

test("the script converges grants that another grantor made to declared roles and PUBLIC", async (t) => {
  const drift = `
    DO $$ BEGIN CREATE ROLE other; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
    GRANT USAGE ON SCHEMA s TO other;
    GRANT SELECT, INSERT ON s.customers TO other WITH GRANT OPTION;
    GRANT USAGE ON SEQUENCE s.ids TO other WITH GRANT OPTION;
    SET ROLE other;
    GRANT SELECT ON s.customers TO reader;
    GRANT INSERT (ssn) ON s.customers TO writer;
    GRANT SELECT ON s.customers TO PUBLIC;
    GRANT USAGE ON SEQUENCE s.ids TO auditor;
    RESET ROLE;
    GRANT CREATE ON SCHEMA s TO other WITH GRANT OPTION;
    SET ROLE other; GRANT CREATE ON SCHEMA s TO auditor; RESET ROLE;
    GRANT reader TO other WITH ADMIN OPTION;
    SET ROLE other; GRANT reader TO auditor; GRANT reader TO writer WITH ADMIN OPTION; RESET ROLE;`;
  const drifted = await verify(script + drift);
  t.is(drifted.scriptError, undefined);
  t.true(drifted.mismatches.some((m) => m.role === "reader" && m.column === "ssn"), "the drift is visible");
  const driftedRoles = drifted.roleMismatches.map((m) => `${m.role} ${m.what}`);
  // CREATE on a schema is checked for every declared role with has_schema_privilege and a real CREATE TABLE.
  const createOnSchema = (m: { role: string | undefined; object: string; verb: string }) => m.object === "schema s" && m.verb === "create";
  t.deepEqual(drifted.mismatches.filter(createOnSchema).map((m) => m.role), ["auditor", "auditor"]);
  t.true(driftedRoles.includes("auditor member of"), driftedRoles.join("; "));
  t.true(driftedRoles.includes("writer admin option on reader"), driftedRoles.join("; "));
  const report = await verify(script + drift + script);
  t.is(report.scriptError, undefined);
  t.deepEqual(report.mismatches, []);
  // Only the undeclared role the drift created remains, holding its own grants: not rolec's business.
  t.deepEqual([...new Set(report.roleMismatches.map((m) => m.role))], ["other"]);
});
