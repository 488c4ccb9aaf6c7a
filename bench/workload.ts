import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

// The shared workload (../shared/bench/workload.py): a database's objects, roles and grants as
// setup.sql (PostgreSQL), and the same intended state as program.roles. Here also its two
// derived forms: the program's content as JSON (the floor for reading a program), and a MariaDB
// version of both (MariaDB has no TRUNCATE privilege, NOLOGIN roles or schema USAGE).

export interface Workload {
  readonly dir: string;
  readonly tables: number;
  readonly setupSql: string;
  readonly program: string;
  readonly programJson: string;
  readonly mysqlSetupSql: string;
  readonly mysqlProgram: string;
  readonly roles: readonly string[];
  readonly schemas: readonly string[];
}

export function makeWorkload(workloadPy: string, dir: string, tables: number): Workload {
  execFileSync("python3", [workloadPy, dir, "--tables", String(tables)], { stdio: ["ignore", "ignore", "inherit"] });
  const setupSql = path.join(dir, "setup.sql");
  const program = path.join(dir, "program.roles");
  const text = readFileSync(program, "utf8");
  const programJson = path.join(dir, "program.json");
  writeFileSync(programJson, JSON.stringify(programAsJson(text)));
  const mysqlProgram = path.join(dir, "program-mysql.roles");
  writeFileSync(mysqlProgram, text.replaceAll("delete, truncate, ", "delete, "));
  const mysqlSetupSql = path.join(dir, "setup-mysql.sql");
  writeFileSync(mysqlSetupSql, mysqlSetup(readFileSync(setupSql, "utf8")));
  const roles = [...text.matchAll(/^role (\S+) \{$/gm)].map((m) => m[1]!);
  const schemas = [...text.matchAll(/^schema (\S+) \{$/gm)].map((m) => m[1]!);
  return { dir, tables, setupSql, program, programJson, mysqlSetupSql, mysqlProgram, roles, schemas };
}

/** The program's content (schemas, tables, columns, roles, grants) as JSON, read off its regular lines. */
function programAsJson(text: string): unknown {
  const schemas: { schema: string; tables: { table: string; columns: string[] }[] }[] = [];
  const roles: { role: string; grants: { privileges: string[]; on: string }[] }[] = [];
  let m: RegExpExecArray | null;
  for (const line of text.split("\n")) {
    if ((m = /^schema (\S+) \{$/.exec(line))) schemas.push({ schema: m[1]!, tables: [] });
    else if ((m = /^role (\S+) \{$/.exec(line))) roles.push({ role: m[1]!, grants: [] });
    else if ((m = /^ {2}table (\S+) \((.*)\)$/.exec(line))) schemas.at(-1)!.tables.push({ table: m[1]!, columns: m[2]!.split(", ") });
    else if ((m = /^ {2}(.*) on (\S+)$/.exec(line))) roles.at(-1)!.grants.push({ privileges: m[1]!.split(", "), on: m[2]! });
  }
  return { schemas, roles };
}

/** setup.sql for MariaDB: schemas are databases, MyISAM tables (created many times faster than InnoDB's; grants do not care). */
function mysqlSetup(sql: string): string {
  const out: string[] = [];
  for (const line of sql.split("\n")) {
    if (line.startsWith("GRANT USAGE ON SCHEMA")) continue;
    if (line.startsWith("CREATE SCHEMA ")) out.push(line.replace("CREATE SCHEMA", "CREATE DATABASE"));
    else if (line.startsWith("CREATE TABLE ")) out.push(line.replace(/;$/, " ENGINE = MyISAM;"));
    else if (line.startsWith("CREATE ROLE ")) out.push(line.replace(" NOLOGIN", ""));
    else if (line.startsWith("GRANT ")) out.push(line.replace("TRUNCATE, ", ""));
    else if (line !== "") out.push(line);
  }
  return out.join("\n") + "\n";
}
