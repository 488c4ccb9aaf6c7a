import type { ExecutionContext } from "ava";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { SqlSession } from "../../src/engine/index.js";
import { planOnPostgres } from "../../src/engine/postgres/index.js";
import { hasStackTrace, rolec, tempDir } from "./cli.js";
import { programOf } from "./program.js";

/** `rolec import` of a database, which must succeed without a stack trace: the two files it wrote, and what it said. */
export async function importDatabase(t: ExecutionContext, databaseUrl: string): Promise<{ schemas: string; roles: string; stderr: string }> {
  const out = path.join(tempDir(), "imported");
  const r = await rolec(["import", "--db", databaseUrl, "--out", out]);
  t.is(r.code, 0, r.stderr);
  t.false(hasStackTrace(r.stderr));
  return { schemas: readFileSync(path.join(out, "schemas.roles"), "utf8"), roles: readFileSync(path.join(out, "roles.roles"), "utf8"), stderr: r.stderr };
}

/** The imported files check without errors, and plan with them finds nothing to change on the database they came from. */
export async function expectImportRoundTrips(t: ExecutionContext, session: SqlSession, imported: { schemas: string; roles: string }): Promise<void> {
  const reimported = programOf({ "schemas.roles": imported.schemas, "roles.roles": imported.roles });
  t.deepEqual(reimported.diagnostics.filter((d) => d.severity === "error"), []);
  t.deepEqual((await planOnPostgres(reimported.model, session)).plan.changes, []);
}
