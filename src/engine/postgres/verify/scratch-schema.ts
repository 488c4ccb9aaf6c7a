import { quoteDollar, quoteIdent, quoteLiteral, quoteQualified, quoteRoutine } from "../quote.js";
import { builtInTypeSchema } from "../../../model/argument-types.js";
import { managedSchemas, managesDatabase, type Model } from "../../../model/ir.js";
import { publicGrantee, revokeDatabasePrivileges } from "../statements.js";

/**
 * DDL that creates the declared schemas and objects in an empty database, so the compiled
 * script has something to grant on. Columns are nullable text; every table gets one row so
 * that UPDATE and DELETE probes reach row triggers. A view is a plain, automatically updatable
 * view over a table in a schema of its own, so INSERT, UPDATE and DELETE through it are real.
 * A partitioned table gets its declared partitions, one row in each.
 */
export function scratchSchemaSql(model: Model): { sql: string; baseSchema: string } {
  const declared = new Set(managedSchemas(model));
  let baseSchema = "rolec_verify_base";
  for (let i = 1; declared.has(baseSchema); i++) baseSchema = `rolec_verify_base_${i}`;

  const lines = [`CREATE SCHEMA ${quoteIdent(baseSchema)};`];
  // What a role holds on the database must be what the script gives it, not PUBLIC's defaults.
  if (managesDatabase(model)) lines.push(revokeDatabasePrivileges("all", [publicGrantee]));
  for (const schema of [...declared].sort()) lines.push(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)};`);
  model.objects.forEach((object, i) => {
    const target = quoteQualified(object.schema, object.name);
    const columns = object.columns.map((c) => `${quoteIdent(c)} text`).join(", ");
    const values = object.columns.map(() => "'seed'").join(", ");
    if (object.kind === "sequence") {
      lines.push(`CREATE SEQUENCE ${target};`);
    } else if (object.kind === "table" && object.partitions.length > 0) {
      // Listed by the first column; the last partition is the default, so any row has a home.
      const key = quoteIdent(object.columns[0]!);
      lines.push(`CREATE TABLE ${target} (${columns}) PARTITION BY LIST (${key});`);
      object.partitions.forEach((partition, p) => {
        const isDefault = p === object.partitions.length - 1;
        const bound = isDefault ? "DEFAULT" : `FOR VALUES IN ('seed-${p}')`;
        lines.push(`CREATE TABLE ${quoteQualified(object.schema, partition)} PARTITION OF ${target} ${bound};`);
        const rowValues = object.columns.map((_, c) => (c === 0 && !isDefault ? `'seed-${p}'` : "'seed'")).join(", ");
        lines.push(`INSERT INTO ${target} VALUES (${rowValues});`);
      });
    } else if (object.kind === "table") {
      lines.push(`CREATE TABLE ${target} (${columns});`, `INSERT INTO ${target} VALUES (${values});`);
    } else {
      const base = quoteQualified(baseSchema, `view_${i}`);
      lines.push(
        `CREATE TABLE ${base} (${columns});`,
        `INSERT INTO ${base} VALUES (${values});`,
        `CREATE VIEW ${target} AS SELECT ${object.columns.map(quoteIdent).join(", ")} FROM ${base};`,
      );
    }
  });
  // Types are enums of one value and domains are over text, made before the routines that may take them.
  for (const type of model.types) {
    lines.push(type.kind === "domain" ? `CREATE DOMAIN ${quoteQualified(type.schema, type.name)} AS pg_catalog.text;` : `CREATE TYPE ${quoteQualified(type.schema, type.name)} AS ENUM ('seed');`);
  }
  // Functions and procedures do nothing. A type of their arguments that is neither built in nor a
  // declared table's row type is made a domain over text, so that the signature exists.
  const types = new Map(model.routines.flatMap((r) => r.args).filter((t) => t.schema !== builtInTypeSchema).map((t) => [quoteQualified(t.schema, t.name), t]));
  for (const [qualified, type] of [...types].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const create = `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(type.schema)}; CREATE DOMAIN ${qualified} AS pg_catalog.text;`;
    lines.push(`DO ${quoteDollar(` BEGIN IF pg_catalog.to_regtype(${quoteLiteral(qualified)}) IS NULL THEN ${create} END IF; END `)};`);
  }
  for (const routine of model.routines) {
    lines.push(routine.kind === "procedure" ? `CREATE PROCEDURE ${quoteRoutine(routine)} LANGUAGE sql AS '';` : `CREATE FUNCTION ${quoteRoutine(routine)} RETURNS void LANGUAGE sql AS '';`);
  }
  return { sql: lines.join("\n"), baseSchema };
}
