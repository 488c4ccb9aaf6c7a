import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { quoteIdent, quoteLiteral } from "../src/engine/postgres/index.js";

// rolec proxy under pgbench, beside the same load sent straight to PostgreSQL and through
// PgBouncer (a proxy that does not read SQL: the reference for what relaying costs). pgbench's
// select-only and simple-update scripts with 1, 8 and 32 clients, in the extended query protocol
// (one Parse per statement, the same text each time: the proxy's decisions come from its cache)
// and, for select-only with 8 clients, the simple protocol (each statement's text differs in its
// constant: every decision is a first one). Throughput, p50 and p99 latency from pgbench's
// per-transaction log, and the proxy's memory per connection.

const database = "rolec_bench_proxy";
const role = "bench_app";

const program = `// pgbench's tables, as its scripts use them.
schema "public" {
  table pgbench_accounts (aid, bid, abalance, filler)
  table pgbench_branches (bid, bbalance, filler)
  table pgbench_tellers (tid, bid, tbalance, filler)
  table pgbench_history (tid, bid, aid, delta, mtime, filler)
}

role bench_app login {
  select on "public".*
  update (abalance) on "public".pgbench_accounts
  update (bbalance) on "public".pgbench_branches
  update (tbalance) on "public".pgbench_tellers
  insert on "public".pgbench_history
}
`;

export interface ProxyBenchRow {
  readonly workload: string;
  readonly clients: number;
  readonly target: string;
  readonly tps: number;
  readonly p50ms: number;
  readonly p99ms: number;
}

export interface ProxyBenchResult {
  readonly rows: readonly ProxyBenchRow[];
  /** The proxy's resident memory with 32 clients connected, less its memory idle, per client. */
  readonly memoryPerConnectionKb: number | undefined;
  readonly notes: readonly string[];
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr || result.error?.message}`);
  return result.stdout;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on port ${port}`);
}

function startProxy(root: string, artifacts: string, upstream: string, auditLog: string, extra: readonly string[]): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "dist", "cli", "rolec.js"), "proxy", artifacts, "--listen", "127.0.0.1:0", "--upstream", upstream, "--audit-log", auditLog, "--auth", "trust", ...extra], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const ready = /ready on [^\s]+:(\d+),/.exec(out);
      if (ready) resolve({ child, port: Number(ready[1]) });
    });
    child.on("exit", (code) => reject(new Error(`rolec proxy exited with ${code}`)));
  });
}

/** PgBouncer in session mode (one server connection per client, as rolec proxy has), trusting local clients as rolec proxy --auth trust does. */
async function startPgbouncer(dir: string, upstream: URL): Promise<{ child: ChildProcess; port: number } | undefined> {
  if (spawnSync("pgbouncer", ["--version"]).status !== 0) return undefined;
  const port = await freePort();
  writeFileSync(path.join(dir, "users.txt"), `"${role}" ""\n`);
  writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `${database} = host=${upstream.hostname} port=${upstream.port || 5432} dbname=${database}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "auth_type = trust",
      `auth_file = ${path.join(dir, "users.txt")}`,
      "pool_mode = session",
      "max_client_conn = 200",
      "default_pool_size = 64",
      "unix_socket_dir =",
      `logfile = ${path.join(dir, "pgbouncer.log")}`,
      "ignore_startup_parameters = extra_float_digits",
      "",
    ].join("\n"),
  );
  // PgBouncer will not run as root.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(run("id", ["-u", "postgres"]).trim());
    const gid = Number(run("id", ["-g", "postgres"]).trim());
    chownSync(dir, uid, gid);
  }
  const child = asRoot ? spawn("runuser", ["-u", "postgres", "--", "pgbouncer", path.join(dir, "pgbouncer.ini")], { stdio: "ignore" }) : spawn("pgbouncer", [path.join(dir, "pgbouncer.ini")], { stdio: "ignore" });
  await waitForPort(port);
  return { child, port };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

/** One pgbench run (asynchronous, so that the proxy's memory can be sampled meanwhile); latencies from its per-transaction log (-l). */
async function pgbench(dir: string, port: number, args: readonly string[], clients: number, seconds: number): Promise<{ tps: number; p50ms: number; p99ms: number }> {
  const logDir = mkdtempSync(path.join(dir, "log-"));
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn("pgbench", ["-n", "-h", "127.0.0.1", "-p", String(port), "-U", role, "-c", String(clients), "-j", String(Math.min(clients, 2)), "-T", String(seconds), "-l", `--log-prefix=${path.join(logDir, "tx")}`, ...args, database], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`pgbench on port ${port} failed: ${stderr}`))));
  });
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
  const latencies: number[] = [];
  for (const file of readdirSync(logDir)) {
    for (const line of readFileSync(path.join(logDir, file), "utf8").split("\n")) {
      const fields = line.split(" ");
      if (fields.length >= 3) latencies.push(Number(fields[2]) / 1000);
    }
  }
  rmSync(logDir, { recursive: true, force: true });
  const sorted = Float64Array.from(latencies).sort();
  return { tps, p50ms: percentile(sorted, 50), p99ms: percentile(sorted, 99) };
}

function residentKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
}

export async function benchProxy(root: string, pgUrl: string, seconds: number): Promise<ProxyBenchResult> {
  const notes: string[] = [];
  const admin = new URL(pgUrl);
  const dbUrl = new URL(pgUrl);
  dbUrl.pathname = `/${database}`;
  const dir = mkdtempSync(path.join(tmpdir(), "rolec-bench-proxy-"));
  // Like the rest of the bench, it refuses a server that already has what it would make (and drop).
  const existing = run("psql", [admin.toString(), "-X", "-A", "-t", "-c", `SELECT (SELECT count(*) FROM pg_roles WHERE rolname = ${quoteLiteral(role)}) + (SELECT count(*) FROM pg_database WHERE datname = ${quoteLiteral(database)})`]).trim();
  if (existing !== "0") throw new Error(`the server already has a role ${role} or a database ${database}; the proxy bench makes and drops both, and will not touch existing ones`);
  const children: ChildProcess[] = [];
  try {
    run("psql", [admin.toString(), "-X", "-q", "-c", `DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`, "-c", `CREATE DATABASE ${quoteIdent(database)}`]);
    run("pgbench", ["-i", "-q", "-s", "10", dbUrl.toString()]);
    writeFileSync(path.join(dir, "bench.roles"), program);
    run(process.execPath, [path.join(root, "dist", "cli", "rolec.js"), "compile", path.join(dir, "bench.roles"), "--out", path.join(dir, "artifacts")]);
    run("psql", [dbUrl.toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", path.join(dir, "artifacts", "postgres.sql")]);
    const upstream = `postgres://${admin.host}/${database}`;
    const synced = await startProxy(root, path.join(dir, "artifacts"), upstream, path.join(dir, "audit.log"), []);
    children.push(synced.child);
    const unsynced = await startProxy(root, path.join(dir, "artifacts"), upstream, path.join(dir, "audit-nosync.log"), ["--audit-fsync", "none"]);
    children.push(unsynced.child);
    const bouncerDir = mkdtempSync(path.join(tmpdir(), "rolec-bench-pgbouncer-"));
    const bouncer = await startPgbouncer(bouncerDir, admin);
    if (bouncer) children.push(bouncer.child);
    else notes.push("PgBouncer is not installed (apt-get install pgbouncer); its column is missing");
    const targets: [string, number][] = [
      ["PostgreSQL directly", Number(admin.port || 5432)],
      ...(bouncer ? [["PgBouncer (session mode)", bouncer.port] as [string, number]] : []),
      ["rolec proxy (--audit-fsync entry)", synced.port],
      ["rolec proxy (--audit-fsync none)", unsynced.port],
    ];
    const rows: ProxyBenchRow[] = [];
    let memoryPerConnectionKb: number | undefined;
    const workloads: [string, string[], number[]][] = [
      ["select-only, extended protocol", ["-S", "-M", "extended"], [1, 8, 32]],
      ["simple-update, extended protocol", ["-N", "-M", "extended"], [1, 8, 32]],
      ["select-only, simple protocol (every decision a first one)", ["-S", "-M", "simple"], [8]],
    ];
    for (const [workload, args, clientCounts] of workloads) {
      for (const clients of clientCounts) {
        for (const [target, port] of targets) {
          // The proxy's memory with 32 clients connected, above its memory idle.
          const sampling = target.includes("entry") && clients === 32 && workload.startsWith("select-only, extended");
          const idleKb = sampling ? residentKb(synced.child.pid!) : 0;
          let peakKb = 0;
          const sampler = sampling ? setInterval(() => (peakKb = Math.max(peakKb, residentKb(synced.child.pid!))), 200) : undefined;
          const measured = await pgbench(dir, port, args, clients, seconds);
          if (sampler) {
            clearInterval(sampler);
            memoryPerConnectionKb = (peakKb - idleKb) / clients;
          }
          rows.push({ workload, clients, target, ...measured });
          console.error(`  proxy bench: ${workload}, ${clients} clients, ${target}: ${measured.tps.toFixed(0)} tps, p50 ${measured.p50ms.toFixed(3)} ms, p99 ${measured.p99ms.toFixed(3)} ms`);
        }
      }
    }
    rmSync(bouncerDir, { recursive: true, force: true });
    return { rows, memoryPerConnectionKb, notes };
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    spawnSync("psql", [admin.toString(), "-X", "-q", "-c", `DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`, "-c", `DROP OWNED BY ${quoteIdent(role)}`, "-c", `DROP ROLE IF EXISTS ${quoteIdent(role)}`]);
    rmSync(dir, { recursive: true, force: true });
  }
}
