import type { Mismatch } from "../../verify-report.js";
import { managesDatabase, type Model } from "../../../model/ir.js";
import type { Expectations } from "../../../model/expectations.js";
import { databaseVerbOrder, type DatabaseVerb } from "../../../model/verbs.js";
import type { SqlSession } from "../../session.js";
import { grantedWord, runAsRole } from "./run-as.js";
import type { ConnectOutcome } from "./connect-probe.js";

/**
 * CONNECT, TEMPORARY and CREATE on the database, for every declared role, when the files say
 * anything of the database: first what has_database_privilege says, then real statements run as
 * the role. CREATE TEMPORARY TABLE needs TEMPORARY and nothing else (the first one of a session
 * makes its temporary schema, which is when PostgreSQL checks); CREATE SCHEMA needs CREATE and
 * nothing else. SET ROLE never connects, so CONNECT is proved by logging in as each login role
 * where verify runs on a server (`connectAs`); on PGlite, by the privilege function only.
 * verify's scratch database has PUBLIC's defaults taken away first (scratch-schema.ts), so what a
 * role holds there is what the script gave it.
 */
export async function compareDatabase(
  model: Model,
  expect: Expectations,
  session: SqlSession,
  connectAs?: (role: string) => Promise<ConnectOutcome>,
): Promise<{ privilegeChecks: number; statementChecks: number; mismatches: Mismatch[] }> {
  if (!managesDatabase(model)) return { privilegeChecks: 0, statementChecks: 0, mismatches: [] };
  const roles = model.roles.map((r) => r.name);
  const rows = await session.query<{ role: string; verb: string; granted: boolean; grantable: boolean }>(
    `SELECT r.rolname AS role, v.verb, pg_catalog.has_database_privilege(r.oid, pg_catalog.current_database(), v.verb) AS granted,
            pg_catalog.has_database_privilege(r.oid, pg_catalog.current_database(), v.verb || ' WITH GRANT OPTION') AS grantable
     FROM pg_catalog.pg_roles r, pg_catalog.unnest(ARRAY['CONNECT', 'TEMPORARY', 'CREATE']) v(verb)
     WHERE r.rolname = ANY ($1::text[])`,
    [roles],
  );
  const mismatches: Mismatch[] = [];
  for (const row of rows) {
    const verb = row.verb.toLowerCase() as DatabaseVerb;
    const expected = expect.onDatabase(row.role, verb);
    if (expected !== row.granted) {
      mismatches.push({ role: row.role, object: "the database", verb, check: "privilege function", expected: grantedWord(expected), actual: grantedWord(row.granted) });
    }
    const grantable = expect.databaseWithGrantOption(row.role, verb);
    if (grantable !== row.grantable) {
      mismatches.push({ role: row.role, object: "the database", verb, grantOption: true, check: "privilege function", expected: grantedWord(grantable), actual: grantedWord(row.grantable) });
    }
  }
  if (rows.length !== roles.length * databaseVerbOrder.length) {
    mismatches.push({ role: undefined, object: "the database", verb: "connect", check: "privilege function", expected: `${roles.length * databaseVerbOrder.length} rows`, actual: `${rows.length}` });
  }

  const probes: { verb: DatabaseVerb; sql: string }[] = [
    { verb: "temporary", sql: "CREATE TEMPORARY TABLE rolec_verify_temporary_probe (id int)" },
    { verb: "create", sql: "CREATE SCHEMA rolec_verify_created_schema" },
  ];
  let statements = 0;
  await session.exec("BEGIN");
  try {
    for (const role of roles) {
      for (const probe of probes) {
        statements += 1;
        const expected = expect.onDatabase(role, probe.verb) ? "allowed" : "denied";
        const actual = await runAsRole(role, probe.sql, session);
        if (actual !== expected) mismatches.push({ role, object: "the database", verb: probe.verb, check: "statement", expected, actual, sql: probe.sql });
      }
    }
  } finally {
    await session.exec("ROLLBACK");
  }
  // Logging in: only a login role can, and only where the server lets verify log in as it at all.
  for (const role of connectAs ? model.roles.filter((r) => r.login) : []) {
    const outcome = await connectAs!(role.name);
    if (outcome === "cannot log in here") continue;
    statements += 1;
    const expected = expect.onDatabase(role.name, "connect") ? "connected" : "refused";
    if (outcome !== expected) mismatches.push({ role: role.name, object: "the database", verb: "connect", check: "statement", expected, actual: outcome, sql: "(a new session, logged in as the role)" });
  }
  return { privilegeChecks: rows.length, statementChecks: statements, mismatches };
}
