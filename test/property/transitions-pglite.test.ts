import test from "ava";
import { readFileSync } from "node:fs";
import { type SqlSession } from "../../src/engine/index.js";
import { openPglite } from "../../src/engine/postgres/index.js";
import { resetPglite } from "./transitions/pglite-reset.js";
import { postgresTransition, type PostgresEngine } from "./transitions/postgres-transition.js";
import { checkTransitions } from "./transitions/run-property.js";

// Transitions on PGlite (PostgreSQL in-process): apply A, drift by hand, plan and apply B, and
// the migrations for A then B; each must leave exactly what the reference evaluator says B
// allows, and an empty plan. One PGlite serves every phase of every case, reset to the state of
// a fresh one in between (starting one takes seconds).
function pglite(session: SqlSession): PostgresEngine {
  return {
    probes: 40,
    async withFreshDatabase(_tc, fn) {
      await resetPglite(session);
      const runMigrations = async (files: readonly string[]) => {
        for (const file of files) await session.exec(readFileSync(file, "utf8"));
      };
      return fn({ session, runMigrations });
    },
  };
}

test("PGlite: from A with drift to B, by apply and by migrations, the database enforces exactly what B says", async (t) => {
  const session = await openPglite();
  try {
    await checkTransitions(t, "PGlite", "postgres", (tc, caseSeed) => postgresTransition(tc, pglite(session), caseSeed));
  } finally {
    await session.close();
  }
});
