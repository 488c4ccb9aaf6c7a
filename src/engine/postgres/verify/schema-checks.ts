import type { Mismatch } from "../../verify-report.js";
import { quoteIdent, quoteLiteral } from "../quote.js";
import { managedSchemas, type Model } from "../../../model/ir.js";
import type { Expectations } from "../../../model/expectations.js";
import { schemaVerbOrder, type SchemaVerb } from "../../../model/verbs.js";
import type { SqlSession } from "../../session.js";
import { grantedWord, runAsRole } from "./run-as.js";

/** A name no declared object can have in a verify database: the probes look it up and create it. */
const probeRelation = "rolec_verify_schema_probe";

/**
 * USAGE and CREATE on every managed schema, for every declared role: first what
 * has_schema_privilege says, then real statements run as the role. Looking a relation up by its
 * qualified name needs USAGE on the schema and nothing else (to_regclass answers NULL for one
 * that does not exist, and is refused without USAGE); CREATE TABLE needs CREATE and nothing else.
 * Without a `public` block PUBLIC keeps USAGE where the database gave it (schema public): the
 * script leaves that alone, so every role holds it there.
 */
export async function compareSchemas(model: Model, expect: Expectations, session: SqlSession): Promise<{ privilegeChecks: number; statementChecks: number; mismatches: Mismatch[] }> {
  const schemas = managedSchemas(model);
  const roles = model.roles.map((r) => r.name);
  const rows = await session.query<{ role: string; schema: string; verb: string; granted: boolean; grantable: boolean; public_usage: boolean }>(
    `SELECT r.rolname AS role, n.nspname AS schema, v.verb, pg_catalog.has_schema_privilege(r.oid, n.oid, v.verb) AS granted,
            pg_catalog.has_schema_privilege(r.oid, n.oid, v.verb || ' WITH GRANT OPTION') AS grantable,
            EXISTS (SELECT FROM pg_catalog.aclexplode(n.nspacl) x WHERE x.grantee = 0 AND x.privilege_type = 'USAGE') AS public_usage
     FROM pg_catalog.pg_roles r, pg_catalog.pg_namespace n, pg_catalog.unnest(ARRAY['USAGE', 'CREATE']) v(verb)
     WHERE r.rolname = ANY ($1::text[]) AND n.nspname = ANY ($2::text[])`,
    [roles, schemas],
  );
  const mismatches: Mismatch[] = [];
  // With a `public` block, what PUBLIC holds is the program's, and in the expectations already.
  const wanted = (role: string, schema: string, verb: SchemaVerb, publicUsage: boolean) => expect.onSchema(role, schema, verb) || (verb === "usage" && publicUsage && !model.public);
  const publicUsage = new Map<string, boolean>();
  for (const row of rows) {
    const verb = row.verb.toLowerCase() as SchemaVerb;
    publicUsage.set(row.schema, row.public_usage);
    const expected = wanted(row.role, row.schema, verb, row.public_usage);
    if (expected !== row.granted) {
      mismatches.push({ role: row.role, object: `schema ${row.schema}`, verb, check: "privilege function", expected: grantedWord(expected), actual: grantedWord(row.granted) });
    }
    const grantable = expect.schemaWithGrantOption(row.role, row.schema, verb);
    if (grantable !== row.grantable) {
      mismatches.push({ role: row.role, object: `schema ${row.schema}`, verb, grantOption: true, check: "privilege function", expected: grantedWord(grantable), actual: grantedWord(row.grantable) });
    }
  }
  if (rows.length !== roles.length * schemas.length * schemaVerbOrder.length) {
    mismatches.push({ role: undefined, object: "schemas", verb: "usage", check: "privilege function", expected: `${roles.length * schemas.length * schemaVerbOrder.length} rows`, actual: `${rows.length} (is every managed schema there?)` });
  }

  let statements = 0;
  await session.exec("BEGIN");
  try {
    for (const role of roles) {
      for (const schema of schemas) {
        const qualified = `${quoteIdent(schema)}.${quoteIdent(probeRelation)}`;
        const probes: { verb: SchemaVerb; sql: string }[] = [
          { verb: "usage", sql: `SELECT pg_catalog.to_regclass(${quoteLiteral(qualified)})` },
          { verb: "create", sql: `CREATE TABLE ${qualified} ()` },
        ];
        for (const probe of probes) {
          statements += 1;
          const expected = wanted(role, schema, probe.verb, publicUsage.get(schema) ?? false);
          const actual = await runAsRole(role, probe.sql, session);
          if (actual !== (expected ? "allowed" : "denied")) {
            mismatches.push({ role, object: `schema ${schema}`, verb: probe.verb, check: "statement", expected: expected ? "allowed" : "denied", actual, sql: probe.sql });
          }
        }
      }
    }
  } finally {
    await session.exec("ROLLBACK");
  }
  return { privilegeChecks: rows.length, statementChecks: statements, mismatches };
}
