import test from "ava";
import fc from "fast-check";
import { compileProgram } from "../../src/load/index.js";
import { parseObjectArgument, resolveQuestion, whoCan } from "../../src/review/index.js";
import { programArb, programSource, type GeneratedProgram } from "./program-generator.js";
import { expectedFacts, referenceOf, verbsOf } from "./reference-evaluator.js";

// who-can against the reference evaluator written from docs/language.md: for random programs
// (hostile names, deep memberships, NOINHERIT, excepts, partitions, PUBLIC), every role × object ×
// verb × column question the reference can answer gets the same yes or no from `whoCan`. A
// whole-object question asks for the whole object, as has_table_privilege does.
const runs = Number(process.env.ROLEC_PROPERTY_RUNS ?? 200);
const seed = process.env.ROLEC_PROPERTY_SEED === "random" ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.ROLEC_PROPERTY_SEED ?? 20261204);

/**
 * The shared generator's programs (which MySQL must also take) with PostgreSQL's own: some roles
 * NOINHERIT, and sometimes a `public` block granting what one of the roles' lines grant.
 */
const postgresProgramArb: fc.Arbitrary<GeneratedProgram> = programArb.chain((p) =>
  fc.tuple(fc.array(fc.boolean(), { minLength: p.roles.length, maxLength: p.roles.length }), fc.option(fc.nat({ max: p.roles.length - 1 }), { nil: undefined })).map(([noinherit, publicFrom]) => ({
    ...p,
    roles: p.roles.map((r, i) => (noinherit[i] ? { ...r, attributes: ["noinherit"] } : r)),
    ...(publicFrom === undefined ? {} : { public: { grants: p.roles[publicFrom]!.grants } }),
  })),
);

test("who-can agrees with the reference evaluator on every role, object, verb and column of random programs", (t) => {
  let questions = 0;
  const details = fc.check(
    fc.property(postgresProgramArb, (generated) => {
      const source = programSource(generated);
      const program = compileProgram([{ path: "generated.roles", text: source }]);
      const errors = program.diagnostics.filter((d) => d.severity === "error");
      if (errors.length > 0) throw new Error(`the generator made an invalid program: ${errors.map((e) => e.message).join("; ")}`);
      const reference = referenceOf(generated, "postgres");
      const answers = new Map<string, Set<string>>();
      for (const fact of expectedFacts(reference, (kind) => verbsOf(kind, "postgres"))) {
        const key = JSON.stringify([fact.schema, fact.object, fact.verb, fact.column]);
        let can = answers.get(key);
        if (!can) {
          const question = resolveQuestion(program.model, fact.verb, { schema: fact.schema, name: fact.object, ...(fact.column === null ? {} : { column: fact.column }) });
          can = new Set(whoCan(program.model, question).filter((a) => fact.column !== null || a.columns === "all").map((a) => a.role));
          answers.set(key, can);
        }
        questions++;
        if (can.has(fact.role) !== fact.allowed) {
          throw new Error(`${fact.verb} on ${fact.schema}.${fact.object}${fact.column === null ? "" : `(${fact.column})`} for ${fact.role}: reference ${fact.allowed}, who-can ${!fact.allowed}`);
        }
      }
    }),
    { numRuns: runs, seed },
  );
  t.log(`${details.numRuns} programs, ${questions} questions, seed ${seed}`);
  if (details.failed) {
    const [generated] = details.counterexample ?? [];
    t.fail(`a program disagrees (seed ${seed}):\n---- failing.roles ----\n${generated ? programSource(generated) : "(none)"}----\n${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
  } else {
    t.true(questions > runs * 10, "it asked questions");
  }
});

test("an object argument reads quoted names as a .roles file writes them", (t) => {
  t.deepEqual(parseObjectArgument('"My ""S"".x".t(c)'), { schema: 'My "S".x', name: "t", column: "c" });
  t.deepEqual(parseObjectArgument("s.t"), { schema: "s", name: "t" });
  for (const bad of ["s", "s.", "s.t(", "s.t(c", "s.t(c)x", '"s.t', "1s.t", 's."".t']) t.throws(() => parseObjectArgument(bad), { message: /cannot read .* at character \d+/ });
});
