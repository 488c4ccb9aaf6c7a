import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { repoRoot } from "./program.js";

export interface RunningProxyProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything the proxy wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `rolec proxy` from the built command line and waits for its ready line; rejects with its stderr if it exits first. */
export function startProxyProcess(args: readonly string[]): Promise<RunningProxyProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, "dist/cli/rolec.js"), "proxy", ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "" } });
    let stdout = "";
    let stderr = "";
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    child.stderr!.on("data", (d) => (stderr += d));
    child.stdout!.on("data", (d) => {
      stdout += d;
      const ready = /ready on [^\s]+:(\d+),/.exec(stdout);
      if (ready) {
        resolve({
          port: Number(ready[1]),
          child,
          stderr: () => stderr,
          stop: () => {
            child.kill("SIGTERM");
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`rolec proxy exited with ${code} before it was ready: ${stderr}`)));
  });
}

/** Runs the compiled script (or any SQL file) with psql as the server's superuser, stopping at the first error. */
export function psqlFile(url: string, file: string): void {
  const result = spawnSync("psql", [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`psql -f ${file} failed: ${result.stderr}`);
}

/** Runs psql through the proxy as `role`: its stdout, stderr and exit code. */
export function psqlAs(port: number, role: string, database: string, commands: readonly string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const args = [`postgres://${encodeURIComponent(role)}@127.0.0.1:${port}/${encodeURIComponent(database)}`, "-X", "-q", "-A", "-t", ...commands.flatMap((c) => ["-c", c])];
  const result = spawnSync("psql", args, { encoding: "utf8", env: { ...process.env, PGCLIENTENCODING: "UTF8", PGCONNECT_TIMEOUT: "10", ...env }, timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The URL `rolec proxy --upstream` takes for a test database: the server and database, no user. */
export function upstreamOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `postgres://${url.host}${url.pathname}`;
}

/** A client speaking the protocol message by message (pg-protocol builds and reads the messages), for what libraries do not send. */
export interface RawSession {
  /** Every backend message received so far: its name, and for errors the SQLSTATE and message. */
  readonly received: { name: string; code?: string; message?: string; fields?: string[] }[];
  send(bytes: Buffer): void;
  /** Waits until `count` ReadyForQuery messages have arrived since the session became ready. */
  readyCount(count: number): Promise<void>;
  closed(): Promise<void>;
  end(): void;
}

export async function rawSession(port: number, user: string, database: string): Promise<RawSession> {
  const { parse, serialize } = await import("pg-protocol");
  const net = await import("node:net");
  const socket = net.connect({ host: "127.0.0.1", port });
  socket.on("error", () => undefined);
  const received: RawSession["received"] = [];
  let ready = 0;
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  void parse(socket, (message) => {
    const m = message as unknown as { name: string; code?: string; message?: string; fields?: { length?: number; value?: string }[]; values?: unknown[] };
    received.push({ name: m.name, ...(m.code !== undefined ? { code: m.code } : {}), ...(m.name === "error" ? { message: m.message } : {}), ...(m.name === "dataRow" ? { fields: (m as unknown as { fields: string[] }).fields } : {}) });
    if (m.name === "readyForQuery") ready++;
  }).catch(() => undefined);
  socket.write(serialize.startup({ user, database, client_encoding: "UTF8" }));
  const session: RawSession = {
    received,
    send: (bytes) => socket.write(bytes),
    readyCount: async (count) => {
      for (let i = 0; i < 400 && ready < count; i++) await new Promise((r) => setTimeout(r, 25));
      if (ready < count) throw new Error(`timed out waiting for ReadyForQuery ${count}; got ${JSON.stringify(received)}`);
    },
    closed: () => closed,
    end: () => socket.end(serialize.end()),
  };
  await session.readyCount(1);
  received.length = 0;
  ready = 0;
  return session;
}
