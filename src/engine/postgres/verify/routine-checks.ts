import { quoteQualified, quoteRoutine } from "../quote.js";
import { formatRoutine, type Model, type Routine } from "../../../model/ir.js";
import { builtInTypeSchema, type ArgType } from "../../../model/argument-types.js";
import type { Expectations } from "../../../model/expectations.js";
import type { SqlSession } from "../../session.js";
import { compareSinglePrivilege } from "./single-privilege-checks.js";

/**
 * EXECUTE on every declared function and procedure, for every declared role: what
 * has_function_privilege says, then a real call run as the role (SELECT for a function, CALL for
 * a procedure, every argument NULL). A call also needs USAGE on the routine's schema, which
 * has_function_privilege does not look at: EXECUTE that only PUBLIC holds (PostgreSQL's default)
 * comes with no USAGE, so such a call is refused unless something else gives the role USAGE.
 */
export function compareRoutines(model: Model, expect: Expectations, session: SqlSession) {
  return compareSinglePrivilege(model, expect, session, {
    items: model.routines,
    verb: "execute",
    plural: "functions and procedures",
    display: formatRoutine,
    identity: quoteRoutine,
    privilegeSql: "pg_catalog.has_function_privilege(r.oid, pg_catalog.to_regprocedure(v.identity), 'EXECUTE')",
    grantOptionSql: "pg_catalog.has_function_privilege(r.oid, pg_catalog.to_regprocedure(v.identity), 'EXECUTE WITH GRANT OPTION')",
    expected: (role, routine) => expect.onRoutine(role, routine),
    expectedGrantOption: (role, routine) => expect.routineWithGrantOption(role, routine),
    statement: callOf,
  });
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
