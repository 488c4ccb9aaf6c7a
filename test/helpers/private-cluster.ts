import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A PostgreSQL cluster of a test's own (initdb, then pg_ctl start on a free port), for what the
 * shared server's configuration cannot show: password authentication (SCRAM) and TLS. It runs
 * the machine's PostgreSQL binaries, as the postgres user when the tests run as root (the server
 * refuses to run as root).
 */
export interface PrivateCluster {
  readonly port: number;
  readonly dir: string;
  /** The certificate and key the server presents, when started with TLS. */
  readonly tls: { readonly cert: string; readonly key: string } | undefined;
  /** Runs SQL as the superuser over the cluster's Unix socket (trusted there). */
  psql(sql: string, database?: string): string;
  psqlFile(file: string, database?: string): void;
  stop(): void;
}

function binDir(): string {
  const versions = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error("no PostgreSQL binaries under /usr/lib/postgresql");
  return path.join("/usr/lib/postgresql", versions[0]!, "bin");
}

function asServerUser(command: string, args: readonly string[]): string[] {
  return process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--", command, ...args] : [command, ...args];
}

function run(command: string, args: readonly string[]): string {
  const [file, ...rest] = asServerUser(command, args);
  return execFileSync(file!, rest, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `hba` is pg_hba.conf's host lines (local connections are trusted); with `tls`, the server
 * presents a self-signed certificate for 127.0.0.1 (ssl = on).
 */
export async function startPrivateCluster(options: { hba: string; tls?: boolean }): Promise<PrivateCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), "rolec-pg-"));
  const data = path.join(dir, "data");
  const bin = binDir();
  const tls = options.tls ? selfSignedCertificate(dir, "server") : undefined;
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
    if (tls) for (const file of [tls.cert, tls.key]) chownSync(file, uid, gid);
  }
  run(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=reject", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  const settings = [`port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, "password_encryption = 'scram-sha-256'", "fsync = off"];
  if (tls) settings.push("ssl = on", `ssl_cert_file = '${tls.cert}'`, `ssl_key_file = '${tls.key}'`);
  appendFileSync(path.join(data, "postgresql.conf"), `${settings.join("\n")}\n`);
  writeFileSync(path.join(data, "pg_hba.conf"), `local all all trust\n${options.hba}\n`);
  run(path.join(bin, "pg_ctl"), ["-D", data, "-l", path.join(dir, "log"), "-w", "start"]);
  const psqlArgs = (database: string) => ["-h", dir, "-p", String(port), "-U", "postgres", "-d", database, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"];
  return {
    port,
    dir,
    tls,
    psql: (sql, database = "postgres") => {
      const result = spawnSync("psql", [...psqlArgs(database), "-c", sql], { encoding: "utf8" });
      if (result.status !== 0) throw new Error(`psql: ${result.stderr}`);
      return result.stdout;
    },
    psqlFile: (file, database = "postgres") => {
      const result = spawnSync("psql", [...psqlArgs(database), "-f", file], { encoding: "utf8" });
      if (result.status !== 0) throw new Error(`psql -f ${file}: ${result.stderr}`);
    },
    stop: () => {
      try {
        run(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A self-signed certificate and key for 127.0.0.1 (openssl), in `dir`. */
export function selfSignedCertificate(dir: string, name: string): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
  // The server refuses a key others can read.
  chmodSync(key, 0o600);
  return { cert, key };
}
