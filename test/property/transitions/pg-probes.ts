import type { SqlSession } from "../../../src/engine/index.js";
import type { Reference } from "../reference-evaluator.js";
import { allowedWord, type Mismatch } from "./mismatch.js";
import { pgIdent, pgLiteral, pgQualified } from "./quote.js";

/**
 * Real statements run under `SET LOCAL ROLE` in a transaction that is rolled back, each needing
 * exactly one privilege (`UPDATE t SET c = NULL` needs UPDATE on c and nothing else), with the
 * outcome the reference predicts. The catalog answers for breadth; these are the truth for a
 * sample, as an application would meet it.
 */
export interface Probe {
  readonly role: string;
  readonly sql: string;
  readonly allowed: boolean;
  /** What it exercises, for the failure message. */
  readonly what: string;
}

export function postgresProbes(reference: Reference): Probe[] {
  const probes: Probe[] = [];
  for (const { name: role } of reference.roles) {
    for (const o of reference.objects) {
      const target = pgQualified(o.schema, o.name);
      const allows = (verb: Parameters<Reference["allows"]>[3], column: string | null = null) => reference.allows(role, o.schema, o.name, verb, column);
      const on = `${JSON.stringify(o.schema)}.${JSON.stringify(o.name)}`;
      if (o.kind === "sequence") {
        const seq = `${pgLiteral(target)}::regclass`;
        // The verb table: usage allows nextval, update nextval and setval, select reading.
        probes.push(
          { role, sql: `SELECT pg_catalog.nextval(${seq})`, allowed: allows("usage") || allows("update"), what: `nextval on ${on} (usage or update)` },
          { role, sql: `SELECT last_value FROM ${target}`, allowed: allows("select"), what: `SELECT on ${on}` },
          { role, sql: `SELECT pg_catalog.setval(${seq}, 7)`, allowed: allows("update"), what: `setval on ${on} (update)` },
        );
        continue;
      }
      for (const column of o.columns) {
        const c = pgIdent(column);
        const col = `(${JSON.stringify(column)}) on ${on}`;
        probes.push(
          { role, sql: `SELECT ${c} FROM ${target}`, allowed: allows("select", column), what: `SELECT ${col}` },
          { role, sql: `INSERT INTO ${target} (${c}) VALUES (NULL)`, allowed: allows("insert", column), what: `INSERT ${col}` },
          { role, sql: `UPDATE ${target} SET ${c} = NULL`, allowed: allows("update", column), what: `UPDATE ${col}` },
        );
      }
      probes.push({ role, sql: `DELETE FROM ${target}`, allowed: allows("delete"), what: `DELETE on ${on}` });
      if (o.kind === "table") probes.push({ role, sql: `TRUNCATE ${target}`, allowed: allows("truncate"), what: `TRUNCATE on ${on}` });
    }
    // CREATE TEMPORARY TABLE needs TEMPORARY on the database, CREATE SCHEMA needs CREATE there:
    // run once the program says anything of the database and of PUBLIC (without a public block,
    // what PUBLIC kept from an earlier program is the database's, and every role holds it).
    if (reference.managesDatabase && reference.publicManaged) {
      probes.push(
        { role, sql: "CREATE TEMPORARY TABLE rolec_probe_temporary (id int)", allowed: reference.onDatabase(role, "temporary"), what: "CREATE TEMPORARY TABLE (temporary on the database)" },
        { role, sql: "CREATE SCHEMA rolec_probe_schema", allowed: reference.onDatabase(role, "create"), what: "CREATE SCHEMA (create on the database)" },
      );
    }
    // CREATE TABLE needs CREATE on the schema and nothing else.
    for (const schema of new Set(reference.objects.map((o) => o.schema))) {
      probes.push({ role, sql: `CREATE TABLE ${pgQualified(schema, "rolec_probe_created")} (id int)`, allowed: reference.createsIn(role, schema), what: `CREATE TABLE in ${JSON.stringify(schema)}` });
    }
  }
  return probes;
}

/**
 * A call of every routine as every role, arguments NULL of the declared types: allowed where the
 * role may execute it and look its schema up (USAGE, which without a public block PUBLIC may keep
 * where the database gave it; the catalog says where).
 */
export async function postgresRoutineProbes(session: SqlSession, reference: Reference, baseSchema: string): Promise<Probe[]> {
  if (reference.routines.length === 0 && reference.types.length === 0) return [];
  const keptByPublic = new Set(
    reference.publicManaged
      ? []
      : (
          await session.query<{ schema: string }>(
            `SELECT n.nspname AS schema FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) x WHERE x.grantee = 0 AND x.privilege_type = 'USAGE'`,
          )
        ).map((r) => r.schema),
  );
  return reference.roles.flatMap(({ name: role }) => [
    ...reference.routines.map((r) => {
      const call = `${pgQualified(r.schema, r.name)}(${r.args.map((t) => `NULL::${t}`).join(", ")})`;
      const allowed = reference.executes(role, r.schema, r.id) && (reference.usesSchema(role, r.schema) || keptByPublic.has(r.schema));
      return { role, sql: r.kind === "procedure" ? `CALL ${call}` : `SELECT ${call}`, allowed, what: `EXECUTE on ${JSON.stringify(r.schema)}.${JSON.stringify(r.name)}(${r.args.join(", ")})` };
    }),
    // A column of the type in a new table needs USAGE on it (and on its schema, to look it up); everyone may create in the base schema.
    ...reference.types.map((t) => ({
      role,
      sql: `CREATE TABLE ${pgQualified(baseSchema, "rolec_probe_typed")} (c ${pgQualified(t.schema, t.name)})`,
      allowed: reference.usesType(role, t.schema, t.name) && (reference.usesSchema(role, t.schema) || keptByPublic.has(t.schema)),
      what: `USAGE on ${t.kind} ${JSON.stringify(t.schema)}.${JSON.stringify(t.name)}`,
    })),
  ]);
}

/** Runs the probes; a refusal is SQLSTATE 42501, anything else but success is a broken test. */
export async function postgresProbeMismatches(session: SqlSession, probes: readonly Probe[]): Promise<Mismatch[]> {
  const mismatches: Mismatch[] = [];
  for (const probe of probes) {
    await session.exec(`BEGIN; SET LOCAL ROLE ${pgIdent(probe.role)}`);
    let allowed: boolean;
    try {
      await session.query(probe.sql);
      allowed = true;
    } catch (error) {
      const code = (error as { code?: string }).code;
      // RC001: the append-only trigger refused it, and 23514: the row fits no partition; either
      // way the privileges let it through.
      if (code === "42501") allowed = false;
      else if (code === "RC001" || code === "23514") allowed = true;
      else throw new Error(`probe ${probe.sql} as ${probe.role} failed with neither success nor a privilege error: ${code} ${(error as Error).message}`);
    } finally {
      await session.exec("ROLLBACK");
    }
    if (allowed !== probe.allowed) mismatches.push({ role: probe.role, what: probe.what, expected: allowedWord(probe.allowed), actual: allowedWord(allowed), how: `as the role: ${probe.sql}` });
  }
  return mismatches;
}
