import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchDecisions } from "./decide.js";
import { benchProxy } from "./proxy.js";
import { proxyReport } from "./proxy-report.js";
import { measure, measureInProcess, type Measured } from "./measure.js";
import { loadMariadb, loadPostgres, type Loaded } from "./servers.js";
import { makeWorkload, type Workload } from "./workload.js";

// `npm run bench [-- tables..]`: rolec's commands as a user runs them (the built command line,
// one process per run, start to exit), each beside a floor no implementation can beat, on the
// shared workload (../shared/bench/workload.py) at 10,000 and 20,000 tables:
//   start        `rolec --version`, `rolec check` of a small program   vs `node -e 0`
//   check        `rolec check program.roles`                            vs JSON.parse of the same content
//   compile      `rolec compile --target all`                          vs the same
//   plan         `rolec plan` against PostgreSQL                        vs ../shared/bench/floor.sql through psql
//   plan         `rolec plan` against MariaDB                           vs bench/floor-mysql.sql through mariadb
//   decide       the decision library per statement, first and cached   vs PostgreSQL's parser alone (bench/decide.ts)
//   proxy        pgbench through rolec proxy                            vs PostgreSQL directly and PgBouncer (bench/proxy.ts)
// Servers: ROLEC_BENCH_PG_URL and ROLEC_BENCH_MYSQL_URL, or the tests' ROLEC_TEST_PG_URL and
// ROLEC_TEST_MYSQL_URL. Results and targets are recorded in docs/benchmarks.md.

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "..");
const rolec = path.join(root, "dist", "cli", "rolec.js");
const shared = path.join(root, "..", "shared", "bench");
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const tablesList = sizes.length > 0 ? sizes : [10000, 20000];
const runs = Number(process.env.ROLEC_BENCH_RUNS ?? 5);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`ROLEC_BENCH_RUNS must be a whole number of runs, 1 or more; it is ${JSON.stringify(process.env.ROLEC_BENCH_RUNS)}`);
const pgUrl = process.env.ROLEC_BENCH_PG_URL ?? process.env.ROLEC_TEST_PG_URL;
const mysqlUrl = process.env.ROLEC_BENCH_MYSQL_URL ?? process.env.ROLEC_TEST_MYSQL_URL;

for (const needed of [rolec, path.join(shared, "workload.py"), path.join(shared, "floor.sql")]) {
  if (!existsSync(needed)) throw new Error(`${needed} is missing (npm run bench builds rolec; ../shared/bench holds the workload and the floor)`);
}

type Row = { what: string; tables: string; s: number; mb: number | undefined; floor: string; floorS: number; target: string; met: (ratio: number, row: Row) => boolean };
const rows: Row[] = [];
const within = (limit: number) => (ratio: number) => ratio <= limit;

function add(what: string, tables: number | string, m: Measured, floor: string, floorS: number, target: string, met: Row["met"]): void {
  const row = { what, tables: String(tables), s: m.medianS, mb: m.peakMb, floor, floorS, target, met };
  rows.push(row);
  console.error(`  ${what} (${tables}): ${m.medianS.toFixed(2)} s${m.peakMb ? `, ${m.peakMb.toFixed(0)} MB` : ""}; ${floor} ${floorS.toFixed(3)} s`);
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; median of ${runs} runs each\n`);

// Start: the cost of launching Node is the floor.
const node0 = measure(process.execPath, ["-e", "0"], { runs: runs * 2 });
add("rolec --version", "-", measure(process.execPath, [rolec, "--version"], { runs: runs * 2 }), "node -e 0", node0.medianS, "≤ floor + 0.1 s", (_, r) => r.s - r.floorS <= 0.1);
add("rolec check examples/shop", "-", measure(process.execPath, [rolec, "check", path.join(root, "examples", "shop")], { runs: runs * 2 }), "node -e 0", node0.medianS, "≤ floor + 0.1 s", (_, r) => r.s - r.floorS <= 0.1);

const firstPlanS: Record<string, number> = {};
for (const tables of tablesList) {
  const dir = mkdtempSync(path.join(tmpdir(), `rolec-bench-${tables}-`));
  try {
    const workload = makeWorkload(path.join(shared, "workload.py"), dir, tables);
    console.error(`workload: ${tables} tables in ${dir}`);
    benchProgram(workload);
    if (pgUrl) benchPlan(workload, "PostgreSQL", loadPostgres(pgUrl, workload), path.join(shared, "floor.sql"), workload.program, firstPlanS);
    if (mysqlUrl) benchPlan(workload, "MariaDB", loadMariadb(mysqlUrl, workload), path.join(here, "floor-mysql.sql"), workload.mysqlProgram, firstPlanS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (!pgUrl) console.log("note: no PostgreSQL server (ROLEC_BENCH_PG_URL); plan not measured there");
if (!mysqlUrl) console.log("note: no MariaDB server (ROLEC_BENCH_MYSQL_URL); plan not measured there");

function benchProgram(workload: Workload): void {
  // The floor: reading the same content as JSON, in a process of its own (as rolec runs) and in this one.
  const text = readFileSync(workload.programJson, "utf8");
  const inProcess = measureInProcess(() => JSON.parse(text), runs * 2);
  const jsonProcess = measure(process.execPath, ["-e", `JSON.parse(require("fs").readFileSync(${JSON.stringify(workload.programJson)}, "utf8"))`], { runs });
  const note = `(in-process JSON.parse alone: ${inProcess.toFixed(3)} s)`;
  add("rolec check", workload.tables, measure(process.execPath, [rolec, "check", workload.program], { runs }), `node: JSON.parse of program.json ${note}`, jsonProcess.medianS, "≤ 10 × floor", within(10));
  const out = path.join(workload.dir, "out");
  // MySQL/MariaDB has no TRUNCATE privilege (RC0901): every target at once compiles the program without it.
  add("rolec compile --target all", workload.tables, measure(process.execPath, [rolec, "compile", workload.mysqlProgram, "--target", "all", "--out", out], { runs }), "the same", jsonProcess.medianS, "≤ 20 × floor, < 250 MB", (ratio, r) => ratio <= 20 && (r.mb ?? 0) < 250);
}

function benchPlan(workload: Workload, engine: string, loaded: Loaded, floorSql: string, program: string, first: Record<string, number>): void {
  try {
    const floorArgs = loaded.client.command === "psql" ? [...loaded.client.args, floorSql] : loaded.client.args;
    const floor = measure(loaded.client.command, floorArgs, { runs, env: loaded.client.env, ...(loaded.client.command === "psql" ? {} : { stdinFile: floorSql }) });
    const plan = measure(process.execPath, [rolec, "plan", program, "--db", loaded.url], { runs, okExits: [0, 2] });
    const base = first[engine];
    if (base === undefined) first[engine] = plan.medianS;
    const scaling = base === undefined ? "" : `; ${(plan.medianS / base).toFixed(2)} × the ${tablesList[0]}-table plan (target ≤ 2.1)`;
    add(`rolec plan (${engine})`, workload.tables, plan, `${path.basename(floorSql)} through ${loaded.client.command}${scaling}`, floor.medianS, "≤ 2 × floor, < 150 MB", (ratio, r) => ratio <= 2 && (r.mb ?? 0) < 150);
  } finally {
    loaded.drop();
  }
}

const table = [["command", "tables", "median s", "peak MB", "floor", "floor s", "ratio", "target", "met"]];
for (const r of rows) {
  const ratio = r.s / r.floorS;
  table.push([r.what, r.tables, r.s.toFixed(2), r.mb === undefined ? "-" : r.mb.toFixed(0), r.floor, r.floorS.toFixed(3), ratio.toFixed(1), r.target, r.met(ratio, r) ? "yes" : "no"]);
}
for (const [i, row] of table.entries()) {
  console.log(`| ${row.join(" | ")} |`);
  if (i === 0) console.log(`|${row.map(() => "---").join("|")}|`);
}

// The decision library, in this process: what a proxy pays per statement.
const decisions = await benchDecisions(root, runs);
const us = (s: number) => (s * 1e6).toFixed(1);
console.log(`\n| decision library, per statement (${decisions.statements} statements of the shop) | µs | floor: PostgreSQL's parser alone, µs | ratio |`);
console.log("|---|---:|---:|---:|");
console.log(`| first decision (parse and analyse) | ${us(decisions.firstS)} | ${us(decisions.parseFloorS)} | ${(decisions.firstS / decisions.parseFloorS).toFixed(1)} |`);
console.log(`| cached decision | ${us(decisions.cachedS)} | | |`);

// rolec proxy under pgbench, beside PostgreSQL directly and PgBouncer.
if (pgUrl) {
  console.log("\nrolec proxy under pgbench (bench/proxy.ts; npm run bench:proxy runs only this):");
  console.log(proxyReport(await benchProxy(root, pgUrl, Number(process.env.ROLEC_BENCH_PROXY_SECONDS ?? 10))));
}
