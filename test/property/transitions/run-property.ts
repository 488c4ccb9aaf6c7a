import type { ExecutionContext } from "ava";
import fc from "fast-check";
import { randomBytes } from "node:crypto";
import { programSource } from "../program-generator.js";
import { instantiate, transitionArb, type Engine, type Transition } from "../transition-generator.js";
import { mysqlDriftStatements, postgresDriftSql } from "./drift-sql.js";

/**
 * The transition property's runner: how many cases, which seed, names of their own for each
 * case, and on failure the seed, the shrunk programs A and B, the drift and the disagreement.
 * `npm test` runs a few dozen cases per engine with a fixed seed; `npm run test:deep` sets
 * ROLEC_PROPERTY_RUNS (500 unless given) and ROLEC_PROPERTY_SEED=random, as for the
 * differential test.
 */
export const runs = Number(process.env.ROLEC_PROPERTY_RUNS ?? 24);
export const seed = process.env.ROLEC_PROPERTY_SEED === "random" ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.ROLEC_PROPERTY_SEED ?? 20261202);
/** With the seed, replays one case: the path a failure prints. */
const replayPath = process.env.ROLEC_PROPERTY_PATH;
/** Shrinking replays cases on real databases: past this budget the smallest failure found so far is reported. */
const shrinkBudgetMs = Number(process.env.ROLEC_PROPERTY_SHRINK_SECONDS ?? 300) * 1000;

/** Every role this run creates starts with `rt<run>`, every schema or database with `rolec_tr_<run>_`: a sweep finds them all. */
export const runId = randomBytes(2).toString("hex");
export const runRolePrefix = `rt${runId}`;
export const runSchemaPrefix = `rolec_tr_${runId}_`;

/** One case's prefixes: short, as MySQL allows 32 characters in a role name and 64 in a database's. */
export function caseNames(caseNumber: number) {
  const n = caseNumber.toString(36);
  return { rolePrefix: `${runRolePrefix}${n}_`, schemaPrefix: `${runSchemaPrefix}${n}_` };
}

export function describeTransition(tc: Transition): string {
  const drift = tc.engine === "postgres" ? postgresDriftSql(tc.drift, tc.a) : mysqlDriftStatements(tc.drift).map((s) => `${s};`).join("\n");
  return [
    `---- A.roles (applied first) ----`,
    programSource(tc.a).trimEnd(),
    `---- drift, run by hand after A ----`,
    drift || "(none)",
    ...(tc.leavingAppendOnly.length > 0 ? [`---- by hand before B: ALTER TABLE ... OWNER TO the migration role, for ${tc.leavingAppendOnly.map((t) => `${t.schema}.${t.name}`).join(", ")} ----`] : []),
    `---- B.roles (planned and applied next) ----`,
    programSource(tc.b).trimEnd(),
    `--------------------------------`,
  ].join("\n");
}

/**
 * Runs `property` on `runs` generated transitions; each case gets fresh names. A failure is
 * reported with the seed and fast-check's path (ROLEC_PROPERTY_SEED and the path replay it).
 */
export async function checkTransitions(t: ExecutionContext, label: string, engine: Engine, property: (tc: Transition, caseSeed: string) => Promise<void>): Promise<void> {
  t.timeout(Math.max(600_000, runs * 60_000));
  let caseNumber = 0;
  let firstFailure: number | undefined;
  const started = Date.now();
  const details = await fc.check(
    fc.asyncProperty(transitionArb(engine), async (shape) => {
      // Once the budget is spent, every further candidate passes: fast-check keeps the smallest failure so far.
      if (firstFailure !== undefined && Date.now() - firstFailure > shrinkBudgetMs) return;
      const tc = instantiate(shape, caseNames(caseNumber++));
      try {
        // The shape, not the case's names, seeds what a case samples: a replay samples the same.
        await property(tc, JSON.stringify(shape));
      } catch (error) {
        firstFailure ??= Date.now();
        throw new Error(`${describeTransition(tc)}\n${(error as Error).stack ?? String(error)}`);
      }
    }),
    { numRuns: runs, seed, endOnFailure: false, ...(replayPath ? { path: replayPath } : {}) },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  t.log(`${label}: ${details.numRuns} transitions, seed ${seed}, ${seconds}s`);
  if (details.failed) {
    t.fail(
      `${label}: a transition fails (seed ${seed}, path ${details.counterexamplePath}, after ${details.numShrinks} shrinks; ` +
        `replay it with ROLEC_PROPERTY_SEED=${seed} ROLEC_PROPERTY_PATH=${details.counterexamplePath}):\n${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
    );
  } else {
    t.pass();
  }
}

/** A seeded pick of `count` items, so a failing case probes the same statements when replayed. */
export function sample<T>(items: readonly T[], count: number, seedText: string): T[] {
  let state = [...seedText].reduce((h, c) => (Math.imul(h, 31) + c.codePointAt(0)!) | 0, 7);
  const next = () => ((state = (Math.imul(state, 1103515245) + 12345) | 0) >>> 0) / 2 ** 32;
  const pool = [...items];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}
