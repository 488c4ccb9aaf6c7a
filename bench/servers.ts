import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { quoteMysqlIdent, quoteMysqlLiteral } from "../src/engine/mysql/index.js";
import { quoteIdent, quoteLiteral } from "../src/engine/postgres/index.js";
import type { Workload } from "./workload.js";

// Loads the shared workload onto the PostgreSQL and MariaDB servers through their own clients,
// and takes it away again. The workload's role (br0...) and schema (bs0...) names are fixed, so a
// server that already has any of them is refused rather than touched.

export const benchDatabase = "rolec_bench_workload";

export interface Loaded {
  /** The URL rolec is given. */
  readonly url: string;
  /** The floor's command line: the server's own client, reading the floor's SQL. */
  readonly client: { readonly command: string; readonly args: readonly string[]; readonly env: NodeJS.ProcessEnv };
  readonly drop: () => void;
}


export function loadPostgres(adminUrl: string, workload: Workload): Loaded {
  const psql = (url: string, ...args: string[]) => execFileSync("psql", [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-tA", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const drop = () => {
    psql(adminUrl, "-c", `DROP DATABASE IF EXISTS ${quoteIdent(benchDatabase)} WITH (FORCE)`);
    for (const role of workload.roles) psql(adminUrl, "-c", `DROP ROLE IF EXISTS ${quoteIdent(role)}`);
  };
  const clash = psql(adminUrl, "-c", `SELECT count(*) FROM pg_roles WHERE rolname IN (${workload.roles.map(quoteLiteral).join(", ")})`).trim();
  if (clash !== "0") throw new Error(`the PostgreSQL server already has ${clash} of the workload's roles (br0...): drop them (or a database a bench run left) first`);
  const url = new URL(adminUrl);
  url.pathname = `/${benchDatabase}`;
  psql(adminUrl, "-c", `CREATE DATABASE ${quoteIdent(benchDatabase)}`);
  try {
    psql(url.toString(), "-f", workload.setupSql);
    psql(url.toString(), "-c", "VACUUM ANALYZE");
  } catch (error) {
    drop();
    throw error;
  }
  return { url: url.toString(), client: { command: "psql", args: [url.toString(), "-X", "-q", "-o", "/dev/null", "-f"], env: {} }, drop };
}

export function loadMariadb(adminUrl: string, workload: Workload): Loaded {
  const url = new URL(adminUrl);
  const args = ["--host", url.hostname, "--port", url.port || "3306", "--user", decodeURIComponent(url.username || "root"), "--batch", "--skip-column-names"];
  const env = url.password ? { MYSQL_PWD: decodeURIComponent(url.password) } : {};
  const mariadb = (input: string) => execFileSync("mariadb", args, { input, encoding: "utf8", env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "inherit"] });
  const drop = () => mariadb([...workload.schemas.map((s) => `DROP DATABASE IF EXISTS ${quoteMysqlIdent(s)};`), ...workload.roles.map((r) => `DROP ROLE IF EXISTS ${quoteMysqlIdent(r)};`)].join("\n"));
  const clash = mariadb(
    `SELECT (SELECT count(*) FROM mysql.user WHERE User IN (${workload.roles.map(quoteMysqlLiteral).join(", ")})) + (SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (${workload.schemas.map(quoteMysqlLiteral).join(", ")}))`,
  ).trim();
  if (clash !== "0") throw new Error(`the MariaDB server already has ${clash} of the workload's roles (br0...) or databases (bs0...): drop them first`);
  try {
    execFileSync("mariadb", args, { input: readFileSync(workload.mysqlSetupSql), env: { ...process.env, ...env }, stdio: ["pipe", "ignore", "inherit"] });
  } catch (error) {
    drop();
    throw error;
  }
  return { url: adminUrl, client: { command: "mariadb", args, env }, drop };
}
