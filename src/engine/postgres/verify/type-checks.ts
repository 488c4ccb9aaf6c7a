import { quoteIdent, quoteQualified } from "../quote.js";
import type { Model } from "../../../model/ir.js";
import type { Expectations } from "../../../model/expectations.js";
import type { SqlSession } from "../../session.js";
import { compareSinglePrivilege } from "./single-privilege-checks.js";

/**
 * USAGE on every declared type and domain, for every declared role: what has_type_privilege says,
 * then a real statement run as the role. Creating a table with a column of the type needs USAGE
 * on it (and USAGE on its schema, to look it up by name), so the check creates one in a schema of
 * its own where everyone may create, inside a transaction that is rolled back.
 */
export function compareTypes(model: Model, expect: Expectations, session: SqlSession) {
  const declared = new Set(model.types.map((t) => t.schema));
  let probeSchema = "rolec_verify_type_probe";
  for (let i = 1; declared.has(probeSchema); i++) probeSchema = `rolec_verify_type_probe_${i}`;
  return compareSinglePrivilege(model, expect, session, {
    items: model.types,
    verb: "usage",
    plural: "types and domains",
    display: (type) => `${type.kind} ${type.schema}.${type.name}`,
    identity: (type) => quoteQualified(type.schema, type.name),
    privilegeSql: "pg_catalog.has_type_privilege(r.oid, pg_catalog.to_regtype(v.identity), 'USAGE')",
    grantOptionSql: "pg_catalog.has_type_privilege(r.oid, pg_catalog.to_regtype(v.identity), 'USAGE WITH GRANT OPTION')",
    expected: (role, type) => expect.onType(role, type),
    expectedGrantOption: (role, type) => expect.typeWithGrantOption(role, type),
    setup: `CREATE SCHEMA ${quoteIdent(probeSchema)}; GRANT USAGE, CREATE ON SCHEMA ${quoteIdent(probeSchema)} TO PUBLIC`,
    statement: (type, i) => `CREATE TABLE ${quoteQualified(probeSchema, `t${i}`)} (c ${quoteQualified(type.schema, type.name)})`,
  });
}
