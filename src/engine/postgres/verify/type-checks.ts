import type { Mismatch } from "../../verify-report.js";
import { quoteIdent, quoteQualified } from "../quote.js";
import { type Model } from "../../../model/ir.js";
import type { Expectations } from "../../../model/expectations.js";
import type { SqlSession } from "../../session.js";
import { grantedWord, runAsRole } from "./run-as.js";

/**
 * USAGE on every declared type and domain, for every declared role: first what has_type_privilege
 * says, then a real statement run as the role. Creating a table with a column of the type needs
 * USAGE on it (and USAGE on its schema, to look it up by name), so the check creates one in a
 * schema of its own where everyone may create, inside a transaction that is rolled back.
 */
export async function compareTypes(model: Model, expect: Expectations, session: SqlSession): Promise<{ privilegeChecks: number; statementChecks: number; mismatches: Mismatch[] }> {
  const mismatches: Mismatch[] = [];
  if (model.types.length === 0) return { privilegeChecks: 0, statementChecks: 0, mismatches };
  const roles = model.roles.map((r) => r.name);
  const rows = await session.query<{ role: string; type: number; granted: boolean | null; public_usage: boolean }>(
    `SELECT r.rolname AS role, v.i AS type, pg_catalog.has_type_privilege(r.oid, pg_catalog.to_regtype(v.name), 'USAGE') AS granted,
            EXISTS (SELECT FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) x WHERE n.nspname = v.schema AND x.grantee = 0 AND x.privilege_type = 'USAGE') AS public_usage
     FROM pg_catalog.pg_roles r, pg_catalog.jsonb_to_recordset($2::jsonb) AS v(i int, name text, schema text)
     WHERE r.rolname = ANY ($1::text[])`,
    [roles, JSON.stringify(model.types.map((t, i) => ({ i, name: quoteQualified(t.schema, t.name), schema: t.schema })))],
  );
  const display = (i: number) => `${model.types[i]!.kind} ${model.types[i]!.schema}.${model.types[i]!.name}`;
  const publicUsage = new Map<number, boolean>();
  for (const row of rows) {
    publicUsage.set(row.type, row.public_usage);
    const expected = expect.onType(row.role, model.types[row.type]!);
    if (row.granted === null || expected !== row.granted) {
      mismatches.push({ role: row.role, object: display(row.type), verb: "usage", check: "privilege function", expected: grantedWord(expected), actual: row.granted === null ? "missing (did the script drop it?)" : grantedWord(row.granted) });
    }
  }
  if (rows.length !== roles.length * model.types.length) {
    mismatches.push({ role: undefined, object: "types and domains", verb: "usage", check: "privilege function", expected: `${roles.length * model.types.length} rows`, actual: `${rows.length}` });
  }

  const declared = new Set(model.types.map((t) => t.schema));
  let probeSchema = "rolec_verify_type_probe";
  for (let i = 1; declared.has(probeSchema); i++) probeSchema = `rolec_verify_type_probe_${i}`;
  let statements = 0;
  await session.exec(`BEGIN; CREATE SCHEMA ${quoteIdent(probeSchema)}; GRANT USAGE, CREATE ON SCHEMA ${quoteIdent(probeSchema)} TO PUBLIC`);
  try {
    for (const role of roles) {
      for (const [i, type] of model.types.entries()) {
        statements += 1;
        // Without a `public` block PUBLIC keeps the USAGE the database gave it (schema public).
        const usage = expect.onSchema(role, type.schema, "usage") || (!model.public && (publicUsage.get(i) ?? false));
        const expected = expect.onType(role, type) && usage;
        const sql = `CREATE TABLE ${quoteQualified(probeSchema, `t${i}`)} (c ${quoteQualified(type.schema, type.name)})`;
        const actual = await runAsRole(role, sql, session);
        if (actual !== (expected ? "allowed" : "denied")) mismatches.push({ role, object: display(i), verb: "usage", check: "statement", expected: expected ? "allowed" : "denied", actual, sql });
      }
    }
  } finally {
    await session.exec("ROLLBACK");
  }
  return { privilegeChecks: rows.length, statementChecks: statements, mismatches };
}
