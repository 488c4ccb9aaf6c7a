import test, { type ExecutionContext } from "ava";
import fc from "fast-check";
import { mysqlNames, quoteMysqlIdent, quoteMysqlQualified, renderMysql } from "../../src/engine/mysql/index.js";
import { appendOnlyNames, renderPostgres } from "../../src/engine/postgres/index.js";
import type { CheckOptions } from "../../src/check/index.js";
import { renderRoles, renderSchemas, type ImportedProgram } from "../../src/engine/index.js";
import { importMysql } from "../../src/engine/mysql/index.js";
import { importPostgres } from "../../src/engine/postgres/index.js";
import { applyOnMysql, connectMysql, planOnMysql } from "../../src/engine/mysql/index.js";
import { applyOnPostgres, planOnPostgres } from "../../src/engine/postgres/index.js";
import { compileProgram } from "../../src/load/index.js";
import type { Model } from "../../src/model/ir.js";
import { verified, type SqlSession } from "../../src/engine/index.js";
import { runMysqlScript, verifyMysql, type MysqlSession } from "../../src/engine/mysql/index.js";
import { openPglite, openPgServer, verifyScript } from "../../src/engine/postgres/index.js";
import { serverUrl, withMysqlLock, withScratchDatabase } from "../helpers/databases.js";
import { programSourceArb } from "./program-generator.js";

// Differential testing: for random valid programs, what each database enforces after the
// compiled script ran (twice) equals what the model says, for every role × object × column ×
// verb (verify's privilege functions, real statements and grant-table comparison), and then
// neither `plan` nor a second `apply` finds anything to change, nor does `plan` with the files
// `import` writes for that database. `npm test` tries a few seeded
// programs per engine; `npm run test:deep` many, with a fresh seed (ROLEC_PROPERTY_RUNS and
// ROLEC_PROPERTY_SEED set them). A failing program is shrunk and printed as a .roles file.
const runs = Number(process.env.ROLEC_PROPERTY_RUNS ?? 4);
const seed = process.env.ROLEC_PROPERTY_SEED === "random" ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.ROLEC_PROPERTY_SEED ?? 20261122);
const pgUrl = serverUrl("ROLEC_TEST_PG_URL");
const mysqlUrl = serverUrl("ROLEC_TEST_MYSQL_URL");
const yes = async () => true;

function modelOf(source: string): Model {
  const program = compileProgram([{ path: "generated.roles", text: source }], { databases: ["mysql"] });
  const errors = program.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`the generator made an invalid program: ${errors.map((e) => `${e.code} ${e.message}`).join("; ")}`);
  return program.model;
}

/** Runs the property over `runs` programs; a failure names the seed and prints the shrunk program. */
async function checkProperty(t: ExecutionContext, engine: string, property: (model: Model) => Promise<void>): Promise<void> {
  t.timeout(Math.max(120_000, runs * 60_000));
  const details = await fc.check(
    fc.asyncProperty(programSourceArb, async (source) => {
      await property(modelOf(source));
    }),
    { numRuns: runs, seed, endOnFailure: false },
  );
  t.log(`${engine}: ${details.numRuns} programs, seed ${seed}`);
  if (details.failed) {
    const [source] = details.counterexample ?? ["(none)"];
    t.fail(
      `${engine}: a program fails after ${details.numShrinks} shrinks (seed ${seed}, path ${details.counterexamplePath}):\n` +
        `---- failing.roles ----\n${source}-----------------------\n${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
    );
  } else {
    t.pass();
  }
}

async function provePostgres(model: Model, session: SqlSession): Promise<void> {
  const report = await verifyScript(model, renderPostgres(model), session);
  if (!verified(report)) throw new Error(`verify found differences: ${JSON.stringify({ ...report, summary: undefined }).slice(0, 2000)}`);
  const planned = await planOnPostgres(model, session);
  if (planned.plan.changes.length > 0 || planned.plan.blockers.length > 0) {
    throw new Error(`plan after the script is not empty: ${JSON.stringify([...planned.plan.changes.map((c) => c.kind + " " + c.role), ...planned.plan.blockers.map((b) => b.what)])}`);
  }
  const again = await applyOnPostgres(model, session, { confirm: yes });
  if (again.kind !== "nothing to do") throw new Error(`a second apply was not empty: ${again.kind}`);
  // import, then plan with what it wrote: nothing to change.
  const imported = await importPostgres(session, [...new Set(model.objects.map((o) => o.schema))]);
  const reimported = importedModel(imported.program, {});
  const replanned = await planOnPostgres(reimported, session);
  if (replanned.plan.changes.length > 0) {
    throw new Error(`plan with the imported files is not empty: ${JSON.stringify(replanned.plan.changes.map((c) => c.kind + " " + c.role))}\nwarnings: ${imported.warnings.join("; ")}`);
  }
}

/** The model of the files import writes for a program it read. */
function importedModel(program: ImportedProgram, options: CheckOptions): Model {
  const files = [
    { path: "schemas.roles", text: renderSchemas(program) },
    { path: "roles.roles", text: renderRoles(program) },
  ];
  const compiled = compileProgram(files, options);
  const errors = compiled.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`the imported files do not check: ${errors.map((e) => `${e.code} ${e.message}`).join("; ")}\n${files.map((f) => f.text).join("\n")}`);
  return compiled.model;
}

test("PGlite enforces exactly what random programs say, and plan then finds nothing to change", async (t) => {
  await checkProperty(t, "PGlite", async (model) => {
    const session = await openPglite();
    try {
      await provePostgres(model, session);
    } finally {
      await session.close();
    }
  });
});

(pgUrl ? test.serial : test.serial.skip)("the PostgreSQL server enforces exactly what random programs say, and plan then finds nothing to change", async (t) => {
  await checkProperty(t, "PostgreSQL", async (model) => {
    await withScratchDatabase(pgUrl!, [...model.roles.map((r) => r.name), appendOnlyNames.owner], async (databaseUrl) => {
      const session = await openPgServer(databaseUrl);
      try {
        await provePostgres(model, session);
      } finally {
        await session.close();
      }
    });
  });
});

/** Every account, role and database a generated program can have made on the server. */
async function dropGenerated(session: MysqlSession): Promise<void> {
  const principals = await session.query<{ User: string; Host: string; is_role: string }>(
    "SELECT User, Host, is_role FROM mysql.user WHERE User REGEXP '^rp[0-9]' OR User REGEXP '^rolec_login_rp[0-9]' OR (User = ? AND Host = ?)",
    [mysqlNames.definer.name, mysqlNames.definer.host],
  );
  for (const p of principals) {
    await session.query(p.is_role === "Y" ? `DROP ROLE ${quoteMysqlIdent(p.User)}` : `DROP USER ${quoteMysqlIdent(p.User)}@${quoteMysqlIdent(p.Host)}`);
  }
  const databases = await session.query<{ name: string }>("SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'rolec\\_prop\\_%' OR SCHEMA_NAME = ?", [mysqlNames.helperDatabase]);
  for (const d of databases) await session.query(`DROP DATABASE ${quoteMysqlIdent(d.name)}`);
}

(mysqlUrl ? test.serial : test.serial.skip)("MariaDB enforces exactly what random programs say, and plan then finds nothing to change", async (t) => {
  await withMysqlLock(mysqlUrl!, async () => {
    const session = await connectMysql(mysqlUrl!, "the test server");
    try {
      await checkProperty(t, "MariaDB", async (model) => {
        await dropGenerated(session);
        try {
          const report = await verifyMysql(model, mysqlUrl!);
          if (!verified(report)) throw new Error(`verify found differences: ${JSON.stringify({ ...report, summary: undefined }).slice(0, 2000)}`);
          // The same script on the databases under their own names, then plan and apply.
          for (const schema of new Set(model.objects.map((o) => o.schema))) await session.query(`CREATE DATABASE ${quoteMysqlIdent(schema)}`);
          for (const o of model.objects.filter((o) => o.kind === "table")) {
            await session.query(`CREATE TABLE ${quoteMysqlQualified(o.schema, o.name)} (${o.columns.map((c) => `${quoteMysqlIdent(c)} TEXT`).join(", ")})`);
          }
          for (const o of model.objects.filter((o) => o.kind === "view")) {
            await session.query(`CREATE VIEW ${quoteMysqlQualified(o.schema, o.name)} AS SELECT ${o.columns.map((c) => `NULL AS ${quoteMysqlIdent(c)}`).join(", ")}`);
          }
          await runMysqlScript(renderMysql(model), session);
          const planned = await planOnMysql(model, session);
          if (planned.plan.changes.length > 0 || planned.plan.blockers.length > 0) {
            throw new Error(`plan after the script is not empty: ${JSON.stringify([...planned.plan.changes.map((c) => c.kind + " " + c.role), ...planned.plan.blockers.map((b) => b.what)])}`);
          }
          const again = await applyOnMysql(model, session, { confirm: yes });
          if (again.kind !== "nothing to do") throw new Error(`a second apply was not empty: ${again.kind}`);
          const imported = await importMysql(session, [...new Set(model.objects.map((o) => o.schema))], "the test server");
          const replanned = await planOnMysql(importedModel(imported.program, { databases: ["mysql"] }), session);
          if (replanned.plan.changes.length > 0) {
            throw new Error(`plan with the imported files is not empty: ${JSON.stringify(replanned.plan.changes.map((c) => c.kind + " " + c.role))}\nwarnings: ${imported.warnings.join("; ")}`);
          }
        } finally {
          await dropGenerated(session);
        }
      });
    } finally {
      await session.close();
    }
  });
});
