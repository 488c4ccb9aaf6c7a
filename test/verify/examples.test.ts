import test from "ava";
import { renderPostgres } from "../../src/emit/index.js";
import { openPglite, verifyScript } from "../../src/verify/index.js";
import { exampleNames, exampleProgram } from "../helpers/program.js";

for (const name of exampleNames) {
  test(`rolec verify passes on example ${name} in PGlite`, async (t) => {
    const program = await exampleProgram(name);
    const session = await openPglite();
    try {
      const report = await verifyScript(program.model, renderPostgres(program.model), session);
      t.is(report.scriptError, undefined);
      t.deepEqual(report.mismatches, []);
      t.true(report.privilegeChecks > 100 && report.statementChecks > 100, "it really checked something");
    } finally {
      await session.close();
    }
  });
}
