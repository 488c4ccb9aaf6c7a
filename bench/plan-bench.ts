import { mysqlNames, quoteMysqlIdent, quoteMysqlQualified, renderMysql } from "../src/engine/mysql/index.js";
import { appendOnlyNames, quoteIdent, renderPostgres } from "../src/engine/postgres/index.js";
import { connectMysql, planMysql, readMysql } from "../src/engine/mysql/index.js";
import { planPostgres, readPostgres } from "../src/engine/postgres/index.js";
import { compileProgram } from "../src/load/index.js";
import type { Model } from "../src/model/ir.js";
import { type SqlSession } from "../src/engine/index.js";
import { runMysqlScript, type MysqlSession } from "../src/engine/mysql/index.js";
import { openPgServer } from "../src/engine/postgres/index.js";
import { generateSpec } from "./generate-spec.js";

// `rolec plan` at scale, for one engine and size, in a process of its own; prints one JSON line.
// The server gets the spec's objects and the compiled script, then plan is timed three times and
// the best run kept: connecting, reading the catalog (and, inside that, the time the queries
// themselves took: the floor no reader can go below), and diffing.
const [engine, sizeText, url] = process.argv.slice(2) as ["postgres" | "mysql", string, string];
const tables = Number(sizeText);
const names = { schema: "bench_s", role: "bench_r" };
const program = compileProgram([{ path: "bench.roles", text: generateSpec(tables, 20, 200, names) }], { databases: ["mysql"] });
if (program.diagnostics.some((d) => d.severity === "error")) throw new Error("the generated spec has errors");
const model = program.model;
const schemas = [...new Set(model.objects.map((o) => o.schema))];

interface Timed {
  connectMs: number;
  readMs: number;
  queryMs: number;
  diffMs: number;
  queries: number;
  changes: number;
}

/** Wraps a session's query so the time spent waiting on the server (and decoding its rows) is summed. */
function timing<S extends { query: (...args: never[]) => Promise<unknown> }>(session: S): { session: S; spent: () => number } {
  let spent = 0;
  const query = session.query.bind(session) as (...args: unknown[]) => Promise<unknown>;
  const wrapped = {
    ...session,
    query: async (...args: unknown[]) => {
      const start = performance.now();
      try {
        return await query(...args);
      } finally {
        spent += performance.now() - start;
      }
    },
  } as unknown as S;
  return { session: wrapped, spent: () => spent };
}

async function benchPostgres(): Promise<Timed[]> {
  const admin = await openPgServer(url);
  const database = "rolec_bench";
  const dropRoles = async () => {
    for (const role of [...model.roles.map((r) => r.name), appendOnlyNames.owner]) {
      const exists = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
      if (exists.length > 0) await admin.exec(`DROP OWNED BY ${quoteIdent(role)}; DROP ROLE ${quoteIdent(role)}`);
    }
  };
  await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
  await dropRoles();
  await admin.exec(`CREATE DATABASE ${quoteIdent(database)}`);
  const target = new URL(url);
  target.pathname = `/${database}`;
  try {
    const setup = await openPgServer(target.toString());
    for (const schema of schemas) {
      const objects = model.objects.filter((o) => o.schema === schema);
      const ddl = [`CREATE SCHEMA ${quoteIdent(schema)};`];
      for (const o of objects) {
        if (o.kind === "table") ddl.push(`CREATE TABLE ${quoteIdent(schema)}.${quoteIdent(o.name)} (${o.columns.map((c) => `${quoteIdent(c)} int`).join(", ")});`);
        else if (o.kind === "sequence") ddl.push(`CREATE SEQUENCE ${quoteIdent(schema)}.${quoteIdent(o.name)};`);
      }
      for (const o of objects.filter((o) => o.kind === "view")) {
        ddl.push(`CREATE VIEW ${quoteIdent(schema)}.${quoteIdent(o.name)} AS SELECT ${o.columns.map((c) => `1 AS ${quoteIdent(c)}`).join(", ")};`);
      }
      await setup.exec(ddl.join("\n"));
    }
    await setup.exec(renderPostgres(model));
    await setup.close();
    const runs: Timed[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const session = await openPgServer(target.toString());
      const t1 = performance.now();
      const { session: timed, spent } = timing<SqlSession>(session);
      const live = await readPostgres(timed, schemas, [appendOnlyNames.rowTrigger, appendOnlyNames.truncateTrigger]);
      const t2 = performance.now();
      const plan = planPostgres(model, live);
      const t3 = performance.now();
      runs.push({ connectMs: t1 - t0, readMs: t2 - t1, queryMs: spent(), diffMs: t3 - t2, queries: live.queries, changes: plan.changes.length });
      await session.close();
    }
    return runs;
  } finally {
    await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    await dropRoles();
    await admin.close();
  }
}

async function benchMysql(): Promise<Timed[]> {
  const admin = await connectMysql(url, "the bench server");
  const cleanup = async (session: MysqlSession) => {
    for (const schema of [...schemas, mysqlNames.helperDatabase]) await session.query(`DROP DATABASE IF EXISTS ${quoteMysqlIdent(schema)}`);
    const principals = await session.query<{ User: string; Host: string; is_role: string }>(
      "SELECT User, Host, is_role FROM mysql.user WHERE User LIKE 'bench\\_r%' OR User LIKE 'rolec\\_login\\_bench\\_r%' OR (User = ? AND Host = ?)",
      [mysqlNames.definer.name, mysqlNames.definer.host],
    );
    for (const p of principals) await session.query(p.is_role === "Y" ? `DROP ROLE ${quoteMysqlIdent(p.User)}` : `DROP USER ${quoteMysqlIdent(p.User)}@${quoteMysqlIdent(p.Host)}`);
  };
  await cleanup(admin);
  try {
    for (const schema of schemas) await admin.query(`CREATE DATABASE ${quoteMysqlIdent(schema)}`);
    for (const o of model.objects.filter((o) => o.kind === "table")) {
      // MyISAM: the bench measures grants, and its tables are created many times faster than InnoDB's.
      await admin.query(`CREATE TABLE ${quoteMysqlQualified(o.schema, o.name)} (${o.columns.map((c) => `${quoteMysqlIdent(c)} INT`).join(", ")}) ENGINE = MyISAM`);
    }
    for (const o of model.objects.filter((o) => o.kind === "view")) {
      await admin.query(`CREATE VIEW ${quoteMysqlQualified(o.schema, o.name)} AS SELECT ${o.columns.map((c) => `1 AS ${quoteMysqlIdent(c)}`).join(", ")}`);
    }
    await runMysqlScript(renderMysql(model), admin);
    const runs: Timed[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const session = await connectMysql(url, "the bench server");
      const t1 = performance.now();
      const { session: timed, spent } = timing<MysqlSession>(session);
      const live = await readMysql(timed, schemas);
      const t2 = performance.now();
      const plan = planMysql(model, live);
      const t3 = performance.now();
      runs.push({ connectMs: t1 - t0, readMs: t2 - t1, queryMs: spent(), diffMs: t3 - t2, queries: live.queries, changes: plan.changes.length });
      await session.close();
    }
    return runs;
  } finally {
    await cleanup(admin);
    await admin.close();
  }
}

function best(runs: Timed[]): Timed {
  return runs.reduce((a, b) => (a.readMs + a.diffMs <= b.readMs + b.diffMs ? a : b));
}

const runs = engine === "postgres" ? await benchPostgres() : await benchMysql();
console.log(JSON.stringify({ engine, tables, ...best(runs), model: summary(model) }));

function summary(m: Model) {
  return { objects: m.objects.length, roles: m.roles.length, grants: m.grants.length };
}
