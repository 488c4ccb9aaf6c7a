import test from "ava";
import { renderPostgres } from "../../src/emit/index.js";
import { openPglite, verified, verifyScript } from "../../src/verify/index.js";
import { exampleNames, exampleProgram, programOf } from "../helpers/program.js";

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

for (const [what, source] of [
  ["objects and no roles", "schema s { table t (a)\n append_only table log (id)\n sequence q }"],
  ["roles and no objects", "role a login { member of b }\nrole b { member of c }\nrole c {}"],
  ["nothing at all", ""],
] as const) {
  test(`a program with ${what} compiles to a script that runs and verifies`, async (t) => {
    const program = programOf(source);
    t.deepEqual(program.diagnostics.filter((d) => d.severity === "error"), []);
    const session = await openPglite();
    try {
      const report = await verifyScript(program.model, renderPostgres(program.model), session);
      t.is(report.scriptError, undefined);
      t.true(verified(report));
    } finally {
      await session.close();
    }
  });
}
