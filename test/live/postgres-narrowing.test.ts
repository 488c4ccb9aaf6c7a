import test, { type ExecutionContext } from "ava";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { applyOnPostgres, planOnPostgres } from "../../src/engine/postgres/index.js";
import { type SqlSession } from "../../src/engine/index.js";
import { openPgServer } from "../../src/engine/postgres/index.js";
import { rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withScratchDatabase } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// The most common tightening there is: a table-wide grant narrowed to columns, to hide a PII
// column. On PostgreSQL a table-wide REVOKE also takes the privilege from every column, so the
// revoke must come before the column grants, in apply and in the migration alike.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;

const wide = "schema crm { table customers (id, email, ssn) }\nrole nw_reader { select on crm.customers }\n";
const narrow = "schema crm { table customers (id, email, ssn) }\nrole nw_reader { select on crm.* except crm.customers(ssn) }\n";
const setup = "CREATE SCHEMA crm; CREATE TABLE crm.customers (id int, email text, ssn text); INSERT INTO crm.customers VALUES (1, 'a@b', '123');";

/** What the role can read, by real statements under it: each column alone. */
async function readable(session: SqlSession): Promise<Record<string, boolean>> {
  const result: Record<string, boolean> = {};
  for (const column of ["id", "email", "ssn"]) {
    await session.exec("BEGIN; SET LOCAL ROLE nw_reader");
    result[column] = await session.query(`SELECT ${column} FROM crm.customers`).then(
      () => true,
      () => false,
    );
    await session.exec("ROLLBACK");
  }
  return result;
}

async function expectNarrowed(t: ExecutionContext, session: SqlSession): Promise<void> {
  t.deepEqual(await readable(session), { id: true, email: true, ssn: false }, "the role reads every column but ssn");
  const after = await planOnPostgres(programOf(narrow).model, session);
  t.deepEqual(after.plan.changes.map((c) => c.kind), [], "the next plan is empty");
}

serverTest("apply narrows a table-wide grant to columns: the revoke runs before the column grants", async (t) => {
  await withScratchDatabase(url!, ["nw_reader"], async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(setup);
      t.is((await applyOnPostgres(programOf(wide).model, session, { confirm: async () => true })).kind, "applied");
      t.deepEqual(await readable(session), { id: true, email: true, ssn: true });
      const outcome = await applyOnPostgres(programOf(narrow).model, session, { confirm: async () => true });
      t.is(outcome.kind, "applied");
      const kinds = outcome.planned.plan.changes.map((c) => `${c.kind}${"fact" in c && "column" in c.fact && c.fact.column ? `(${c.fact.column})` : ""}`);
      t.true(kinds.indexOf("revoke") < kinds.indexOf("grant(email)"), kinds.join(", "));
      await expectNarrowed(t, session);
    } finally {
      await session.close();
    }
  });
});

serverTest("the migrations for the same change, run in order by psql on a fresh database, leave exactly the column grants", async (t) => {
  const project = tempDir();
  const dir = tempDir();
  const migrate = (epoch: string) => rolec(["migrate", project, "--dir", dir, "--name", "roles", "--layout", "plain"], { env: { SOURCE_DATE_EPOCH: epoch } });
  writeFileSync(path.join(project, "p.roles"), wide);
  t.is((await migrate("1795347000")).code, 0);
  writeFileSync(path.join(project, "p.roles"), narrow);
  const second = await migrate("1795347060");
  t.is(second.code, 0, second.stderr);
  const files = readdirSync(dir).sort();
  t.is(files.length, 2);
  await withScratchDatabase(url!, ["nw_reader"], async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(setup);
      for (const file of files) {
        const run = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl], { input: readFileSync(path.join(dir, file), "utf8"), encoding: "utf8" });
        t.is(run.status, 0, run.stderr);
      }
      await expectNarrowed(t, session);
    } finally {
      await session.close();
    }
  });
});
