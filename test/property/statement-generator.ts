// Random statements on the property generator's programs (hostile names included), for the
// tests that compare a judgement of them with what PostgreSQL itself does: the decision library's
// differential test, and the proxy's.
import fc from "fast-check";
import { openPgServer, quoteIdent, quoteLiteral, quoteQualified } from "../../src/engine/postgres/index.js";
import { compileProgram } from "../../src/load/index.js";
import type { Model } from "../../src/model/ir.js";
import { programArb, type GeneratedObject, type GeneratedProgram } from "./program-generator.js";

export interface Target {
  readonly schema: string;
  readonly object: GeneratedObject;
}

const q = quoteIdent;
const rel = (t: Target) => quoteQualified(t.schema, t.object.name);

/** A statement, and the search path the session has when it is sent (the server's default unless said). */
export interface Generated {
  readonly sql: string;
  readonly searchPath?: readonly string[];
}

export const defaultPath = ["$user", "public"];

export function statementArb(program: GeneratedProgram): fc.Arbitrary<Generated> {
  const all = program.schemas.flatMap((s) => s.objects.map((object) => ({ schema: s.name, object })));
  const relations = all.filter((t) => t.object.kind !== "sequence");
  const tables = relations.filter((t) => t.object.kind === "table" || t.object.kind === "view");
  const sequences = all.filter((t) => t.object.kind === "sequence");
  const arbs: fc.Arbitrary<string | Generated>[] = [];
  const column = (t: Target) => fc.constantFrom(...t.object.columns);
  const columns = (t: Target) => fc.subarray([...t.object.columns], { minLength: 1 });
  const where = (t: Target) => fc.option(column(t).map((c) => ` WHERE ${q(c)} = 'seed'`), { nil: "" });
  if (relations.length > 0) {
    const target = fc.constantFrom(...relations);
    arbs.push(
      // A plain read: some columns, all of them, or none in particular.
      target.chain((t) =>
        fc
          .tuple(fc.oneof(columns(t).map((cs) => cs.map(q).join(", ")), fc.constant("*"), fc.constant("count(*)")), where(t), fc.option(column(t), { nil: undefined }))
          .map(([list, w, order]) => `SELECT ${list} FROM ${rel(t)}${w}${order ? ` ORDER BY ${q(order)}` : ""}`),
      ),
      // A join, a subquery (correlated or not), a CTE, a union.
      fc.tuple(target, target).chain(([a, b]) =>
        fc.tuple(column(a), column(b), column(a), column(b)).chain(([ca, cb, ra, rb]) =>
          fc.constantFrom(
            `SELECT x.${q(ra)}, y.${q(rb)} FROM ${rel(a)} x JOIN ${rel(b)} y ON x.${q(ca)} = y.${q(cb)}`,
            `SELECT ${q(ra)} FROM ${rel(a)} WHERE ${q(ca)} IN (SELECT ${q(cb)} FROM ${rel(b)})`,
            `SELECT x.${q(ra)} FROM ${rel(a)} x WHERE EXISTS (SELECT 1 FROM ${rel(b)} y WHERE y.${q(cb)} = x.${q(ca)})`,
            `WITH w AS (SELECT ${q(cb)} AS v FROM ${rel(b)}) SELECT x.${q(ra)}, w.v FROM ${rel(a)} x, w`,
            `SELECT ${q(ra)} FROM ${rel(a)} UNION ALL SELECT ${q(rb)} FROM ${rel(b)}`,
            `SELECT s.v FROM (SELECT ${q(ca)} AS v FROM ${rel(a)}) s`,
            `SELECT x.${q(ra)}, l.v FROM ${rel(a)} x, LATERAL (SELECT y.${q(rb)} AS v FROM ${rel(b)} y WHERE y.${q(cb)} = x.${q(ca)}) l`,
            `SELECT x.* FROM ${rel(a)} x JOIN ${rel(b)} y ON x.${q(ca)} = y.${q(cb)}`,
            `SELECT x FROM ${rel(a)} x`,
            `EXPLAIN SELECT ${q(ra)} FROM ${rel(a)}`,
            `SELECT ${q(ra)}, count(*) FROM ${rel(a)} GROUP BY ${q(ra)} HAVING count(*) > 0`,
            `SELECT ${q(ra)}, row_number() OVER (ORDER BY ${q(ca)}) FROM ${rel(a)}`,
            `SELECT md5(${q(ra)}) FROM ${rel(a)}`,
            `SELECT ${q(ra)} FROM ${rel(a)} FOR UPDATE`,
            `SELECT x.${q(ra)} FROM ${rel(a)} x JOIN ${rel(b)} y ON x.${q(ca)} = y.${q(cb)} FOR SHARE OF x`,
            `SELECT s.v FROM (SELECT ${q(ca)} AS v FROM ${rel(a)}) s FOR UPDATE`,
            `SELECT pg_sleep(0) FROM ${rel(a)}`,
            `SELECT ${q(ra)} FROM ${rel(a)}; SELECT ${q(rb)} FROM ${rel(b)}`,
            `DECLARE c CURSOR FOR SELECT ${q(ra)} FROM ${rel(a)} WHERE ${q(ca)} = 'seed'; FETCH 1 FROM c; CLOSE c`,
            `COPY ${rel(a)} (${q(ra)}) TO STDOUT`,
            `COPY ${rel(a)} TO STDOUT`,
            `COPY (SELECT ${q(ra)} FROM ${rel(a)}) TO STDOUT`,
            `PREPARE p AS SELECT ${q(ra)} FROM ${rel(a)} WHERE ${q(ca)} = $1; EXECUTE p('seed')`,
          ),
        ),
      ),
      // A search path set before an unqualified name.
      // An unqualified name, on a session whose search path has the object's schema (or another first).
      fc.tuple(target, fc.constantFrom(...program.schemas.map((s) => s.name))).chain(([t, other]) =>
        column(t).map((c): Generated => ({ sql: `SELECT ${q(c)} FROM ${q(t.object.name)}`, searchPath: [other, t.schema] })),
      ),
    );
  }
  if (tables.length > 0) {
    const target = fc.constantFrom(...tables);
    const returning = (t: Target) => fc.option(columns(t).map((cs) => ` RETURNING ${cs.map(q).join(", ")}`), { nil: "" });
    arbs.push(
      target.chain((t) =>
        fc.tuple(columns(t), returning(t), fc.boolean()).map(([cs, r, named]) =>
          named ? `INSERT INTO ${rel(t)} (${cs.map(q).join(", ")}) VALUES (${cs.map(() => "'x'").join(", ")})${r}` : `INSERT INTO ${rel(t)} VALUES (${cs.map(() => "'x'").join(", ")})${r}`,
        ),
      ),
      fc.tuple(target, fc.constantFrom(...relations)).chain(([t, from]) => fc.tuple(column(t), column(from)).map(([c, f]) => `INSERT INTO ${rel(t)} (${q(c)}) SELECT ${q(f)} FROM ${rel(from)}`)),
      target.chain((t) =>
        fc.tuple(column(t), column(t), where(t), returning(t), fc.boolean()).map(([set, from, w, r, copy]) => `UPDATE ${rel(t)} SET ${q(set)} = ${copy ? q(from) : "'y'"}${w}${r}`),
      ),
      target.chain((t) => fc.tuple(where(t), returning(t)).map(([w, r]) => `DELETE FROM ${rel(t)}${w}${r}`)),
      target.map((t) => `TRUNCATE ${rel(t)}`),
      target.chain((t) => fc.constantFrom(`INSERT INTO ${rel(t)} DEFAULT VALUES`, `DELETE FROM ${rel(t)} RETURNING *`)),
      fc.tuple(target, fc.constantFrom(...relations)).chain(([t, other]) =>
        fc.tuple(column(t), column(t), column(other), column(other)).chain(([c, k, oc, ok]) =>
          fc.constantFrom(
            `UPDATE ${rel(t)} x SET ${q(c)} = y.${q(oc)} FROM ${rel(other)} y WHERE x.${q(k)} = y.${q(ok)}`,
            `DELETE FROM ${rel(t)} x USING ${rel(other)} y WHERE x.${q(k)} = y.${q(ok)}`,
            `INSERT INTO ${rel(t)} (${q(c)}) VALUES ('z') ON CONFLICT DO NOTHING`,
            `WITH d AS (DELETE FROM ${rel(t)} WHERE ${q(k)} = 'seed' RETURNING ${q(c)}) SELECT count(*) FROM d`,
            `WITH i AS (INSERT INTO ${rel(t)} (${q(c)}) SELECT ${q(oc)} FROM ${rel(other)} RETURNING ${q(k)}) SELECT * FROM i`,
            `MERGE INTO ${rel(t)} x USING ${rel(other)} y ON x.${q(k)} = y.${q(ok)} WHEN MATCHED THEN UPDATE SET ${q(c)} = y.${q(oc)}`,
            `MERGE INTO ${rel(t)} x USING ${rel(other)} y ON x.${q(k)} = y.${q(ok)} WHEN MATCHED THEN DELETE`,
            `MERGE INTO ${rel(t)} x USING ${rel(other)} y ON x.${q(k)} = y.${q(ok)} WHEN NOT MATCHED THEN INSERT (${q(c)}) VALUES (y.${q(oc)})`,
            `MERGE INTO ${rel(t)} x USING ${rel(other)} y ON x.${q(k)} = y.${q(ok)} WHEN MATCHED AND y.${q(oc)} IS NULL THEN DO NOTHING`,
            `COPY ${rel(t)} (${q(c)}) FROM STDIN`,
          ),
        ),
      ),
    );
  }
  const routines = program.schemas.flatMap((s) => (s.routines ?? []).map((routine) => ({ schema: s.name, routine })));
  if (routines.length > 0) {
    arbs.push(
      fc.constantFrom(...routines).map(({ schema, routine }) => {
        const args = routine.args.map((type) => (type === "integer" ? "1" : "'t'")).join(", ");
        return routine.kind === "procedure" ? `CALL ${quoteQualified(schema, routine.name)}(${args})` : `SELECT ${quoteQualified(schema, routine.name)}(${args})`;
      }),
    );
  }
  if (sequences.length > 0) {
    const target = fc.constantFrom(...sequences);
    arbs.push(
      target.chain((t) =>
        fc.constantFrom(`SELECT nextval(${quoteLiteral(rel(t))})`, `SELECT currval(${quoteLiteral(rel(t))})`, `SELECT setval(${quoteLiteral(rel(t))}, 5)`, `SELECT * FROM ${rel(t)}`),
      ),
    );
  }
  return fc.oneof(...arbs).map((g) => (typeof g === "string" ? { sql: g } : g));
}

/** Overloads by arity: the library tells a declared routine's overloads apart by their number of arguments. */
export const routineShapes = [
  { kind: "function" as const, args: [] as string[] },
  { kind: "function" as const, args: ["integer"] },
  { kind: "function" as const, args: ["integer", "text"] },
  { kind: "procedure" as const, args: ["text"] },
];

/** The generator's programs, each schema given some functions and procedures and each role EXECUTE on some. */
export const withRoutinesArb: fc.Arbitrary<GeneratedProgram> = programArb.chain((program) =>
  fc
    .tuple(
      fc.tuple(...program.schemas.map(() => fc.subarray(routineShapes.map((_, i) => i)))),
      fc.tuple(...program.roles.map(() => fc.array(fc.tuple(fc.nat(program.schemas.length - 1), fc.nat(routineShapes.length - 1)), { maxLength: 3 }))),
    )
    .map(([routinesBySchema, executesByRole]) => {
      const schemas = program.schemas.map((schema, s) => ({
        ...schema,
        routines: routinesBySchema[s]!.map((i) => ({ ...routineShapes[i]!, name: i === 3 ? "p" : "f", id: `r${i}` })),
      }));
      const roles = program.roles.map((role, r) => ({
        ...role,
        executes: executesByRole[r]!.filter(([s, i]) => routinesBySchema[s]!.includes(i)).map(([s, i]) => ({ schema: schemas[s]!.name, routine: `r${i}`, args: routineShapes[i]!.args })),
      }));
      return { ...program, schemas, roles };
    }),
);

/** A program with routines, and `count` statements on it, each with the role that runs it. */
export const caseArb = (count: number) => withRoutinesArb.chain((program) =>
  fc.tuple(fc.constant(program), fc.array(fc.tuple(fc.constantFrom(...program.roles.map((r) => r.name)), statementArb(program)), { minLength: count, maxLength: count })),
);

export function modelOf(source: string): Model {
  const program = compileProgram([{ path: "generated.roles", text: source }], { databases: ["postgres"] });
  const errors = program.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`the generator made an invalid program: ${errors.map((e) => `${e.code} ${e.message}`).join("; ")}`);
  return program.model;
}

export type Outcome = "allowed" | "refused" | "error";

/** Runs `sql` as `role` in a transaction rolled back: allowed, refused for a privilege (42501), or failed otherwise. */
export async function runAs(session: Awaited<ReturnType<typeof openPgServer>>, role: string, sql: string, searchPath: readonly string[]): Promise<Outcome> {
  await session.exec(`BEGIN; SET LOCAL ROLE ${q(role)}; SET LOCAL search_path TO ${searchPath.map((s) => (s === "$user" ? quoteLiteral(s) : q(s))).join(", ")}`);
  try {
    await session.exec(sql);
    return "allowed";
  } catch (error) {
    return (error as { code?: string }).code === "42501" ? "refused" : "error";
  } finally {
    await session.exec("ROLLBACK");
  }
}
