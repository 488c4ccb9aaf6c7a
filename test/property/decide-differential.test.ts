import test from "ava";
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { renderAllowlist } from "../../src/emit/allowlist/render-allowlist.js";
import { decide, loadSqlParser, readAllowlist, type Decision } from "../../src/enforce/index.js";
import { openPgServer, renderPostgres } from "../../src/engine/postgres/index.js";
import { scratchSchemaSql } from "../../src/engine/postgres/verify/scratch-schema.js";
import { serverUrl, withScratchDatabase } from "../helpers/databases.js";
import { programSource } from "./program-generator.js";
import { caseArb, defaultPath, modelOf, runAs } from "./statement-generator.js";

// The decision library against PostgreSQL itself. For random programs (hostile names included)
// the compiled script runs on a fresh database; then random statements on the program's objects
// (reads, joins, subqueries, CTEs, unions, inserts from values and from queries, updates,
// deletes, RETURNING, TRUNCATE, MERGE, COPY both ways, PREPARE and EXECUTE, cursors, row locks,
// calls of declared functions and procedures, sequence functions, unqualified names on a search
// path) run as each role, in a transaction rolled back. The library must never allow what the
// server refuses for want of a privilege (SQLSTATE 42501): zero false allows. Where it denies
// what the server allows, its reason must be one of the documented kinds of statement it does
// not judge, never a privilege it wrongly thinks missing; those cases are counted and printed.
// `npm test` tries a few seeded programs of 50 statements each; `npm run test:deep` many
// (ROLEC_PROPERTY_RUNS programs, a fresh seed).
const runs = Number(process.env.ROLEC_PROPERTY_RUNS ?? 6);
const seed = process.env.ROLEC_PROPERTY_SEED === "random" ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.ROLEC_PROPERTY_SEED ?? 20261204);
const statementsPerProgram = 50;
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;


serverTest("the decision library never allows what PostgreSQL refuses, and denies what it allows only for documented reasons", async (t) => {
  t.timeout(Math.max(300_000, runs * 60_000));
  await loadSqlParser();
  const falseDenies = new Map<string, number>();
  const examples = new Map<string, string[]>();
  const outcomes = { statements: 0, allowedBoth: 0, refusedBoth: 0, falseDenies: 0, errors: 0 };
  const details = await fc.check(
    fc.asyncProperty(caseArb(statementsPerProgram), async ([program, statements]) => {
      const model = modelOf(programSource(program));
      const allowlist = readAllowlist(renderAllowlist(model));
      const roles = program.roles.map((r) => r.name);
      await withScratchDatabase(url!, roles, async (databaseUrl) => {
        const setup = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl], { input: `${scratchSchemaSql(model).sql}\n${renderPostgres(model)}`, encoding: "utf8" });
        if (setup.status !== 0) throw new Error(`the compiled script failed: ${setup.stderr}`);
        const session = await openPgServer(databaseUrl);
        try {
          for (const [role, { sql, searchPath = defaultPath }] of statements) {
            const decision = decide(allowlist, { role, searchPath, inTransaction: false }, sql);
            const outcome = await runAs(session, role, sql, searchPath);
            outcomes.statements++;
            if (outcome === "error") outcomes.errors++;
            if (decision.allowed && outcome === "refused") throw new Error(`false allow: ${role} may not run ${sql}\n${JSON.stringify(decision.statements, null, 2)}`);
            if (!decision.allowed && outcome === "refused") outcomes.refusedBoth++;
            if (decision.allowed && outcome === "allowed") outcomes.allowedBoth++;
            if (!decision.allowed && outcome === "allowed") {
              const denial = denialOf(decision);
              if (denial === "privilege") throw new Error(`false deny for a privilege PostgreSQL does not ask: ${role} may run ${sql}\n${decision.reason}`);
              outcomes.falseDenies++;
              falseDenies.set(denial, (falseDenies.get(denial) ?? 0) + 1);
              if ((examples.get(denial)?.length ?? 0) < 2) examples.set(denial, [...(examples.get(denial) ?? []), `${sql} (${decision.reason})`]);
            }
          }
        } finally {
          await session.close();
        }
      });
    }),
    { numRuns: runs, seed, endOnFailure: true },
  );
  t.log(`${details.numRuns} programs, ${outcomes.statements} statements, seed ${seed}`);
  t.log(`both allowed ${outcomes.allowedBoth}, both refused ${outcomes.refusedBoth}, failed for other reasons on the server ${outcomes.errors}`);
  t.log(`denied by the library, allowed by PostgreSQL: ${outcomes.falseDenies}${[...falseDenies].map(([k, n]) => `; ${k} ${n}`).join("")}`);
  for (const [kind, sqls] of examples) for (const sql of sqls) t.log(`  ${kind}: ${sql}`);
  if (details.failed) {
    const [[program] = []] = details.counterexample ?? [];
    t.fail(`seed ${seed}: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}\n---- program ----\n${program ? programSource(program) : "(none)"}`);
  } else {
    t.true(outcomes.allowedBoth > 0 && outcomes.refusedBoth > 0, "the statements both pass and fail on the server");
  }
});

/** The first denied statement's reason kind. */
function denialOf(decision: Decision): string {
  return decision.statements.find((s) => !s.allowed)?.denial ?? (decision.reason.startsWith("PostgreSQL's parser") ? "syntax" : "other");
}

