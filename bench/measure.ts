import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// Runs a command several times, each a process of its own from start to exit, and keeps the
// median wall time; for Node processes also the highest peak resident memory, which a preloaded
// module (record-peak.mjs) reads from the process itself when it exits.

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Measured {
  readonly medianS: number;
  /** Highest of the runs; undefined where the process is not Node's. */
  readonly peakMb: number | undefined;
}

export interface RunOptions {
  readonly runs: number;
  /** Exit codes that mean the command did its job (plan exits 2 when there are changes). */
  readonly okExits?: readonly number[];
  readonly stdinFile?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export function measure(command: string, args: readonly string[], options: RunOptions): Measured {
  const node = command === process.execPath;
  const scratch = mkdtempSync(path.join(tmpdir(), "rolec-bench-peak-"));
  const peakFile = path.join(scratch, "peak");
  const times: number[] = [];
  const peaks: number[] = [];
  try {
    for (let i = 0; i < options.runs; i++) {
      const fullArgs = node ? ["--import", pathToFileURL(path.join(here, "record-peak.mjs")).href, ...args] : [...args];
      const start = performance.now();
      const result = spawnSync(command, fullArgs, {
        env: { ...process.env, ...options.env, ROLEC_BENCH_PEAK_FILE: peakFile },
        stdio: [options.stdinFile ? "pipe" : "ignore", "ignore", "pipe"],
        input: options.stdinFile ? readFileSync(options.stdinFile) : undefined,
        maxBuffer: 1e8,
      });
      times.push(performance.now() - start);
      const ok = options.okExits ?? [0];
      if (result.status === null || !ok.includes(result.status)) {
        throw new Error(`${path.basename(command)} ${args.join(" ")} exited with ${result.status ?? result.signal}:\n${result.stderr?.toString().slice(-2000)}`);
      }
      if (node) peaks.push(Number(readFileSync(peakFile, "utf8")) / 1024);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return { medianS: times[Math.floor(times.length / 2)]! / 1000, peakMb: peaks.length > 0 ? Math.max(...peaks) : undefined };
}

/** The median time of a function run in this process, in seconds. */
export function measureInProcess(fn: () => void, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]! / 1000;
}
