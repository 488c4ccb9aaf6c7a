import test from "ava";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { rolec, tempDir } from "../helpers/cli.js";
import { serverUrl } from "../helpers/databases.js";
import { startProxyProcess, type RunningProxyProcess } from "../helpers/proxy.js";
import { startPrivateCluster, selfSignedCertificate, type PrivateCluster } from "../helpers/private-cluster.js";

// Logging in through the proxy, on a PostgreSQL cluster of the test's own that asks for
// passwords (SCRAM-SHA-256, and clear text for one role) and speaks TLS only: the proxy passes
// the server's SCRAM exchange through, lets nobody in whom the server did not authenticate with
// it, and uses TLS on both sides.

const program = `schema app {
  table notes (id, body, secret)
}

role writer login {
  select (id, body) on app.notes
}

role legacy login {
  select (id, body) on app.notes
}
`;

let cluster: PrivateCluster | undefined;
let proxy: RunningProxyProcess | undefined;
let auditLog = "";
let artifactsDir = "";

test.before(async () => {
  // The cluster is the test's own, but it runs the same PostgreSQL installation the server tests use.
  if (!serverUrl("ROLEC_TEST_PG_URL")) return;
  const dir = tempDir();
  mkdirSync(path.join(dir, "src"));
  writeFileSync(path.join(dir, "src", "app.roles"), program);
  const artifacts = path.join(dir, "artifacts");
  artifactsDir = artifacts;
  const compiled = await rolec(["compile", path.join(dir, "src"), "--out", artifacts]);
  if (compiled.code !== 0) throw new Error(compiled.stderr);
  // TLS only, SCRAM for everyone but legacy, whose password the server asks for in clear text.
  cluster = await startPrivateCluster({ tls: true, hba: "hostssl all legacy 127.0.0.1/32 password\nhostssl all all 127.0.0.1/32 scram-sha-256" });
  cluster.psql("CREATE SCHEMA app; CREATE TABLE app.notes (id int, body text, secret text); INSERT INTO app.notes VALUES (1, 'hello', 'hidden')");
  cluster.psqlFile(path.join(artifacts, "postgres.sql"));
  cluster.psql("ALTER ROLE writer PASSWORD 'writer-password'; ALTER ROLE legacy PASSWORD 'legacy-password'");
  const clientTls = selfSignedCertificate(dir, "proxy");
  auditLog = path.join(dir, "audit.log");
  proxy = await startProxyProcess([
    artifacts, "--listen", "127.0.0.1:0", "--upstream", `postgres://127.0.0.1:${cluster.port}/postgres?sslmode=require`,
    "--audit-log", auditLog, "--tls-cert", clientTls.cert, "--tls-key", clientTls.key, "--require-tls",
  ]);
});

test.after.always(async () => {
  await proxy?.stop();
  cluster?.stop();
});

function psql(role: string, password: string, sslmode: string, sql: string, channelBinding = "disable", port = proxy!.port) {
  const result = spawnSync("psql", [`postgres://${role}@127.0.0.1:${port}/postgres?sslmode=${sslmode}&channel_binding=${channelBinding}`, "-X", "-q", "-A", "-t", "-c", sql], {
    encoding: "utf8",
    env: { ...process.env, PGPASSWORD: password, PGCLIENTENCODING: "UTF8", PGCONNECT_TIMEOUT: "10" },
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test.serial("SCRAM-SHA-256 passes through the proxy over TLS: the right password logs in, and the allow-list applies", (t) => {
  if (!proxy) return t.pass("no PostgreSQL");
  const run = psql("writer", "writer-password", "require", "SELECT body FROM app.notes");
  t.is(run.stdout, "hello\n", run.stderr);
  t.regex(psql("writer", "writer-password", "require", "SELECT secret FROM app.notes").stderr, /permission denied: role writer may not SELECT column secret of app\.notes/);
});

test.serial("SCRAM channel binding cannot pass a proxy with its own certificate: a client that would use it is told what to do", (t) => {
  if (!proxy) return t.pass("no PostgreSQL");
  const run = psql("writer", "writer-password", "require", "SELECT 1", "prefer");
  t.is(run.status, 2);
  t.regex(run.stderr, /cannot pass through a proxy that presents another certificate than the database's; connect with channel_binding=disable/);
});

test.serial("a proxy given the database's own certificate passes channel binding through: channel_binding=require logs in", async (t) => {
  if (!proxy || !cluster?.tls) return t.pass("no PostgreSQL");
  const twin = await startProxyProcess([
    artifactsDir, "--listen", "127.0.0.1:0", "--upstream", `postgres://127.0.0.1:${cluster.port}/postgres?sslmode=require`,
    "--audit-log", path.join(tempDir(), "audit.log"), "--tls-cert", cluster.tls.cert, "--tls-key", cluster.tls.key,
  ]);
  try {
    const run = psql("writer", "writer-password", "require", "SELECT body FROM app.notes", "require", twin.port);
    t.is(run.stdout, "hello\n", run.stderr);
  } finally {
    await twin.stop();
  }
});

test.serial("a wrong password is the server's refusal, passed on; nothing is let in or logged as a session", (t) => {
  if (!proxy) return t.pass("no PostgreSQL");
  const connects = () => readFileSync(auditLog, "utf8").split("\n").filter((l) => l.includes('"event":"connect"')).length;
  const before = connects();
  const run = psql("writer", "not-the-password", "require", "SELECT body FROM app.notes");
  t.is(run.status, 2);
  t.regex(run.stderr, /password authentication failed for user "writer"/);
  t.is(connects(), before);
});

test.serial("a server that asks for a password in clear text is not passed on: the proxy lets in only what SCRAM authenticated", (t) => {
  if (!proxy) return t.pass("no PostgreSQL");
  const run = psql("legacy", "legacy-password", "require", "SELECT body FROM app.notes");
  t.is(run.status, 2);
  t.regex(run.stderr, /asks for role legacy's password in clear text; the proxy passes on SCRAM-SHA-256 authentication only/);
});

test.serial("--require-tls turns away a client without TLS", (t) => {
  if (!proxy) return t.pass("no PostgreSQL");
  const run = psql("writer", "writer-password", "disable", "SELECT 1");
  t.is(run.status, 2);
  t.regex(run.stderr, /accepts only TLS connections/);
});

test.serial("the audit log records who logged in, and checks out", async (t) => {
  if (!proxy) return t.pass("no PostgreSQL");
  const connects = readFileSync(auditLog, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.event === "connect");
  t.true(connects.length >= 2);
  t.true(connects.every((e) => e.role === "writer"));
  const verified = await rolec(["audit", "verify", auditLog]);
  t.is(verified.code, 0, verified.stderr);
});
