import type { GeneratedProgram } from "../program-generator.js";
import { myIdent, myQualified, pgIdent, pgQualified } from "./quote.js";

/**
 * The declared objects, created as a migration role would before rolec runs: every column is
 * text, each table holds one row, and a view is a plain updatable view over a table in a schema
 * (database) of its own, so inserts, updates and deletes through it are real.
 */

export function postgresObjectsSql(program: GeneratedProgram, baseSchema: string): string {
  // Everyone may create in the base schema: the probes of USAGE on a type create a table there.
  const lines = [`CREATE SCHEMA ${pgIdent(baseSchema)};`, `GRANT USAGE, CREATE ON SCHEMA ${pgIdent(baseSchema)} TO PUBLIC;`];
  // PUBLIC's CONNECT and TEMPORARY would hide what a role holds on the database itself.
  lines.push(`DO $$ BEGIN EXECUTE pg_catalog.format('REVOKE ALL ON DATABASE %I FROM PUBLIC', pg_catalog.current_database()); END $$;`);
  program.schemas.forEach((s, si) => {
    lines.push(`CREATE SCHEMA ${pgIdent(s.name)};`);
    s.objects.forEach((o, oi) => {
      const target = pgQualified(s.name, o.name);
      const columns = o.columns.map((c) => `${pgIdent(c)} text`).join(", ");
      const values = o.columns.map(() => "'seed'").join(", ");
      if (o.kind === "sequence") lines.push(`CREATE SEQUENCE ${target};`);
      else if (o.kind === "table" && o.partitions?.length) {
        // Listed by the first column; the last partition is the default, so any row has a home.
        lines.push(`CREATE TABLE ${target} (${columns}) PARTITION BY LIST (${pgIdent(o.columns[0]!)});`);
        o.partitions.forEach((partition, p) => {
          const last = p === o.partitions!.length - 1;
          lines.push(`CREATE TABLE ${pgQualified(s.name, partition)} PARTITION OF ${target} ${last ? "DEFAULT" : `FOR VALUES IN ('seed-${p}')`};`);
          lines.push(`INSERT INTO ${target} VALUES (${o.columns.map((_, c) => (c === 0 && !last ? `'seed-${p}'` : "'seed'")).join(", ")});`);
        });
      } else if (o.kind === "table") lines.push(`CREATE TABLE ${target} (${columns});`, `INSERT INTO ${target} VALUES (${values});`);
      else {
        const base = pgQualified(baseSchema, `v${si}_${oi}`);
        lines.push(`CREATE TABLE ${base} (${columns});`, `INSERT INTO ${base} VALUES (${values});`, `CREATE VIEW ${target} AS SELECT ${o.columns.map(pgIdent).join(", ")} FROM ${base};`);
      }
    });
    for (const t of s.types ?? []) lines.push(t.kind === "domain" ? `CREATE DOMAIN ${pgQualified(s.name, t.name)} AS text;` : `CREATE TYPE ${pgQualified(s.name, t.name)} AS ENUM ('seed');`);
    // Functions and procedures that do nothing; the declarations' type spellings are SQL's own.
    for (const r of s.routines ?? []) {
      const signature = `${pgQualified(s.name, r.name)}(${r.args.join(", ")})`;
      lines.push(r.kind === "procedure" ? `CREATE PROCEDURE ${signature} LANGUAGE sql AS '';` : `CREATE FUNCTION ${signature} RETURNS void LANGUAGE sql AS '';`);
    }
  });
  return lines.join("\n");
}

/** One statement per entry: the MySQL driver runs one at a time. */
export function mysqlObjectsSql(program: GeneratedProgram, baseDatabase: string): string[] {
  const statements = [`CREATE DATABASE ${myIdent(baseDatabase)}`];
  program.schemas.forEach((s, si) => {
    statements.push(`CREATE DATABASE ${myIdent(s.name)}`);
    s.objects.forEach((o, oi) => {
      if (o.kind === "sequence") return; // MySQL has none; the program's sequences are skipped there
      const columns = o.columns.map((c) => `${myIdent(c)} TEXT`).join(", ");
      const values = o.columns.map(() => "'seed'").join(", ");
      const target = myQualified(s.name, o.name);
      if (o.kind === "table") {
        statements.push(`CREATE TABLE ${target} (${columns})`, `INSERT INTO ${target} VALUES (${values})`);
      } else {
        const base = myQualified(baseDatabase, `v${si}_${oi}`);
        statements.push(`CREATE TABLE ${base} (${columns})`, `INSERT INTO ${base} VALUES (${values})`, `CREATE VIEW ${target} AS SELECT ${o.columns.map(myIdent).join(", ")} FROM ${base}`);
      }
    });
    // Routines that do nothing, a text parameter per declared argument: the server knows them by name.
    for (const r of s.routines ?? []) {
      const signature = `${myQualified(s.name, r.name)}(${r.args.map((_, i) => `p${i} TEXT`).join(", ")})`;
      statements.push(r.kind === "procedure" ? `CREATE PROCEDURE ${signature} NO SQL DO 0` : `CREATE FUNCTION ${signature} RETURNS INT DETERMINISTIC NO SQL RETURN 1`);
    }
  });
  return statements;
}
