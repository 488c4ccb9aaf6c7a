import { display, type Mismatch, type VerifyReport } from "../../verify-report.js";
import { quoteIdent } from "../quote.js";
import { formatRoutine, type DbObject, type Model } from "../../../model/ir.js";
import { verbOrder, verbsByKind, columnVerbs, type Verb } from "../../../model/verbs.js";
import { compareCatalog, compareRoles } from "./compare-roles.js";
import { type RoleMismatch } from "../../verify-report.js";
import { appendOnlyNames } from "../script/render-postgres.js";
import { Expectations } from "../../../model/expectations.js";
import { appendOnlySqlstate, statementProbes, withPartitions, type Outcome, type StatementProbe } from "./probes.js";
import { compareAppendOnly } from "./compare-append-only.js";
import { type AppendOnlyMismatch } from "../../verify-report.js";
import { probeSchemaOwnerDdl } from "./ddl-probes.js";
import { scratchSchemaSql } from "./scratch-schema.js";
import { compareSchemas } from "./schema-checks.js";
import { compareDatabase } from "./database-checks.js";
import { compareRoutines } from "./routine-checks.js";
import { compareTypes } from "./type-checks.js";
import { compareDefaults } from "./default-checks.js";
import { probeRoleAttributes } from "./attribute-probes.js";
import { grantOptionProbeRole, grantOptionProbes } from "./grant-option-probes.js";
import { undeclaredCreators } from "../../../model/ir.js";
import type { ConnectOutcome } from "./connect-probe.js";
import { errorMessage, sqlState, type SqlSession } from "../../session.js";



/**
 * Proves a script against its model on an empty PostgreSQL: creates the declared objects,
 * runs the script twice (it must be idempotent), then compares the declared roles' attributes and
 * memberships and every role × object × column × verb that PostgreSQL reports with the model, and
 * runs real statements as each role.
 */
export async function verifyScript(model: Model, script: string, session: SqlSession, options: { connectAs?: (role: string) => Promise<ConnectOutcome> } = {}): Promise<VerifyReport> {
  const expect = new Expectations(model);
  const summary = model.roles.flatMap((role) => [
    ...model.objects.map((o) => ({ role: role.name, object: display(o), privileges: expect.describe(role.name, o, verbOrder) })).filter((row) => row.privileges.length > 0),
    ...model.routines.filter((r) => expect.onRoutine(role.name, r)).map((r) => ({ role: role.name, object: formatRoutine(r), privileges: ["execute"] })),
    ...model.types.filter((t) => expect.onType(role.name, t)).map((t) => ({ role: role.name, object: `${t.kind} ${t.schema}.${t.name}`, privileges: ["usage"] })),
  ]);
  await session.exec(scratchSchemaSql(model).sql);
  // External roles are another program's: here they are made as plain roles, as it would leave
  // them, so that the script finds them and every check can look at them too.
  const externals = model.roles.filter((r) => r.external);
  if (externals.length > 0) await session.exec(externals.map((r) => `CREATE ROLE ${quoteIdent(r.name)}${r.login ? " LOGIN" : ""};`).join("\n"));
  // So are the creators of default privileges the files do not declare: most often the owner of the tables.
  const creators = undeclaredCreators(model);
  if (creators.length > 0) await session.exec(creators.map((name) => `CREATE ROLE ${quoteIdent(name)};`).join("\n"));
  const rolesBefore = new Set((await session.query<{ rolname: string }>("SELECT rolname FROM pg_catalog.pg_roles")).map((r) => r.rolname));
  for (const run of ["first", "second"]) {
    try {
      await session.exec(script);
    } catch (error) {
      await session.exec("ROLLBACK").catch(() => undefined);
      return {
        scriptError: `the script failed on its ${run} run: ${errorMessage(error)}`,
        privilegeChecks: 0,
        statementChecks: 0,
        mismatches: [],
        roleMismatches: [],
        appendOnlyMismatches: [],
        summary,
      };
    }
  }

  const attributeProbes = await probeRoleAttributes(model, session);
  const roleMismatches = [...(await compareRoles(model, session)), ...(await compareCatalog(model, session, rolesBefore, [appendOnlyNames.owner])), ...attributeProbes.mismatches];
  const appendOnlyMismatches = [...(await compareAppendOnly(model, session)), ...(await probeSchemaOwnerDdl(model, session))];
  const mismatches: Mismatch[] = [];
  const privilegeChecks = await comparePrivilegeFunctions(model, expect, session, mismatches);
  const schemaChecks = await compareSchemas(model, expect, session);
  mismatches.push(...schemaChecks.mismatches);
  const databaseChecks = await compareDatabase(model, expect, session, options.connectAs);
  mismatches.push(...databaseChecks.mismatches);
  const routineChecks = await compareRoutines(model, expect, session);
  mismatches.push(...routineChecks.mismatches);
  const typeChecks = await compareTypes(model, expect, session);
  mismatches.push(...typeChecks.mismatches);
  const defaultChecks = await compareDefaults(model, expect, session);
  mismatches.push(...defaultChecks.mismatches);
  const probes = [...statementProbes(model, expect), ...grantOptionProbes(model, expect)];
  await session.exec("BEGIN");
  try {
    await session.exec(`CREATE ROLE ${quoteIdent(grantOptionProbeRole)}`);
    for (const probe of probes) {
      const actual = await runProbe(probe, session);
      if (probe.expected !== actual.outcome) {
        mismatches.push({
          role: probe.role,
          object: display(probe.object),
          verb: probe.verb,
          ...(probe.column !== undefined ? { column: probe.column } : {}),
          ...(probe.grantOption ? { grantOption: true as const } : {}),
          check: "statement",
          expected: describeOutcome(probe.expected),
          actual: actual.detail,
          sql: (probe.setup ? probe.setup + "; " : "") + probe.sql,
        });
      }
    }
  } finally {
    await session.exec("ROLLBACK");
  }
  return {
    privilegeChecks: privilegeChecks + schemaChecks.privilegeChecks + databaseChecks.privilegeChecks + routineChecks.privilegeChecks + typeChecks.privilegeChecks + defaultChecks.privilegeChecks,
    statementChecks: probes.length + schemaChecks.statementChecks + databaseChecks.statementChecks + routineChecks.statementChecks + typeChecks.statementChecks + defaultChecks.statementChecks + attributeProbes.statementChecks,
    mismatches,
    roleMismatches,
    appendOnlyMismatches,
    summary,
  };
}

/** SQLSTATE check_violation, which a row outside a partition's bound raises. */
const checkViolation = "23514";

async function runProbe(probe: StatementProbe, session: SqlSession): Promise<{ outcome: Outcome | "error"; detail: string }> {
  await session.exec("SAVEPOINT rolec_probe");
  try {
    if (probe.role !== undefined) await session.exec(`SET LOCAL ROLE ${quoteIdent(probe.role)}`);
    if (probe.setup) await session.exec(probe.setup);
    await session.query(probe.sql);
    return { outcome: "allowed", detail: "allowed" };
  } catch (error) {
    const state = sqlState(error);
    if (state === "42501") return { outcome: "denied", detail: "denied (permission denied)" };
    if (state === appendOnlySqlstate) return { outcome: "append-only", detail: "refused by the append-only trigger" };
    // A partition's bound refused the probe's row (the scratch tables have no other CHECK):
    // PostgreSQL checks privileges before it touches a row, so they let the statement through.
    if (state === checkViolation) return { outcome: "allowed", detail: "allowed (the row is outside the partition's bound)" };
    return { outcome: "error", detail: `failed with ${state ?? "an error"}: ${errorMessage(error)}` };
  } finally {
    await session.exec("ROLLBACK TO SAVEPOINT rolec_probe; RESET ROLE");
  }
}

interface PrivilegeRow {
  role: string;
  verb: string;
  col: string | null;
  granted: boolean;
  grantable: boolean;
}

/** has_table_privilege, has_column_privilege and has_sequence_privilege for every role × verb, one query per object. */
async function comparePrivilegeFunctions(model: Model, expect: Expectations, session: SqlSession, mismatches: Mismatch[]): Promise<number> {
  const roles = model.roles.map((r) => r.name);
  let checks = 0;
  for (const object of withPartitions(model)) {
    const verbs = object.kind === "sequence" ? verbsByKind.sequence : verbsByKind.table;
    const sql =
      object.kind === "sequence"
        ? `SELECT r.rolname AS role, v.verb, NULL::text AS col, pg_catalog.has_sequence_privilege(r.oid, c.oid, v.verb) AS granted,
                  pg_catalog.has_sequence_privilege(r.oid, c.oid, v.verb || ' WITH GRANT OPTION') AS grantable
           FROM pg_catalog.pg_roles r, pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace, pg_catalog.unnest($3::text[]) v(verb)
           WHERE r.rolname = ANY ($4::text[]) AND n.nspname = $1 AND c.relname = $2`
        : `SELECT r.rolname AS role, v.verb, NULL::text AS col, pg_catalog.has_table_privilege(r.oid, c.oid, v.verb) AS granted,
                  pg_catalog.has_table_privilege(r.oid, c.oid, v.verb || ' WITH GRANT OPTION') AS grantable
           FROM pg_catalog.pg_roles r, pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace, pg_catalog.unnest($3::text[]) v(verb)
           WHERE r.rolname = ANY ($4::text[]) AND n.nspname = $1 AND c.relname = $2
           UNION ALL
           SELECT r.rolname, v.verb, a.attname::text, pg_catalog.has_column_privilege(r.oid, c.oid, a.attnum, v.verb),
                  pg_catalog.has_column_privilege(r.oid, c.oid, a.attnum, v.verb || ' WITH GRANT OPTION')
           FROM pg_catalog.pg_roles r, pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped,
             pg_catalog.unnest($5::text[]) v(verb)
           WHERE r.rolname = ANY ($4::text[]) AND n.nspname = $1 AND c.relname = $2`;
    const params: unknown[] = [object.schema, object.name, verbs.map((v) => v.toUpperCase()), roles];
    if (object.kind !== "sequence") params.push([...columnVerbs].map((v) => v.toUpperCase()));
    const rows = await session.query<PrivilegeRow>(sql, params);
    const expectedRows = roles.length * (verbs.length + (object.kind === "sequence" ? 0 : object.columns.length * columnVerbs.size));
    if (rows.length !== expectedRows) {
      // The script dropped or changed the object (a hand-edited script can): that is a finding, not a crash.
      mismatches.push({ role: undefined, object: display(object), verb: verbs[0]!, check: "privilege function", expected: `${expectedRows} privilege rows`, actual: `${rows.length} (is the object still there, with its columns?)` });
      continue;
    }
    for (const row of rows) {
      checks += 2;
      const verb = row.verb.toLowerCase() as Verb;
      // A grant option is declared on whole objects only, and reaches every column with them.
      const grantable = expect.withGrantOption(row.role, object, verb);
      if (grantable !== row.grantable) {
        mismatches.push({
          role: row.role,
          object: display(object),
          verb,
          ...(row.col !== null ? { column: row.col } : {}),
          grantOption: true,
          check: "privilege function",
          expected: grantable ? "granted" : "not granted",
          actual: row.grantable ? "granted" : "not granted",
        });
      }
      const wanted = row.col === null ? expect.onObject(row.role, object, verb) : expect.onColumn(row.role, object, verb, row.col);
      if (wanted !== row.granted) {
        mismatches.push({
          role: row.role,
          object: display(object),
          verb,
          ...(row.col !== null ? { column: row.col } : {}),
          check: "privilege function",
          expected: wanted ? "granted" : "not granted",
          actual: row.granted ? "granted" : "not granted",
        });
      }
    }
  }
  return checks;
}

function describeOutcome(outcome: Outcome): string {
  return outcome === "append-only" ? "refused by the append-only trigger" : outcome;
}


