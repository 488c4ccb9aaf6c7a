import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateSpec } from "./generate-spec.js";

// `rolec compile --target all` as a user runs it, on a generated spec of one size: the built CLI
// in a process of its own, from start to exit (loading, checking, rendering and writing every
// artifact), five times. Prints one JSON line: the median wall time and the highest peak RSS.
const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, "..", "dist", "src", "cli", "main.js");
const tables = Number(process.argv[2]);
const runs = 5;

const dir = mkdtempSync(path.join(tmpdir(), "rolec-bench-"));
try {
  writeFileSync(path.join(dir, "bench.roles"), generateSpec(tables));
  const peakFile = path.join(dir, "peak");
  const times: number[] = [];
  const peaks: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    execFileSync(process.execPath, ["--import", pathToFileURL(path.join(here, "record-peak.mjs")).href, cli, "compile", dir, "--target", "all", "--out", path.join(dir, "out")], {
      env: { ...process.env, ROLEC_BENCH_PEAK_FILE: peakFile },
      stdio: ["ignore", "ignore", "ignore"],
    });
    times.push(performance.now() - start);
    peaks.push(Number(readFileSync(peakFile, "utf8")) / 1024);
  }
  const outBytes = ["postgres.sql", "mysql.sql", "allowlist.json"].reduce((n, f) => n + statSync(path.join(dir, "out", f)).size, 0);
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ tables, runs, medianMs: times[Math.floor(runs / 2)], maxPeakRssMb: Math.max(...peaks), minPeakRssMb: Math.min(...peaks), outMb: outBytes / 1e6 }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
