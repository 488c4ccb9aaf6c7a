import { ownedRoles, type Model } from "../../../model/ir.js";
import type { RoleMismatch } from "../../verify-report.js";
import { quoteIdent } from "../quote.js";
import type { SqlSession } from "../../session.js";
import { runAsRole } from "./run-as.js";

/** verify's own role for the CREATE ROLE probe: no declared role may start with rolec_ (RC0702). */
const probeRole = "rolec_verify_attribute_probe";

/**
 * Two role attributes proved with real statements as each role the files own, inside a
 * transaction that is rolled back: CREATE ROLE succeeds exactly for the roles declared
 * `createrole`, and a table whose row-level security policy hides every row shows its row
 * exactly to the roles declared `bypassrls`. (CREATEDB and REPLICATION cannot be tried inside a
 * transaction; pg_roles says those, compare-roles.ts.)
 */
export async function probeRoleAttributes(model: Model, session: SqlSession): Promise<{ statementChecks: number; mismatches: RoleMismatch[] }> {
  const roles = ownedRoles(model);
  const mismatches: RoleMismatch[] = [];
  if (roles.length === 0) return { statementChecks: 0, mismatches };
  // A schema of verify's own, moved aside from any the program names.
  let probeSchema = "rolec_verify_attributes";
  for (let i = 1; [...model.objects, ...model.routines, ...model.types].some((o) => o.schema === probeSchema) || model.schemaGrants.some((g) => g.schema === probeSchema); i++) probeSchema = `rolec_verify_attributes_${i}`;
  const table = `${quoteIdent(probeSchema)}."hidden"`;
  await session.exec("BEGIN");
  try {
    await session.exec(`CREATE SCHEMA ${quoteIdent(probeSchema)}; GRANT USAGE ON SCHEMA ${quoteIdent(probeSchema)} TO PUBLIC;
      CREATE TABLE ${table} (x int); INSERT INTO ${table} VALUES (1); GRANT SELECT ON ${table} TO PUBLIC;
      ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY; CREATE POLICY "nothing" ON ${table} USING (false);`);
    for (const role of roles) {
      const createrole = role.attributes.includes("createrole");
      const created = await runAsRole(role.name, `CREATE ROLE ${quoteIdent(probeRole)}`, session);
      if (created !== (createrole ? "allowed" : "denied")) mismatches.push({ role: role.name, what: "createrole (CREATE ROLE as the role)", expected: createrole ? "allowed" : "denied", actual: created });
      const bypassrls = role.attributes.includes("bypassrls");
      const seen = await rowsSeenAs(session, role.name, table);
      if (seen !== (bypassrls ? "1" : "0")) mismatches.push({ role: role.name, what: "bypassrls (rows of a table whose policy hides them all)", expected: bypassrls ? "1" : "0", actual: seen });
    }
  } finally {
    await session.exec("ROLLBACK");
  }
  return { statementChecks: roles.length * 2, mismatches };
}

/** How many rows the role sees, or what went wrong, in words. */
async function rowsSeenAs(session: SqlSession, role: string, table: string): Promise<string> {
  await session.exec("SAVEPOINT rolec_rows_as");
  try {
    await session.exec(`SET LOCAL ROLE ${quoteIdent(role)}`);
    const [row] = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    return String(row?.n ?? "no answer");
  } catch (error) {
    return `failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await session.exec("ROLLBACK TO SAVEPOINT rolec_rows_as; RESET ROLE");
  }
}
