import { quoteIdent, quoteQualified } from "../quote.js";
import { appendOnlyNames } from "../script/render-postgres.js";
import type { Model } from "../../../model/ir.js";
import type { AppendOnlyMismatch } from "../../verify-report.js";
import { errorMessage, sqlState, type SqlSession } from "../../session.js";

/** Exists only inside the probes' transaction, which is always rolled back. */
const probeRole = "rolec_verify_schema_owner";

/**
 * Proves that the owner of an append-only table's schema, and the owner of the database when the
 * schema belongs to pg_database_owner (as public does), cannot drop the table, drop its schema
 * with CASCADE, or rename the schema: DROP needs ownership of the table or of its schema, and
 * rolec's event triggers must refuse it. Each attempt runs as a role made for the purpose inside
 * a transaction that is rolled back, and the table's rows are compared before and after.
 */
export async function probeSchemaOwnerDdl(model: Model, session: SqlSession): Promise<AppendOnlyMismatch[]> {
  const tables = model.objects.filter((o) => o.appendOnly);
  const mismatches: AppendOnlyMismatch[] = [];
  for (const table of tables) {
    const label = `${table.schema}.${table.name}`;
    const qualified = quoteQualified(table.schema, table.name);
    const schema = quoteIdent(table.schema);
    const attempts = [
      { as: "the schema's owner", sql: `DROP TABLE ${qualified}` },
      { as: "the schema's owner", sql: `DROP SCHEMA ${schema} CASCADE` },
      { as: "the schema's owner", sql: `ALTER SCHEMA ${schema} RENAME TO ${quoteIdent(`${table.schema}_moved`.slice(0, 63))}` },
      { as: "the database's owner (schema owned by pg_database_owner)", sql: `DROP TABLE ${qualified}` },
    ];
    for (const attempt of attempts) {
      await session.exec("BEGIN");
      try {
        const rows = `SELECT pg_catalog.count(*)::int AS n FROM ${qualified}`;
        const before = (await session.query<{ n: number }>(rows))[0]!.n;
        await session.exec(`CREATE ROLE ${quoteIdent(probeRole)}`);
        if (attempt.as.startsWith("the schema's")) {
          await session.exec(`ALTER SCHEMA ${schema} OWNER TO ${quoteIdent(probeRole)}`);
        } else {
          await session.exec(`ALTER SCHEMA ${schema} OWNER TO pg_database_owner`);
          const [db] = await session.query<{ name: string }>("SELECT pg_catalog.current_database() AS name");
          await session.exec(`ALTER DATABASE ${quoteIdent(db!.name)} OWNER TO ${quoteIdent(probeRole)}`);
        }
        // Renaming a schema needs CREATE on the database, which a migration role often has.
        const [db] = await session.query<{ name: string }>("SELECT pg_catalog.current_database() AS name");
        await session.exec(`GRANT CREATE ON DATABASE ${quoteIdent(db!.name)} TO ${quoteIdent(probeRole)}`);
        await session.exec(`SAVEPOINT rolec_ddl_probe; SET LOCAL ROLE ${quoteIdent(probeRole)}`);
        const outcome = await session.exec(attempt.sql).then(
          () => "allowed",
          (error: unknown) => (sqlState(error) === appendOnlyNames.sqlstate ? "refused" : `failed with ${sqlState(error) ?? "an error"}: ${errorMessage(error)}`),
        );
        // Back to the superuser, and, if the attempt failed, to before it.
        await session.exec(outcome === "allowed" ? "RESET ROLE" : "ROLLBACK TO SAVEPOINT rolec_ddl_probe");
        if (outcome !== "refused") {
          mismatches.push({ table: label, what: `${attempt.sql} as ${attempt.as}`, expected: `refused by rolec's event trigger (${appendOnlyNames.sqlstate})`, actual: outcome });
        } else {
          const after = (await session.query<{ n: number }>(rows))[0]!.n;
          if (after !== before) mismatches.push({ table: label, what: `rows after ${attempt.sql} as ${attempt.as}`, expected: String(before), actual: String(after) });
        }
      } finally {
        await session.exec("ROLLBACK");
      }
    }
  }
  return mismatches;
}
