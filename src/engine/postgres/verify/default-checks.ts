import type { Mismatch } from "../../verify-report.js";
import { defaultCreators, defaultSchemas, type Model } from "../../../model/ir.js";
import { defaultVerbsByObjects, type DefaultObjects } from "../../../model/verbs.js";
import type { Expectations } from "../../../model/expectations.js";
import { quoteIdent, quoteLiteral, quoteQualified } from "../quote.js";
import type { SqlSession } from "../../session.js";
import { grantedWord, runAsRole } from "./run-as.js";

/** The objects one creator makes in one place, and how to ask about each. */
interface NewObject {
  readonly objects: DefaultObjects;
  readonly schema: string;
  /** Its identity as the privilege function reads it. */
  readonly identity: string;
  readonly privilegeFunction: string;
  readonly display: string;
  /** A statement that needs the first verb the kind takes (and USAGE on the schema), or none. */
  readonly statement?: string;
}

/**
 * Default privileges, proved on objects made for the purpose: for each creator the files manage,
 * in each schema whose defaults they manage and in a schema of verify's own (where only the
 * defaults for every schema apply), a table, a sequence, a function, a type and a schema are
 * created as the creator, inside a transaction that is rolled back. What every declared role may
 * do with them, by the privilege functions and by a real SELECT and call, must be what the
 * files' default lines say.
 */
export async function compareDefaults(model: Model, expect: Expectations, session: SqlSession): Promise<{ privilegeChecks: number; statementChecks: number; mismatches: Mismatch[] }> {
  const mismatches: Mismatch[] = [];
  const creators = defaultCreators(model);
  if (creators.length === 0) return { privilegeChecks: 0, statementChecks: 0, mismatches };
  const schemas = defaultSchemas(model);
  let probeSchema = "rolec_verify_defaults";
  for (let i = 1; schemas.includes(probeSchema) || model.objects.some((o) => o.schema === probeSchema); i++) probeSchema = `rolec_verify_defaults_${i}`;
  const roles = model.roles.map((r) => r.name);
  let privilegeChecks = 0;
  let statementChecks = 0;
  const publicUsageBySchema = new Map<string, boolean>();
  const publicUsageOn = async (schema: string) => {
    if (!publicUsageBySchema.has(schema)) publicUsageBySchema.set(schema, await publicUsage(session, schema, model));
    return publicUsageBySchema.get(schema)!;
  };
  await session.exec("BEGIN");
  try {
    const [{ database } = { database: "" }] = await session.query<{ database: string }>("SELECT pg_catalog.current_database() AS database");
    await session.exec(`CREATE SCHEMA ${quoteIdent(probeSchema)}; GRANT USAGE ON SCHEMA ${quoteIdent(probeSchema)} TO PUBLIC`);
    for (const [c, creator] of creators.entries()) {
      const made: NewObject[] = [];
      // The creator may create in each place for the length of the transaction.
      await session.exec(`GRANT CREATE ON DATABASE ${quoteIdent(database)} TO ${quoteIdent(creator)}`);
      for (const schema of [probeSchema, ...schemas]) {
        await session.exec(`GRANT USAGE, CREATE ON SCHEMA ${quoteIdent(schema)} TO ${quoteIdent(creator)}`);
        const name = (kind: string) => `rolec_verify_${kind}_${c}`;
        const table = quoteQualified(schema, name("table"));
        const sequence = quoteQualified(schema, name("sequence"));
        const fn = quoteQualified(schema, name("function"));
        const type = quoteQualified(schema, name("type"));
        await session.exec(`SET LOCAL ROLE ${quoteIdent(creator)};
          CREATE TABLE ${table} (c int); CREATE SEQUENCE ${sequence}; CREATE FUNCTION ${fn}() RETURNS int LANGUAGE sql AS 'SELECT 1'; CREATE TYPE ${type} AS ENUM ();
          RESET ROLE`);
        made.push(
          { objects: "tables", schema, identity: table, privilegeFunction: "has_table_privilege", display: `a table ${creator} creates in ${schema}`, statement: `SELECT FROM ${table}` },
          { objects: "sequences", schema, identity: sequence, privilegeFunction: "has_sequence_privilege", display: `a sequence ${creator} creates in ${schema}` },
          { objects: "functions", schema, identity: `${fn}()`, privilegeFunction: "has_function_privilege", display: `a function ${creator} creates in ${schema}`, statement: `SELECT ${fn}()` },
          { objects: "types", schema, identity: type, privilegeFunction: "has_type_privilege", display: `a type ${creator} creates in ${schema}` },
        );
      }
      const newSchema = `rolec_verify_schema_${c}`;
      await session.exec(`SET LOCAL ROLE ${quoteIdent(creator)}; CREATE SCHEMA ${quoteIdent(newSchema)}; RESET ROLE`);
      made.push({ objects: "schemas", schema: newSchema, identity: newSchema, privilegeFunction: "has_schema_privilege", display: `a schema ${creator} creates` });

      for (const object of made) {
        const verbs = defaultVerbsByObjects[object.objects];
        const rows = await session.query<{ role: string; verb: string; granted: boolean; grantable: boolean }>(
          `SELECT r.rolname AS role, v.verb, pg_catalog.${object.privilegeFunction}(r.oid, $3, v.verb) AS granted,
                  pg_catalog.${object.privilegeFunction}(r.oid, $3, v.verb || ' WITH GRANT OPTION') AS grantable
           FROM pg_catalog.pg_roles r, pg_catalog.unnest($2::text[]) v(verb) WHERE r.rolname = ANY ($1::text[])`,
          [roles, verbs.map((v) => v.toUpperCase()), object.identity],
        );
        for (const row of rows) {
          privilegeChecks += 1;
          const verb = row.verb.toLowerCase() as (typeof verbs)[number];
          const expected = expect.onFuture(row.role, creator, object.schema, object.objects, verb);
          if (expected !== row.granted) {
            mismatches.push({ role: row.role, object: object.display, verb: verb as Mismatch["verb"], check: "privilege function", expected: grantedWord(expected), actual: grantedWord(row.granted) });
          }
          const grantable = expect.onFutureWithGrantOption(row.role, creator, object.schema, object.objects, verb);
          if (grantable !== row.grantable) {
            mismatches.push({ role: row.role, object: object.display, verb: verb as Mismatch["verb"], grantOption: true, check: "privilege function", expected: grantedWord(grantable), actual: grantedWord(row.grantable) });
          }
        }
        if (object.statement === undefined) continue;
        const verb = verbs[0]!;
        for (const role of roles) {
          statementChecks += 1;
          // The statement looks the object up by name: it needs USAGE on the schema too (verify's own gives it to PUBLIC).
          const usage = object.schema === probeSchema || expect.onSchema(role, object.schema, "usage") || role === creator;
          const expected = expect.onFuture(role, creator, object.schema, object.objects, verb) && (usage || (await publicUsageOn(object.schema)));
          const actual = await runAsRole(role, object.statement, session);
          if (actual !== (expected ? "allowed" : "denied")) mismatches.push({ role, object: object.display, verb: verb as Mismatch["verb"], check: "statement", expected: expected ? "allowed" : "denied", actual, sql: object.statement });
        }
      }
    }
  } finally {
    await session.exec("ROLLBACK");
  }
  return { privilegeChecks, statementChecks, mismatches };
}

/** Without a `public` block PUBLIC keeps the USAGE the database gave it on a schema (schema public, by default). */
async function publicUsage(session: SqlSession, schema: string, model: Model): Promise<boolean> {
  if (model.public) return false;
  const rows = await session.query(
    `SELECT FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) x WHERE n.nspname = ${quoteLiteral(schema)} AND x.grantee = 0 AND x.privilege_type = 'USAGE'`,
  );
  return rows.length > 0;
}
