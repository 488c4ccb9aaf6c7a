import test from "ava";
import { appendOnlyNames, renderPostgres } from "../../src/engine/postgres/index.js";
import { verified } from "../../src/engine/index.js";
import { openPgServer, verifyScript } from "../../src/engine/postgres/index.js";
import { serverUrl, withScratchDatabase } from "../helpers/databases.js";
import { exampleNames, exampleProgram } from "../helpers/program.js";

// The same proof as on PGlite, on a real PostgreSQL server (ROLEC_TEST_PG_URL), each example in
// a scratch database of its own. Use a server meant for tests: the examples' roles are
// cluster-wide and are dropped before and after.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test : test.skip;

for (const name of exampleNames) {
  serverTest(`rolec verify passes on example ${name} on the PostgreSQL server`, async (t) => {
    const program = await exampleProgram(name);
    const roles = [...program.model.roles.map((r) => r.name), appendOnlyNames.owner];
    await withScratchDatabase(url!, roles, async (databaseUrl) => {
      const session = await openPgServer(databaseUrl);
      try {
        const report = await verifyScript(program.model, renderPostgres(program.model), session);
        t.true(verified(report), JSON.stringify(report, null, 1).slice(0, 2000));
        t.true(report.statementChecks > 100);
      } finally {
        await session.close();
      }
    });
  });
}
