import { quoteIdent, quoteLiteral, quoteQualified } from "../quote.js";
import { appendOnlyNames } from "../script/render-postgres.js";
import { grantableRelations, type DbObject, type Model } from "../../../model/ir.js";
import type { Verb } from "../../../model/verbs.js";
import type { Expectations } from "../../../model/expectations.js";

export type Outcome = "allowed" | "denied" | "append-only";

/** One real statement to run, as a role (or as the owner), with the outcome the model predicts. */
export interface StatementProbe {
  /** Undefined: run as the session user, who owns every object. */
  readonly role: string | undefined;
  readonly object: DbObject;
  readonly verb: Verb;
  readonly column?: string;
  readonly sql: string;
  readonly expected: Outcome;
  /** Settings made before the statement, inside the same savepoint. */
  readonly setup?: string;
  /** A GRANT of the verb to another role: it proves the grant option, not the privilege. */
  readonly grantOption?: true;
}

/**
 * Statements that exercise each verb the way an application would. They are chosen to need
 * exactly one privilege: `UPDATE t SET c = NULL` needs UPDATE on c and nothing else, where
 * `SET c = c` would also need SELECT on c.
 */
export function statementProbes(model: Model, expect: Expectations): StatementProbe[] {
  const probes: StatementProbe[] = [];
  const relations = withPartitions(model);
  for (const role of model.roles.map((r) => r.name)) {
    for (const object of relations) {
      const target = quoteQualified(object.schema, object.name);
      const allowed = (ok: boolean, writes = false): Outcome => (ok ? (writes && object.appendOnly ? "append-only" : "allowed") : "denied");
      if (object.kind === "sequence") {
        const seq = `${quoteLiteral(target)}::regclass`;
        probes.push(
          { role, object, verb: "usage", sql: `SELECT pg_catalog.nextval(${seq})`, expected: allowed(expect.onObject(role, object, "usage") || expect.onObject(role, object, "update")) },
          { role, object, verb: "select", sql: `SELECT last_value FROM ${target}`, expected: allowed(expect.onObject(role, object, "select")) },
          { role, object, verb: "update", sql: `SELECT pg_catalog.setval(${seq}, 1)`, expected: allowed(expect.onObject(role, object, "update")) },
        );
        continue;
      }
      for (const column of object.columns) {
        const c = quoteIdent(column);
        probes.push(
          { role, object, verb: "select", column, sql: `SELECT ${c} FROM ${target}`, expected: allowed(expect.onColumn(role, object, "select", column)) },
          { role, object, verb: "insert", column, sql: `INSERT INTO ${target} (${c}) VALUES (NULL)`, expected: allowed(expect.onColumn(role, object, "insert", column)) },
          { role, object, verb: "update", column, sql: `UPDATE ${target} SET ${c} = NULL`, expected: allowed(expect.onColumn(role, object, "update", column), true) },
        );
      }
      probes.push({ role, object, verb: "delete", sql: `DELETE FROM ${target}`, expected: allowed(expect.onObject(role, object, "delete"), true) });
      if (object.kind === "table") {
        probes.push({ role, object, verb: "truncate", sql: `TRUNCATE ${target}`, expected: allowed(expect.onObject(role, object, "truncate"), true) });
      }
    }
  }
  // Append-only must hold against the owner too, and with replication-role triggers switched off.
  for (const object of relations.filter((o) => o.appendOnly)) {
    const target = quoteQualified(object.schema, object.name);
    const first = quoteIdent(object.columns[0]!);
    for (const setup of [undefined, "SET LOCAL session_replication_role = replica"]) {
      probes.push(
        { role: undefined, object, verb: "update", sql: `UPDATE ${target} SET ${first} = NULL`, expected: "append-only", ...(setup ? { setup } : {}) },
        { role: undefined, object, verb: "delete", sql: `DELETE FROM ${target}`, expected: "append-only", ...(setup ? { setup } : {}) },
        { role: undefined, object, verb: "truncate", sql: `TRUNCATE ${target}`, expected: "append-only", ...(setup ? { setup } : {}) },
      );
    }
  }
  return probes;
}

export const appendOnlySqlstate = appendOnlyNames.sqlstate;

/**
 * The declared objects plus each partition as a table of its own: a direct access to a partition
 * is allowed exactly where a line grants on that partition, and an append-only table's
 * partitions are append-only too.
 */
export function withPartitions(model: Model): readonly DbObject[] {
  return grantableRelations(model.objects);
}
