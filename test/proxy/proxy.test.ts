import test from "ava";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import net from "node:net";
import { spawn, spawnSync } from "node:child_process";
import pg from "pg";
import { parse, serialize } from "pg-protocol";
import { openScratchDatabase, serverUrl } from "../helpers/databases.js";
import { rolec, tempDir } from "../helpers/cli.js";
import { psqlAs, psqlFile, rawSession, startProxyProcess, upstreamOf, type RunningProxyProcess } from "../helpers/proxy.js";
import { examplesDir } from "../helpers/program.js";

// rolec proxy in front of the real PostgreSQL server, with the shop example compiled and applied:
// psql (simple query protocol) and node-postgres (extended protocol) as clients.

const url = serverUrl("ROLEC_TEST_PG_URL");
const shopRoles = ["auditor", "fulfilment", "merchandising", "reporting", "storefront"];
const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), "fixtures");

interface Setup {
  database: string;
  databaseUrl: string;
  dir: string;
  artifacts: string;
  auditLog: string;
  proxy: RunningProxyProcess;
  close: () => Promise<void>;
}

let setup: Setup | undefined;

test.before(async () => {
  if (!url) return;
  const scratch = await openScratchDatabase(url, shopRoles);
  const dir = tempDir();
  const artifacts = path.join(dir, "artifacts");
  const compiled = await rolec(["compile", path.join(examplesDir, "shop"), "--out", artifacts]);
  if (compiled.code !== 0) throw new Error(compiled.stderr);
  psqlFile(scratch.databaseUrl, path.join(fixtures, "shop-objects.sql"));
  psqlFile(scratch.databaseUrl, path.join(artifacts, "postgres.sql"));
  const auditLog = path.join(dir, "audit.log");
  const proxy = await startProxyProcess([artifacts, "--listen", "127.0.0.1:0", "--upstream", upstreamOf(scratch.databaseUrl), "--audit-log", auditLog, "--auth", "trust"]);
  setup = { database: new URL(scratch.databaseUrl).pathname.slice(1), databaseUrl: scratch.databaseUrl, dir, artifacts, auditLog, proxy, close: scratch.close };
});

test.after.always(async () => {
  if (!setup) return;
  await setup.proxy.stop();
  await setup.close();
});

function client(role: string): pg.Client {
  return new pg.Client({ host: "127.0.0.1", port: setup!.proxy.port, user: role, database: setup!.database });
}

async function sqlState(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

test.serial("psql: an allowed query answers as the server does, a denied one gets 42501 naming the missing privilege, and the session goes on", (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const run = psqlAs(setup.proxy.port, "storefront", setup.database, ["SELECT email, full_name FROM sales.customers", "SELECT ssn FROM sales.customers", "SELECT full_name FROM sales.customers"]);
  t.is(run.stdout, "ann@example.com|Ann\nAnn\n");
  t.regex(run.stderr, /ERROR: {2}permission denied: role storefront may not SELECT column ssn of sales\.customers/);
});

test.serial("psql: a denial inside a transaction block aborts it, as the server's own error would", (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const run = psqlAs(setup.proxy.port, "storefront", setup.database, ["BEGIN", "SELECT ssn FROM sales.customers", "SELECT 1", "ROLLBACK", "SELECT 2"]);
  t.regex(run.stderr, /permission denied/);
  t.regex(run.stderr, /current transaction is aborted/);
  t.is(run.stdout, "2\n");
});

test.serial("psql: SET search_path is followed, and unqualified names resolve through it", (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const run = psqlAs(setup.proxy.port, "storefront", setup.database, ["SET search_path TO sales", "SELECT email FROM customers", "SELECT ssn FROM customers"]);
  t.is(run.stdout, "ann@example.com\n");
  t.regex(run.stderr, /may not SELECT column ssn of sales\.customers/);
});

test.serial("psql: writes to an append-only table other than INSERT are refused, INSERT goes through", (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const run = psqlAs(setup.proxy.port, "storefront", setup.database, ["INSERT INTO sales.audit_events (actor, action) VALUES ('web', 'login') RETURNING 'inserted'", "DELETE FROM sales.audit_events"]);
  t.is(run.stdout, "inserted\n");
  t.regex(run.stderr, /sales\.audit_events is append-only/);
});

test.serial("node-postgres: the extended protocol is decided at Parse, with the denial in its place and the session usable", async (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const c = client("storefront");
  await c.connect();
  try {
    t.deepEqual((await c.query("SELECT email FROM sales.customers WHERE id = $1", [1])).rows, [{ email: "ann@example.com" }]);
    const denied = await c.query("SELECT ssn FROM sales.customers WHERE id = $1", [1]).then(() => undefined, (e: Error & { code: string }) => e);
    t.is(denied?.code, "42501");
    t.regex(denied?.message ?? "", /may not SELECT column ssn of sales\.customers/);
    // A named statement, parsed once and run again.
    for (let i = 0; i < 2; i++) t.deepEqual((await c.query({ name: "names", text: "SELECT full_name FROM sales.customers WHERE id = $1", values: [1] })).rows, [{ full_name: "Ann" }]);
    await c.query("BEGIN");
    t.is(await sqlState(c.query("SELECT ssn FROM sales.customers WHERE id = $1", [1])), "42501");
    t.is(await sqlState(c.query("SELECT 1 WHERE $1", [true])), "25P02");
    await c.query("ROLLBACK");
    t.deepEqual((await c.query("SELECT count(*)::int AS n FROM sales.customers WHERE id > $1", [0])).rows, [{ n: 1 }]);
    // What changes the session is refused in the extended protocol: it could not be followed in order.
    t.is(await sqlState(c.query({ text: "SET search_path TO sales", values: [] as unknown[], name: "sp" })), "42501");
  } finally {
    await c.end();
  }
});

test.serial("a role the allow-list does not have, or a startup parameter that would change the session, is refused at the door", (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const stranger = psqlAs(setup.proxy.port, "postgres", setup.database, ["SELECT 1"]);
  t.regex(stranger.stderr, /role postgres is not in the allow-list/);
  const options = psqlAs(setup.proxy.port, "storefront", setup.database, ["SELECT 1"], { PGOPTIONS: "-c role=postgres" });
  t.regex(options.stderr, /startup parameter options is not passed through/);
  const encoding = psqlAs(setup.proxy.port, "storefront", setup.database, ["SELECT 1"], { PGCLIENTENCODING: "SJIS" });
  t.regex(encoding.stderr, /client_encoding SJIS is not passed through/);
});

test.serial("every decision is in the audit log, chained: fingerprints and privileges, no statement text by default", async (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  psqlAs(setup.proxy.port, "auditor", setup.database, ["SELECT action FROM sales.audit_events WHERE actor = 'secret-value'"]);
  const entries = readFileSync(setup.auditLog, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
  t.is(entries[0]!.event, "start");
  const mine = entries.filter((e) => e.event === "decision" && e.role === "auditor");
  t.is(mine.length, 1);
  t.like(mine[0], { allowed: true, protocol: "simple" });
  t.deepEqual((mine[0]!.statements as { uses: string[] }[])[0]!.uses, ["select sales.audit_events(action, actor)"]);
  t.regex((mine[0]!.statements as { fingerprint: string }[])[0]!.fingerprint, /^[0-9a-f]{32}$/);
  t.false(readFileSync(setup.auditLog, "utf8").includes("secret-value"));
  t.true(entries.some((e) => e.event === "connect" && e.role === "auditor"));
  const verified = await rolec(["audit", "verify", setup.auditLog]);
  t.is(verified.code, 0, verified.stderr);
});

test.serial("SIGHUP: a new artifact is checked and switched to for new statements, and the log records both hashes; a tampered one is refused and the old stays", async (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const before = psqlAs(setup.proxy.port, "auditor", setup.database, ["SELECT count(*) FROM sales.products"]);
  t.regex(before.stderr, /permission denied/);
  // The database grants it too (the proxy is in front of the server's own grants, not instead of them).
  psqlFile(setup.databaseUrl, writeSql(setup.dir, "GRANT SELECT ON sales.products TO auditor;"));
  const sources = path.join(setup.dir, "sources");
  mkdirSync(sources, { recursive: true });
  copyFileSync(path.join(examplesDir, "shop", "schema.roles"), path.join(sources, "schema.roles"));
  writeFileSync(path.join(sources, "roles.roles"), readFileSync(path.join(examplesDir, "shop", "roles.roles"), "utf8").replace("select on sales.audit_events\n}", "select on sales.audit_events\n  select on sales.products\n}"));
  const compiled = await rolec(["compile", sources, "--out", setup.artifacts]);
  t.is(compiled.code, 0, compiled.stderr);
  // A cursor and a portal opened under the old rules, in a session that goes on across the reload.
  const open = await rawSession(setup.proxy.port, "storefront", setup.database);
  open.send(serialize.query("BEGIN; DECLARE c CURSOR FOR SELECT email FROM sales.customers"));
  open.send(Buffer.concat([serialize.parse({ name: "s", text: "SELECT email FROM sales.customers" }), serialize.bind({ portal: "p", statement: "s" }), serialize.sync()]));
  await open.readyCount(2);
  t.false(open.received.some((m) => m.name === "error"), JSON.stringify(open.received));
  await hangUp(setup.proxy, /reloaded: allow-list [0-9a-f]{64} -> [0-9a-f]{64}/);
  open.received.length = 0;
  open.send(Buffer.concat([serialize.execute({ portal: "p" }), serialize.sync()]));
  open.send(serialize.query("FETCH 1 FROM c"));
  await open.readyCount(4);
  const errors = open.received.filter((m) => m.name === "error").map((m) => m.message);
  t.regex(errors[0] ?? "", /portal "p" was not bound under the allow-list in force/);
  t.regex(errors[1] ?? "", /cursor c was not opened under the allow-list in force/);
  t.false(open.received.some((m) => m.name === "dataRow"));
  open.end();
  const after = psqlAs(setup.proxy.port, "auditor", setup.database, ["SELECT count(*) FROM sales.products"]);
  t.is(after.stdout, "1\n", after.stderr);
  const reload = readFileSync(setup.auditLog, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.event === "reload");
  t.like(reload, { changed: true });
  t.not(reload!.from, reload!.to);

  // Tampered: the allow-list no longer matches the manifest.
  const allowlist = path.join(setup.artifacts, "allowlist.json");
  writeFileSync(allowlist, readFileSync(allowlist, "utf8").replace('"select"', '"select" '));
  await hangUp(setup.proxy, /reload refused, allow-list [0-9a-f]{64} stays in force: .*allowlist\.json does not match manifest\.json/);
  t.is(psqlAs(setup.proxy.port, "auditor", setup.database, ["SELECT count(*) FROM sales.products"]).stdout, "1\n");
  t.true(readFileSync(setup.auditLog, "utf8").includes('"event":"reload-refused"'));
});

function writeSql(dir: string, sql: string): string {
  const file = path.join(dir, `extra-${Date.now()}.sql`);
  writeFileSync(file, sql);
  return file;
}

async function hangUp(proxy: RunningProxyProcess, expected: RegExp): Promise<void> {
  const seen = proxy.stderr().length;
  proxy.child.kill("SIGHUP");
  for (let i = 0; i < 100 && !expected.test(proxy.stderr().slice(seen)); i++) await new Promise((r) => setTimeout(r, 50));
  if (!expected.test(proxy.stderr().slice(seen))) throw new Error(`the proxy did not report ${expected}: ${proxy.stderr().slice(seen)}`);
}

test.serial("a pipelined extended batch: the denied statement's error arrives in its place, the rest of the batch is skipped to Sync, and the next batch runs", async (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const socket = net.connect({ host: "127.0.0.1", port: setup.proxy.port });
  const received: string[] = [];
  const errors: string[] = [];
  let readyCount = 0;
  const parsing = parse(socket, (message) => {
    received.push(message.name);
    if (message.name === "error") errors.push(`${(message as unknown as { code: string }).code} ${(message as unknown as { message: string }).message}`);
    if (message.name === "readyForQuery") readyCount++;
  });
  socket.write(serialize.startup({ user: "storefront", database: setup.database, client_encoding: "UTF8" }));
  await until(() => readyCount === 1);
  received.length = 0;
  // One write: allowed, denied, allowed after it (skipped), Sync; then a second batch.
  socket.write(Buffer.concat([
    serialize.parse({ name: "ok1", text: "SELECT email FROM sales.customers" }), serialize.bind({ statement: "ok1" }), serialize.execute({}),
    serialize.parse({ name: "no", text: "SELECT ssn FROM sales.customers" }), serialize.bind({ statement: "no" }), serialize.execute({}),
    serialize.parse({ text: "SELECT full_name FROM sales.customers" }), serialize.bind({}), serialize.execute({}),
    serialize.sync(),
    serialize.bind({ statement: "ok1" }), serialize.execute({}), serialize.sync(),
  ]));
  await until(() => readyCount === 3);
  t.deepEqual(received, [
    "parseComplete", "bindComplete", "dataRow", "commandComplete",
    "error", "readyForQuery",
    "bindComplete", "dataRow", "commandComplete", "readyForQuery",
  ]);
  t.is(errors.length, 1);
  t.regex(errors[0]!, /^42501 permission denied: role storefront may not SELECT column ssn of sales\.customers/);
  socket.end(serialize.end());
  await parsing;
});

test.serial("COPY through the proxy, both ways, decided as the statements they are (psql \\copy)", (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const out = psqlAs(setup.proxy.port, "storefront", setup.database, ["\\copy (SELECT email FROM sales.customers ORDER BY id LIMIT 1) TO STDOUT"]);
  t.is(out.stdout, "ann@example.com\n", out.stderr);
  t.regex(psqlAs(setup.proxy.port, "storefront", setup.database, ["\\copy sales.customers (ssn) TO STDOUT"]).stderr, /may not SELECT column ssn/);
  const copyIn = spawnSync("psql", [`postgres://storefront@127.0.0.1:${setup.proxy.port}/${setup.database}`, "-X", "-q", "-c", "\\copy sales.orders (customer_id, status) FROM STDIN"], { input: "1\tcopied\n", encoding: "utf8", env: { ...process.env, PGCLIENTENCODING: "UTF8" } });
  t.is(copyIn.status, 0, copyIn.stderr);
  t.is(psqlAs(setup.proxy.port, "storefront", setup.database, ["SELECT count(*) FROM sales.orders WHERE status = 'copied'"]).stdout, "1\n");
  const refusedIn = spawnSync("psql", [`postgres://storefront@127.0.0.1:${setup.proxy.port}/${setup.database}`, "-X", "-q", "-c", "\\copy sales.products (sku) FROM STDIN"], { input: "SKU-9\n", encoding: "utf8", env: { ...process.env, PGCLIENTENCODING: "UTF8" } });
  t.regex(refusedIn.stderr, /may not INSERT/);
});

test.serial("--auth scram in front of a server that lets the role in without a password: the client is turned away", async (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const artifacts = path.join(tempDir(), "artifacts");
  t.is((await rolec(["compile", path.join(examplesDir, "shop"), "--out", artifacts])).code, 0);
  const strict = await startProxyProcess([artifacts, "--listen", "127.0.0.1:0", "--upstream", upstreamOf(setup.databaseUrl), "--audit-log", path.join(setup.dir, "strict.log")]);
  try {
    const run = psqlAs(strict.port, "storefront", setup.database, ["SELECT 1"]);
    t.regex(run.stderr, /the database let role storefront in without SCRAM-SHA-256/);
    t.is(run.stdout, "");
  } finally {
    await strict.stop();
  }
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error("timed out waiting for the proxy's answers");
}

// What an attack on the proxy found, each kept closed by a test.

test.serial("a statement made by SQL PREPARE cannot be run, or described, through a protocol Bind (only EXECUTE runs it, judged)", async (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const s = await rawSession(setup.proxy.port, "storefront", setup.database);
  s.send(serialize.query("PREPARE leak AS SELECT full_name, ssn FROM sales.customers"));
  await s.readyCount(1);
  s.send(Buffer.concat([serialize.describe({ type: "S", name: "leak" }), serialize.bind({ statement: "leak" }), serialize.execute({}), serialize.sync()]));
  await s.readyCount(2);
  t.deepEqual(s.received.map((m) => m.name), ["commandComplete", "readyForQuery", "error", "readyForQuery"]);
  t.regex(s.received[2]!.message!, /permission denied: statement "leak" was not parsed through the proxy/);
  t.false(s.received.some((m) => m.name === "dataRow" || m.name === "rowDescription"));
  s.received.length = 0;
  s.send(serialize.query("EXECUTE leak"));
  await s.readyCount(3);
  t.regex(s.received[0]!.message!, /may not SELECT column ssn/);
  s.end();
});

test.serial("closing an SQL-prepared statement and parsing another under its name leaves no stale copy for EXECUTE to be judged by", async (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const s = await rawSession(setup.proxy.port, "storefront", setup.database);
  s.send(serialize.query("PREPARE x AS SELECT full_name FROM sales.customers"));
  await s.readyCount(1);
  s.send(Buffer.concat([serialize.close({ type: "S", name: "x" }), serialize.parse({ name: "x", text: "SELECT email FROM sales.customers" }), serialize.sync()]));
  await s.readyCount(2);
  s.received.length = 0;
  s.send(serialize.query("EXECUTE x"));
  await s.readyCount(3);
  t.deepEqual(s.received.map((m) => m.name), ["error", "readyForQuery"]);
  t.regex(s.received[0]!.message!, /prepared statement x does not exist/);
  s.end();
});

test.serial("a transaction begun by an unsynced Execute: SET search_path is not taken as lasting, so a ROLLBACK cannot undo it behind the proxy's back", async (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const s = await rawSession(setup.proxy.port, "storefront", setup.database);
  s.send(Buffer.concat([serialize.parse({ text: "BEGIN" }), serialize.bind({}), serialize.execute({})]));
  s.send(serialize.query("SET search_path TO sales"));
  await s.readyCount(1);
  t.truthy(s.received.find((m) => m.name === "error" && /SET search_path/.test(m.message ?? "")), JSON.stringify(s.received));
  s.send(serialize.query("ROLLBACK"));
  await s.readyCount(2);
  s.end();
});

test.serial("a client that sends a bad message while its session starts loses that session only; the proxy goes on", async (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const socket = net.connect({ host: "127.0.0.1", port: setup.proxy.port });
  socket.on("error", () => undefined);
  socket.write(serialize.startup({ user: "storefront", database: setup.database, client_encoding: "UTF8" }));
  await new Promise((r) => socket.once("data", r));
  socket.write(Buffer.from([0x7a, 0, 0, 0, 4]));
  await new Promise((r) => socket.on("close", r));
  t.is(psqlAs(setup.proxy.port, "storefront", setup.database, ["SELECT 1"]).stdout, "1\n");
});

test.serial("a client that stops reading a large result does not make the proxy hold it: the server is paused instead", async (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${setup!.proxy.child.pid}/status`, "utf8"))![1]) / 1024;
  const before = rss();
  const socket = net.connect({ host: "127.0.0.1", port: setup.proxy.port });
  socket.on("error", () => undefined);
  socket.write(serialize.startup({ user: "storefront", database: setup.database, client_encoding: "UTF8" }));
  await new Promise((r) => setTimeout(r, 300));
  socket.pause();
  // 400 MB of rows, never read.
  socket.write(serialize.query("SELECT repeat(full_name, 1000000) FROM sales.customers, generate_series(1, 400)"));
  await new Promise((r) => setTimeout(r, 3000));
  const grown = rss() - before;
  socket.destroy();
  t.true(grown < 150, `the proxy grew by ${grown.toFixed(0)} MB`);
});

test.serial("a cancel request (psql's Ctrl-C) reaches the server through the proxy", async (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const child = spawn("psql", [`postgres://storefront@127.0.0.1:${setup.proxy.port}/${setup.database}`, "-X", "-c", "SELECT count(*) FROM generate_series(1, 2000000000)"], { env: { ...process.env, PGCLIENTENCODING: "UTF8" } });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  await new Promise((r) => setTimeout(r, 1000));
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
  t.regex(stderr, /canceling statement due to user request/);
});

// What a second attack found.

test.serial("the ReadyForQuery of an earlier Sync does not settle a transaction an unsynced Execute after it began", async (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const s = await rawSession(setup.proxy.port, "storefront", setup.database);
  s.send(Buffer.concat([
    serialize.parse({ text: "SELECT 1" }), serialize.bind({}), serialize.execute({}), serialize.sync(),
    serialize.parse({ text: "BEGIN" }), serialize.bind({}), serialize.execute({}),
    serialize.query("SET search_path TO sales"),
  ]));
  await s.readyCount(2);
  t.truthy(s.received.find((m) => m.name === "error" && /SET search_path/.test(m.message ?? "")), JSON.stringify(s.received));
  s.end();
});

test.serial("COPY FROM STDIN with its CopyDone in the same write, then a failed batch: the proxy still follows PREPARE and DEALLOCATE, and judges EXECUTE by what the server holds", async (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const s = await rawSession(setup.proxy.port, "storefront", setup.database);
  s.send(serialize.query("PREPARE q AS SELECT email FROM sales.customers"));
  await s.readyCount(1);
  s.send(Buffer.concat([serialize.query("COPY sales.orders (status) FROM STDIN"), serialize.copyDone()]));
  await s.readyCount(2);
  s.send(Buffer.concat([serialize.parse({ text: "SELECT 1/0" }), serialize.bind({}), serialize.execute({}), serialize.sync()]));
  await s.readyCount(3);
  s.send(serialize.query("DEALLOCATE q; PREPARE q AS SELECT ssn FROM sales.customers"));
  await s.readyCount(4);
  s.received.length = 0;
  s.send(serialize.query("EXECUTE q"));
  await s.readyCount(5);
  t.deepEqual(s.received.map((m) => m.name), ["error", "readyForQuery"]);
  t.regex(s.received[0]!.message!, /may not SELECT column ssn/);
  s.end();
});

test.serial("COPY FROM STDIN is refused in the extended protocol (which messages after it are its data could not be followed)", async (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const c = client("storefront");
  await c.connect();
  try {
    const error = await c.query({ text: "COPY sales.orders (status) FROM STDIN", queryMode: "extended" } as pg.QueryConfig).then(() => undefined, (e: Error & { code: string }) => e);
    t.is(error?.code, "42501");
    t.regex(error?.message ?? "", /COPY FROM STDIN are refused in the extended query protocol/);
  } finally {
    await c.end();
  }
});

test.serial("--audit-text keeps each statement's text in the log, --audit-fsync none still writes every entry, and an upstream URL naming a database serves that one only", async (t) => {
  if (!setup) return t.pass("no PostgreSQL server");
  const artifacts = path.join(tempDir(), "artifacts");
  t.is((await rolec(["compile", path.join(examplesDir, "shop"), "--out", artifacts])).code, 0);
  const log = path.join(tempDir(), "text.log");
  const proxy = await startProxyProcess([artifacts, "--listen", "127.0.0.1:0", "--upstream", upstreamOf(setup.databaseUrl), "--audit-log", log, "--auth", "trust", "--audit-text", "--audit-fsync", "none"]);
  try {
    t.is(psqlAs(proxy.port, "auditor", setup.database, ["SELECT action FROM sales.audit_events WHERE actor = 'kept-value'"]).stderr, "");
    t.regex(psqlAs(proxy.port, "auditor", "postgres", ["SELECT 1"]).stderr, new RegExp(`this proxy serves database ${setup.database} only`));
  } finally {
    await proxy.stop();
  }
  const decisions = readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.event === "decision");
  t.is(decisions.length, 1);
  t.is(decisions[0]!.text, "SELECT action FROM sales.audit_events WHERE actor = 'kept-value'");
  t.is((await rolec(["audit", "verify", log])).code, 0);
});
