import test from "ava";
import { randomBytes } from "node:crypto";
import { appendOnlyNames, quoteIdent, renderPostgres } from "../../src/emit/index.js";
import { openPgServer, verifyScript, type SqlSession } from "../../src/verify/index.js";
import { serverUrl, withDatabase } from "../helpers/databases.js";
import { exampleNames, exampleProgram } from "../helpers/program.js";

// The same proof as on PGlite, on a real PostgreSQL server (ROLEC_TEST_PG_URL). Roles are
// cluster-wide, so each example runs in a scratch database of its own, one at a time, and its
// roles are dropped afterwards. Use a server meant for tests: the examples' role names are plain.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;

async function dropRoles(admin: SqlSession, roles: readonly string[]): Promise<void> {
  for (const role of roles) {
    const exists = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    if (exists.length > 0) await admin.exec(`DROP OWNED BY ${quoteIdent(role)}; DROP ROLE ${quoteIdent(role)}`);
  }
}

for (const name of exampleNames) {
  serverTest(`rolec verify passes on example ${name} on the PostgreSQL server`, async (t) => {
    if (!url) return;
    const program = await exampleProgram(name);
    const roles = [...program.model.roles.map((r) => r.name), appendOnlyNames.owner];
    const database = `rolec_test_${randomBytes(4).toString("hex")}`;
    const admin = await openPgServer(url);
    try {
      await dropRoles(admin, roles);
      await admin.exec(`CREATE DATABASE ${quoteIdent(database)}`);
      const session = await openPgServer(withDatabase(url, database));
      try {
        const report = await verifyScript(program.model, renderPostgres(program.model), session);
        t.is(report.scriptError, undefined);
        t.deepEqual(report.mismatches, []);
        t.true(report.statementChecks > 100);
      } finally {
        await session.close();
      }
    } finally {
      await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
      await dropRoles(admin, roles);
      await admin.close();
    }
  });
}
