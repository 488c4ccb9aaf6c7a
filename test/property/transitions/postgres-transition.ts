import { applyOnPostgres, planOnPostgres, type ApplyOutcome } from "../../../src/engine/postgres/index.js";
import type { SqlSession } from "../../../src/engine/index.js";
import { referenceOf, type Reference } from "../reference-evaluator.js";
import type { Transition } from "../transition-generator.js";
import { postgresDriftSql } from "./drift-sql.js";
import { expectNoMismatches } from "./mismatch.js";
import { postgresObjectsSql } from "./objects-sql.js";
import { postgresPrivilegeMismatches, postgresRoleMismatches } from "./pg-catalog.js";
import { postgresProbeMismatches, postgresProbes, postgresRoutineProbes } from "./pg-probes.js";
import { pgIdent, pgQualified } from "./quote.js";
import { expectEmptyPlan, modelOf, withMigrations } from "./rolec-steps.js";
import { sample } from "./run-property.js";

/** Where a PostgreSQL transition runs: PGlite or a server. */
export interface PostgresEngine {
  /** A database holding nothing of the case's, its roles gone, for one phase of a case; dropped afterwards, roles too. */
  withFreshDatabase<T>(tc: Transition, fn: (db: PostgresDatabase) => Promise<T>): Promise<T>;
  /** How many real statements to run per check. */
  readonly probes: number;
}

export interface PostgresDatabase {
  readonly session: SqlSession;
  /** Runs migration files in order as users do: psql against a server (one run for them all); on PGlite, the session itself. */
  runMigrations(files: readonly string[]): Promise<void>;
}

const yes = async () => true;

/**
 * One transition on PostgreSQL. Apply A, drift, apply B: the database enforces exactly what the
 * reference says of B, and the next plan is empty. Then the migrations for A and B, run in order
 * on a fresh database: the same. Apply runs in one transaction, so "never without a privilege A
 * and B both grant" comes down to apply not failing halfway, which expectApplied checks.
 */
export async function postgresTransition(tc: Transition, engine: PostgresEngine, caseSeed: string): Promise<void> {
  const modelA = modelOf(tc.a, "postgres");
  const modelB = modelOf(tc.b, "postgres");
  const refA = referenceOf(tc.a, "postgres");
  const refB = referenceOf(tc.b, "postgres");
  const giveBack = tc.leavingAppendOnly.map((t) => `ALTER TABLE ${pgQualified(t.schema, t.name)} OWNER TO CURRENT_USER;`).join("\n");

  // The creator of the programs' default privileges is a role no program declares: it must exist.
  const creator = `CREATE ROLE ${pgIdent(tc.creator)};`;
  await engine.withFreshDatabase(tc, async ({ session }) => {
    await session.exec(creator + postgresObjectsSql(tc.a, tc.baseSchema));
    expectApplied("apply A", await applyOnPostgres(modelA, session, { confirm: yes }));
    expectNoMismatches("after apply A", await postgresPrivilegeMismatches(session, refA));
    const drift = postgresDriftSql(tc.drift, tc.a);
    if (drift) await session.exec(drift);
    // docs: a table that stops being append-only is first given back to a real owner by hand.
    if (giveBack) await session.exec(giveBack);
    expectApplied("apply B", await applyOnPostgres(modelB, session, { confirm: yes }));
    await expectEnforced("after apply B", session, refB, engine.probes, caseSeed, tc.baseSchema);
    expectEmptyPlan("plan after apply B", (await planOnPostgres(modelB, session)).plan);
  });

  await withMigrations(modelA, modelB, "postgres", (files) =>
    engine.withFreshDatabase(tc, async (db) => {
      await db.session.exec(creator + postgresObjectsSql(tc.a, tc.baseSchema));
      if (giveBack && files.length === 2) {
        await db.runMigrations(files.slice(0, 1));
        await db.session.exec(giveBack);
        await db.runMigrations(files.slice(1));
      } else {
        await db.runMigrations(files);
      }
      await expectEnforced("after the migrations for A and B", db.session, refB, engine.probes, `${caseSeed}migrations`, tc.baseSchema);
      expectEmptyPlan("plan after the migrations", (await planOnPostgres(modelB, db.session)).plan);
    }),
  );
}

function expectApplied(step: string, outcome: ApplyOutcome): void {
  if (outcome.kind === "blocked") throw new Error(`${step}: blocked: ${outcome.planned.plan.blockers.map((b) => b.what).join("; ")}`);
  if (outcome.kind !== "applied" && outcome.kind !== "nothing to do") throw new Error(`${step}: ${outcome.kind}`);
}

/** Catalog facts for every privilege and role property, then a sample of real statements. */
async function expectEnforced(step: string, session: SqlSession, reference: Reference, probes: number, caseSeed: string, baseSchema: string): Promise<void> {
  expectNoMismatches(`${step}, the catalog`, [...(await postgresPrivilegeMismatches(session, reference)), ...(await postgresRoleMismatches(session, reference))]);
  const all = [...postgresProbes(reference), ...(await postgresRoutineProbes(session, reference, baseSchema))];
  expectNoMismatches(`${step}, real statements`, await postgresProbeMismatches(session, sample(all, probes, caseSeed)));
}
