import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// `npm run bench [-- tables..]`: compile timings and peak memory per size (per stage in-process,
// then the built CLI end to end), then `plan` against
// the PostgreSQL and MariaDB servers named by ROLEC_BENCH_PG_URL / ROLEC_BENCH_MYSQL_URL (or the
// test suite's ROLEC_TEST_PG_URL / ROLEC_TEST_MYSQL_URL), each size in a process of its own.
// Results are recorded in docs/benchmarks.md.
const here = path.dirname(fileURLToPath(import.meta.url));
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const tablesList = sizes.length > 0 ? sizes : [1000, 10000];

function run(script: string, args: string[]): Record<string, number | string> {
  const out = execFileSync(process.execPath, ["--import", "tsx", path.join(here, script), ...args], { encoding: "utf8", maxBuffer: 1e8, stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

function table(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) console.log(row.map((c, i) => c.padStart(widths[i]!)).join("  "));
  console.log("");
}

const f = (value: number | string | undefined, digits = 0) => Number(value).toFixed(digits);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${f(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`);

const compileRows = [["tables", "grants", "parse ms", "check ms", "postgres ms", "mysql ms", "allowlist ms", "all targets ms", "postgres.sql MB", "mysql.sql MB", "peak RSS MB"]];
for (const tables of tablesList) {
  const r = run("compile-bench.ts", [String(tables)]);
  const all = Number(r.parseMs) + Number(r.checkMs) + Number(r.postgresMs) + Number(r.mysqlMs) + Number(r.allowlistMs);
  compileRows.push([String(tables), String(r.grants), f(r.parseMs), f(r.checkMs), f(r.postgresMs), f(r.mysqlMs), f(r.allowlistMs), f(all), f(r.postgresMb, 1), f(r.mysqlMb, 1), f(r.peakRssMb)]);
}
table(compileRows);

// The same as a user runs it: the built CLI, start to exit, writing every artifact.
const cliRows = [["tables", "rolec compile --target all: median s", "peak RSS MB (highest of 5)", "(lowest)", "artifacts MB"]];
for (const tables of tablesList) {
  const r = run("cli-bench.ts", [String(tables)]);
  cliRows.push([String(tables), f(Number(r.medianMs) / 1000, 2), f(r.maxPeakRssMb), f(r.minPeakRssMb), f(r.outMb, 1)]);
}
table(cliRows);

const servers = [
  { engine: "postgres", url: process.env.ROLEC_BENCH_PG_URL ?? process.env.ROLEC_TEST_PG_URL },
  { engine: "mysql", url: process.env.ROLEC_BENCH_MYSQL_URL ?? process.env.ROLEC_TEST_MYSQL_URL },
];
const planRows = [["engine", "tables", "connect ms", "read ms", "of which queries (floor) ms", "diff ms", "plan ms", "plan / (2 × floor + connect)", "queries", "changes"]];
for (const { engine, url } of servers) {
  if (!url) {
    console.log(`note: no ${engine} server (set ROLEC_BENCH_${engine === "postgres" ? "PG" : "MYSQL"}_URL); plan not measured there`);
    continue;
  }
  for (const tables of tablesList) {
    const r = run("plan-bench.ts", [engine, String(tables), url]);
    const plan = Number(r.connectMs) + Number(r.readMs) + Number(r.diffMs);
    const budget = 2 * Number(r.queryMs) + Number(r.connectMs);
    planRows.push([engine, String(tables), f(r.connectMs), f(r.readMs), f(r.queryMs), f(r.diffMs), f(plan), f(plan / budget, 2), String(r.queries), String(r.changes)]);
  }
}
if (planRows.length > 1) table(planRows);
