import type { Mismatch } from "../../verify-report.js";
import { quoteQualified, quoteRoutine } from "../quote.js";
import { formatRoutine, type Model, type Routine } from "../../../model/ir.js";
import { builtInTypeSchema, type ArgType } from "../../../model/argument-types.js";
import type { Expectations } from "../../../model/expectations.js";
import type { SqlSession } from "../../session.js";
import { grantedWord, runAsRole } from "./run-as.js";

/**
 * EXECUTE on every declared function and procedure, for every declared role: first what
 * has_function_privilege says, then a real call run as the role (SELECT for a function, CALL for
 * a procedure, every argument NULL). A call also needs USAGE on the routine's schema, which
 * has_function_privilege does not look at: EXECUTE that only PUBLIC holds (PostgreSQL's default)
 * comes with no USAGE, so such a call is refused unless something else gives the role USAGE.
 */
export async function compareRoutines(model: Model, expect: Expectations, session: SqlSession): Promise<{ privilegeChecks: number; statementChecks: number; mismatches: Mismatch[] }> {
  const mismatches: Mismatch[] = [];
  if (model.routines.length === 0) return { privilegeChecks: 0, statementChecks: 0, mismatches };
  const roles = model.roles.map((r) => r.name);
  const rows = await session.query<{ role: string; routine: number; granted: boolean | null; public_usage: boolean }>(
    `SELECT r.rolname AS role, v.i AS routine, pg_catalog.has_function_privilege(r.oid, pg_catalog.to_regprocedure(v.signature), 'EXECUTE') AS granted,
            EXISTS (SELECT FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) x WHERE n.nspname = v.schema AND x.grantee = 0 AND x.privilege_type = 'USAGE') AS public_usage
     FROM pg_catalog.pg_roles r, pg_catalog.jsonb_to_recordset($2::jsonb) AS v(i int, signature text, schema text)
     WHERE r.rolname = ANY ($1::text[])`,
    [roles, JSON.stringify(model.routines.map((r, i) => ({ i, signature: quoteRoutine(r), schema: r.schema })))],
  );
  const publicUsage = new Map<number, boolean>();
  for (const row of rows) {
    const routine = model.routines[row.routine]!;
    publicUsage.set(row.routine, row.public_usage);
    const expected = expect.onRoutine(row.role, routine);
    if (row.granted === null || expected !== row.granted) {
      const actual = row.granted === null ? "missing (did the script drop or change it?)" : grantedWord(row.granted);
      mismatches.push({ role: row.role, object: formatRoutine(routine), verb: "execute", check: "privilege function", expected: grantedWord(expected), actual });
    }
  }
  if (rows.length !== roles.length * model.routines.length) {
    mismatches.push({ role: undefined, object: "functions and procedures", verb: "execute", check: "privilege function", expected: `${roles.length * model.routines.length} rows`, actual: `${rows.length}` });
  }

  let statements = 0;
  await session.exec("BEGIN");
  try {
    for (const role of roles) {
      for (const [i, routine] of model.routines.entries()) {
        statements += 1;
        // Without a `public` block PUBLIC keeps the USAGE the database gave it (schema public).
        const usage = expect.onSchema(role, routine.schema, "usage") || (!model.public && (publicUsage.get(i) ?? false));
        const expected = expect.onRoutine(role, routine) && usage;
        const sql = callOf(routine);
        const actual = await runAsRole(role, sql, session);
        if (actual !== (expected ? "allowed" : "denied")) {
          mismatches.push({ role, object: formatRoutine(routine), verb: "execute", check: "statement", expected: expected ? "allowed" : "denied", actual, sql });
        }
      }
    }
  } finally {
    await session.exec("ROLLBACK");
  }
  return { privilegeChecks: rows.length, statementChecks: statements, mismatches };
}

/** A call of the routine with every argument NULL, typed so that the overload is the one meant. */
function callOf(routine: Routine): string {
  const args = routine.args.map((t) => `NULL::${typeForCall(t)}`).join(", ");
  const name = quoteRoutine({ ...routine, args: [] }).slice(0, -2);
  return routine.kind === "procedure" ? `CALL ${name}(${args})` : `SELECT ${name}(${args})`;
}

/** A polymorphic argument (anyelement, ...) takes a value of a real type: an integer, or an array of them. */
function typeForCall(type: ArgType): string {
  if (type.schema === builtInTypeSchema && type.name.startsWith("any")) {
    return type.name.endsWith("array") ? `${quoteQualified(builtInTypeSchema, "int4")}[]` : quoteQualified(builtInTypeSchema, "int4");
  }
  return `${quoteQualified(type.schema, type.name)}${type.array ? "[]" : ""}`;
}
