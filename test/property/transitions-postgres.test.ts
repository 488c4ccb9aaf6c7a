import test from "ava";
import { spawn } from "node:child_process";
import { appendOnlyNames } from "../../src/engine/postgres/index.js";
import { openPgServer } from "../../src/engine/postgres/index.js";
import { serverUrl, withScratchDatabase } from "../helpers/databases.js";
import { postgresTransition, type PostgresEngine } from "./transitions/postgres-transition.js";
import { pgIdent } from "./transitions/quote.js";
import { checkTransitions, runRolePrefix } from "./transitions/run-property.js";

// Transitions on the PostgreSQL server: apply A, drift by hand, plan and apply B, and the
// migrations for A then B run by psql; each must leave exactly what the reference evaluator says
// B allows, and an empty plan. Each phase of a case gets a database of its own; roles are
// cluster-wide, so the case's are dropped around each phase, and a sweep drops every role this
// run made, whatever happened.
const url = serverUrl("ROLEC_TEST_PG_URL");

const server: PostgresEngine = {
  probes: 40,
  withFreshDatabase(tc, fn) {
    return withScratchDatabase(url!, [...tc.roleNames, appendOnlyNames.owner], async (databaseUrl) => {
      const session = await openPgServer(databaseUrl);
      try {
        return await fn({ session, runMigrations: (files) => psql(databaseUrl, files) });
      } finally {
        await session.close();
      }
    });
  },
};

/** Runs migration files in order as users do: psql, stopping at the first error. */
function psql(databaseUrl: string, files: readonly string[]): Promise<void> {
  if (files.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const child = spawn("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl, ...files.flatMap((file) => ["-f", file])], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => (status === 0 ? resolve() : reject(new Error(`psql ${files.map((f) => `-f ${f}`).join(" ")} exited ${status}: ${stderr}`))));
  });
}

/** Drops every role this run created, even after a failure halfway through a case. */
async function sweepRoles(): Promise<void> {
  const admin = await openPgServer(url!);
  try {
    const roles = await admin.query<{ rolname: string }>("SELECT rolname FROM pg_catalog.pg_roles WHERE pg_catalog.starts_with(rolname, $1)", [runRolePrefix]);
    for (const { rolname } of roles) await admin.exec(`DROP OWNED BY ${pgIdent(rolname)}; DROP ROLE ${pgIdent(rolname)}`);
  } finally {
    await admin.close();
  }
}

(url ? test.serial : test.serial.skip)("PostgreSQL server: from A with drift to B, by apply and by migrations through psql, the database enforces exactly what B says", async (t) => {
  try {
    await checkTransitions(t, "PostgreSQL", "postgres", (tc, caseSeed) => postgresTransition(tc, server, caseSeed));
  } finally {
    await sweepRoles();
  }
});
