import test from "ava";
import { renderPostgres } from "../../src/engine/postgres/index.js";
import { verified } from "../../src/engine/index.js";
import { openPglite, verifyScript } from "../../src/engine/postgres/index.js";
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

const externalProgram = `schema s { table t (a, b)
  table u (a) }
role reader { select (a) on s.t }
external role app login { member of reader
  insert on s.u }
external role auditors { select on s.u }
external role named_only
`;

test("external roles verify in PGlite: verify makes them plain, and probes what the program gives them", async (t) => {
  const program = programOf(externalProgram);
  t.deepEqual(program.diagnostics, []);
  const session = await openPglite();
  try {
    const report = await verifyScript(program.model, renderPostgres(program.model), session);
    t.true(verified(report), JSON.stringify(report, null, 1).slice(0, 3000));
    t.deepEqual(report.summary.filter((r) => r.role === "app"), [
      { role: "app", object: "s.t", privileges: ["select(a)"] },
      { role: "app", object: "s.u", privileges: ["insert"] },
    ]);
    // The script leaves external roles' attributes alone: verify made app able to log in, and so it stays.
    t.deepEqual(await session.query("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname IN ('app', 'auditors', 'named_only') ORDER BY 1"), [
      { rolname: "app", rolcanlogin: true },
      { rolname: "auditors", rolcanlogin: false },
      { rolname: "named_only", rolcanlogin: false },
    ]);
  } finally {
    await session.close();
  }
});

test("verify catches a script that forgets an external role's membership", async (t) => {
  const program = programOf(externalProgram);
  const session = await openPglite();
  try {
    const script = renderPostgres(program.model).replace(/^COMMIT;$/m, 'REVOKE "reader" FROM "app";\nCOMMIT;');
    const report = await verifyScript(program.model, script, session);
    t.false(verified(report));
    t.true(report.roleMismatches.some((m) => m.role === "app" && m.what === "member of"), JSON.stringify(report.roleMismatches));
  } finally {
    await session.close();
  }
});
