import test from "ava";
import { readFileSync } from "node:fs";
import { openPglite } from "../../src/verify/index.js";
import { postgresTransition, type PostgresEngine } from "./transitions/postgres-transition.js";
import { checkTransitions } from "./transitions/run-property.js";

// Transitions on PGlite (PostgreSQL in-process): apply A, drift by hand, plan and apply B, and
// the migrations for A then B; each must leave exactly what the reference evaluator says B
// allows, and an empty plan. Each phase of a case gets a PGlite of its own, so nothing is shared.
const pglite: PostgresEngine = {
  probes: 40,
  async withFreshDatabase(_tc, fn) {
    const session = await openPglite();
    try {
      return await fn({ session, runMigration: (file) => session.exec(readFileSync(file, "utf8")) });
    } finally {
      await session.close();
    }
  },
};

test("PGlite: from A with drift to B, by apply and by migrations, the database enforces exactly what B says", async (t) => {
  await checkTransitions(t, "PGlite", "postgres", (tc, caseSeed) => postgresTransition(tc, pglite, caseSeed));
});
