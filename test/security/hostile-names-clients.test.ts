import test, { type ExecutionContext } from "ava";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { quoteMysqlGrantee, renderMysql } from "../../src/engine/mysql/index.js";
import { quoteIdent, renderPostgres } from "../../src/engine/postgres/index.js";
import { applyOnMysql, planOnMysql } from "../../src/engine/mysql/index.js";
import { applyOnPostgres, planOnPostgres } from "../../src/engine/postgres/index.js";
import type { Model } from "../../src/model/ir.js";
import { planMigration, renderMigration } from "../../src/migrate/index.js";
import { type SqlSession } from "../../src/engine/index.js";
import { openMysql } from "../../src/engine/mysql/index.js";
import { openPgServer } from "../../src/engine/postgres/index.js";
import { scratchSchemaSql } from "../../src/engine/postgres/verify/scratch-schema.js";
import { tempDir } from "../helpers/cli.js";
import { openScratchDatabase, serverUrl, withMysqlLock } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";
import { hostileFragments, hostileProgram } from "./hostile-name-corpus.js";
import { createMysqlObjects, dropMysqlProgram } from "./mysql-program.js";

// Every artifact a user feeds to a SQL client (postgres.sql to psql, mysql.sql to mariadb, the
// migrations rolec writes for both) and the statements apply runs, made from a program with
// hostile names in every place a name can take. Names with control characters are refused by
// the checker (RC0703); these tests render them anyway, to prove the emitters hold on their
// own. A canary file and a canary table show whether anything but the declared statements ran,
// and an empty plan afterwards shows that the declared ones did what they say.
const pgUrl = serverUrl("ROLEC_TEST_PG_URL");
const mysqlUrl = serverUrl("ROLEC_TEST_MYSQL_URL");
const canaryFile = path.join("/tmp", `rc${randomBytes(3).toString("hex")}`);
const canaryTable = "rcanary.t";
const fragments = hostileFragments(canaryFile, canaryTable);

function clientAvailable(name: string): boolean {
  const found = spawnSync(name, ["--version"]).status === 0;
  if (!found && process.env.ROLEC_REQUIRE_SERVERS === "1") throw new Error(`no ${name} client on PATH, and ROLEC_REQUIRE_SERVERS=1 requires one`);
  return found;
}
const pgTest = pgUrl && clientAvailable("psql") ? test.serial : test.serial.skip;
const mysqlTest = mysqlUrl && clientAvailable("mariadb") ? test.serial : test.serial.skip;

const programs = {
  postgres: {
    clean: programOf(hostileProgram(fragments.clean, "postgres", "x", { external: true }).files),
    controls: programOf(hostileProgram(fragments.controls, "postgres", "x", { external: true }).files),
  },
  mysql: {
    clean: programOf(hostileProgram(fragments.clean, "mysql", "x", { external: true }).files, { databases: ["mysql"] }),
    controls: programOf(hostileProgram(fragments.controls, "mysql", "x", { external: true }).files, { databases: ["mysql"] }),
    // The mariadb client reads its input line by line and drops the carriage return of a CRLF,
    // inside quoted names too, so with those names the script stops at its preflight, naming
    // tables that do not exist: safe, but it would hide the rest of the script from this test.
    controlsWithoutCrlf: programOf(hostileProgram(fragments.controls.filter((f) => !f.includes("\r\n")), "mysql", "x", { external: true }).files, { databases: ["mysql"] }),
  },
};

test("the checker takes every name without control characters, in every place, for both targets", (t) => {
  t.deepEqual(programs.postgres.clean.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), []);
  t.deepEqual(programs.mysql.clean.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), []);
  t.true(programs.postgres.clean.model.roles.length >= 2 * fragments.clean.length);
});

test("the checker refuses a control character or line break in every place a name can take", (t) => {
  const { files } = hostileProgram(fragments.controls, "postgres");
  const perFragment = Object.keys(files).length;
  const refused = programs.postgres.controls.diagnostics.filter((d) => d.code === "RC0703");
  // Per fragment: schema, table, view, sequence, append-only table, partition, three columns, role, login role, host,
  // the external account's name and host, a function, a procedure, and an argument type's schema and name.
  t.is(refused.length, perFragment * 18, refused.map((d) => d.message).join("\n"));
  for (const what of ["schema name", "table name", "view name", "sequence name", "partition name", "column name", "role name", "host", "function name", "procedure name", "type name"]) {
    t.true(refused.some((d) => d.message.startsWith(what)), what);
  }
});

test("a NUL character is refused wherever it stands, by the lexer", (t) => {
  for (const source of ['schema "a\u0000" { table t (c) }', 'schema s { table t ("c\u0000") }', 'role "r\u0000" { }', 'role r login host "h\u0000" { }', "/// doc\u0000\nrole r { }"]) {
    t.true(programOf(source).diagnostics.some((d) => d.code === "RC0001"), JSON.stringify(source));
  }
});

/** Runs a script as users do, `psql < postgres.sql`, stopping at the first error. */
function runPsql(databaseUrl: string, script: string): void {
  const result = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl], { input: script, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`psql failed (${result.status}): ${result.stderr.slice(0, 2000)}`);
}

/** Runs a script as users do, `mariadb --user=root < mysql.sql`. */
function runMariadb(script: string): void {
  const u = new URL(mysqlUrl!);
  const args = [`--host=${u.hostname || "127.0.0.1"}`, `--port=${u.port || "3306"}`, `--user=${decodeURIComponent(u.username) || "root"}`, "--default-character-set=utf8mb4", "--batch"];
  const result = spawnSync("mariadb", args, { input: script, encoding: "utf8", env: { ...process.env, MYSQL_PWD: decodeURIComponent(u.password) } });
  if (result.status !== 0) throw new Error(`mariadb failed (${result.status}): ${result.stderr.slice(0, 2000)}`);
}

async function firstMigration(model: Model, target: "postgres" | "mariadb"): Promise<string> {
  const dir = tempDir();
  try {
    const planned = await planMigration(model, dir, target);
    return renderMigration(planned, model, "plain", (span) => `${span.file}:${span.startLine}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The canary must be writable where the payloads point, or a passing test would prove nothing. */
function canaryCanBeWritten(t: ExecutionContext): void {
  const probe = spawnSync("sh", ["-c", `touch ${canaryFile} && rm ${canaryFile}`]);
  t.is(probe.status, 0, `${canaryFile} can be written, so a command that escaped would show`);
}

type Delivery = "the compiled script through the client" | "the first migration through the client" | "apply";
const deliveries: readonly Delivery[] = ["the compiled script through the client", "the first migration through the client", "apply"];

async function provePostgres(t: ExecutionContext, model: Model, delivery: Delivery): Promise<void> {
  rmSync(canaryFile, { force: true });
  const scratch = await openScratchDatabase(pgUrl!, model.roles.map((r) => r.name));
  let session: SqlSession | undefined;
  try {
    session = await openPgServer(scratch.databaseUrl);
    await session.exec(`${scratchSchemaSql(model).sql}\nCREATE SCHEMA rcanary; CREATE TABLE ${canaryTable} (x int); INSERT INTO ${canaryTable} VALUES (1);`);
    // The external accounts are another program's: made here, as it would make them.
    for (const role of model.roles.filter((r) => r.external)) await session.exec(`CREATE ROLE ${quoteIdent(role.name)} LOGIN`);
    if (delivery === "apply") {
      t.is((await applyOnPostgres(model, session, { confirm: async () => true })).kind, "applied");
    } else {
      runPsql(scratch.databaseUrl, delivery.startsWith("the compiled") ? renderPostgres(model) : await firstMigration(model, "postgres"));
    }
    t.false(existsSync(canaryFile), `no client command ran (${canaryFile})`);
    t.deepEqual(await session.query(`SELECT x FROM ${canaryTable}`), [{ x: 1 }], "the canary table is untouched");
    const after = await planOnPostgres(model, session);
    t.deepEqual(after.plan.blockers, []);
    t.deepEqual(after.plan.changes.map((c) => c.kind), [], "the database holds exactly what the program says");
    const roles = await session.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_roles WHERE rolname = ANY ($1::text[])", [model.roles.map((r) => r.name)]);
    t.is(roles[0]!.n, model.roles.length, "every role exists under its exact name");
  } finally {
    await session?.close();
    await scratch.close();
    rmSync(canaryFile, { force: true });
  }
}

for (const kind of ["clean", "controls"] as const) {
  for (const delivery of deliveries) {
    pgTest(`PostgreSQL, ${delivery}: names ${kind === "clean" ? "the checker takes" : "with control characters (refused by the checker, rendered anyway)"} run nothing but the declared statements`, async (t) => {
      canaryCanBeWritten(t);
      await provePostgres(t, programs.postgres[kind].model, delivery);
    });
  }
}

async function proveMysql(t: ExecutionContext, model: Model, delivery: Delivery): Promise<void> {
  rmSync(canaryFile, { force: true });
  await withMysqlLock(mysqlUrl!, async () => {
    const admin = await openMysql(mysqlUrl!);
    try {
      await dropMysqlProgram(admin, model);
      await createMysqlObjects(admin, model);
      for (const role of model.roles.filter((r) => r.external)) await admin.query(`CREATE USER ${quoteMysqlGrantee(role.name, role.host)}`);
      await admin.query(`CREATE DATABASE rcanary`);
      await admin.query(`CREATE TABLE ${canaryTable} (x INT)`);
      await admin.query(`INSERT INTO ${canaryTable} VALUES (1)`);
      if (delivery === "apply") {
        t.is((await applyOnMysql(model, admin, { confirm: async () => true })).kind, "applied");
      } else {
        runMariadb(delivery.startsWith("the compiled") ? renderMysql(model) : await firstMigration(model, "mariadb"));
      }
      t.false(existsSync(canaryFile), `no client command ran (${canaryFile})`);
      t.deepEqual(await admin.query(`SELECT x FROM ${canaryTable}`), [{ x: 1 }], "the canary table is untouched");
      const after = await planOnMysql(model, admin);
      t.deepEqual(after.plan.blockers, []);
      t.deepEqual(after.plan.changes.map((c) => `${c.kind} ${c.role}`), [], "the server holds exactly what the program says");
    } finally {
      await dropMysqlProgram(admin, model).catch(() => undefined);
      await admin.close();
      rmSync(canaryFile, { force: true });
    }
  });
}

for (const kind of ["clean", "controls"] as const) {
  for (const delivery of deliveries) {
    mysqlTest(`MariaDB, ${delivery}: names ${kind === "clean" ? "the checker takes" : "with control characters (refused by the checker, rendered anyway)"} run nothing but the declared statements`, async (t) => {
      canaryCanBeWritten(t);
      const program = kind === "controls" && delivery !== "apply" ? programs.mysql.controlsWithoutCrlf : programs.mysql[kind];
      await proveMysql(t, program.model, delivery);
    });
  }
}

