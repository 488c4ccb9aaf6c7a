import test from "ava";
import path from "node:path";
import { renderPostgres } from "../../src/engine/postgres/index.js";
import { columnVerbs, grantableRelations, verbsByKind, type Model } from "../../src/model/index.js";
import { resolveQuestion, whoCan, whoCanLive } from "../../src/review/index.js";
import { engines, parseConnection, defaultTimeouts } from "../../src/engine/index.js";
import { serverUrl, withDeclaredObjects } from "../helpers/databases.js";
import { exampleNames, exampleProgram, repoRoot } from "../helpers/program.js";
import { compileProgram, loadSources } from "../../src/load/index.js";
import { rolec } from "../helpers/cli.js";

// who-can's answer by the files against PostgreSQL's own: after the compiled script ran on a real
// server, has_table_privilege / has_column_privilege / has_sequence_privilege say yes for exactly
// the roles who-can lists, for every declared role × object × verb × column of each example and
// of a program with deep memberships, a NOINHERIT link, excepts, partitions and PUBLIC. And
// who-can --db, reading the same database, gives the declared roles the same answers, columns
// and membership chains as the files do.
const url = serverUrl("ROLEC_TEST_PG_URL");

interface Question {
  readonly schema: string;
  readonly name: string;
  readonly kind: string;
  readonly verb: string;
  readonly column: string | null;
}

function everyQuestion(model: Model): Question[] {
  const out: Question[] = [];
  for (const o of grantableRelations(model.objects)) {
    for (const verb of verbsByKind[o.kind]) {
      out.push({ schema: o.schema, name: o.name, kind: o.kind, verb, column: null });
      if (columnVerbs.has(verb) && o.kind !== "sequence") for (const c of o.columns) out.push({ schema: o.schema, name: o.name, kind: o.kind, verb, column: c });
    }
  }
  return out;
}

/** The roles who-can lists for a question: for a whole object, those that reach all of it. */
function byWhoCan(model: Model, q: Question): string[] {
  const question = resolveQuestion(model, q.verb, { schema: q.schema, name: q.name, ...(q.column === null ? {} : { column: q.column }) });
  return whoCan(model, question)
    .filter((a) => a.role !== "PUBLIC" && (q.column !== null || a.columns === "all"))
    .map((a) => a.role);
}

const programs: [string, () => Promise<Model>][] = [
  ...exampleNames.map((name): [string, () => Promise<Model>] => [`example ${name}`, async () => (await exampleProgram(name)).model]),
  ["a program with deep memberships", async () => compileProgram((await loadSources([path.join(repoRoot, "test/review/programs/deep.roles")])).files).model],
];

for (const [what, load] of programs) {
  test(`who-can agrees with PostgreSQL's has_*_privilege for every role, object, verb and column of ${what}`, async (t) => {
    if (!url) return t.pass("no PostgreSQL server");
    const model = await load();
    const roles = model.roles.map((r) => r.name);
    const questions = everyQuestion(model);
    await withDeclaredObjects(url, roles, model, async (session, databaseUrl) => {
      await session.exec(renderPostgres(model));
      const rows = await session.query<{ i: string; role: string }>(
        `SELECT q.i, r.role
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS q(schema, name, kind, verb, col, i)
          CROSS JOIN unnest($6::text[]) AS r(role)
          WHERE CASE WHEN q.col IS NOT NULL THEN has_column_privilege(r.role, format('%I.%I', q.schema, q.name), q.col, q.verb)
                     WHEN q.kind = 'sequence' THEN has_sequence_privilege(r.role, format('%I.%I', q.schema, q.name), q.verb)
                     ELSE has_table_privilege(r.role, format('%I.%I', q.schema, q.name), q.verb) END`,
        [questions.map((q) => q.schema), questions.map((q) => q.name), questions.map((q) => q.kind), questions.map((q) => q.verb), questions.map((q) => q.column), roles],
      );
      const byServer = new Map<number, string[]>();
      for (const row of rows) byServer.set(Number(row.i) - 1, [...(byServer.get(Number(row.i) - 1) ?? []), row.role]);
      const disagreements = questions.flatMap((q, i) => {
        const server = (byServer.get(i) ?? []).sort();
        const files = byWhoCan(model, q).sort();
        return JSON.stringify(server) === JSON.stringify(files) ? [] : [`${q.verb} on ${q.schema}.${q.name}${q.column === null ? "" : `(${q.column})`}: server ${server.join(",") || "none"}, who-can ${files.join(",") || "none"}`];
      });
      t.deepEqual(disagreements, []);
      t.true(questions.length > 50 && rows.length > 20, `it asked ${questions.length} questions and the server said yes ${rows.length} times`);
      t.log(`${questions.length} questions × ${roles.length} roles; ${rows.length} yes`);

      const live = await engines.postgres.connect(parseConnection(databaseUrl, undefined, defaultTimeouts));
      try {
        const declared = new Set(roles);
        const liveDisagreements: string[] = [];
        for (const q of questions) {
          const column = q.column ?? undefined;
          const facts = await live.accessFacts({ verb: q.verb, schema: q.schema, name: q.name, ...(column === undefined ? {} : { column }) });
          const byDatabase = whoCanLive(facts, column).filter((a) => declared.has(a.role)).map((a) => ({ role: a.role, columns: a.columns, paths: a.paths }));
          const question = resolveQuestion(model, q.verb, { schema: q.schema, name: q.name, ...(column === undefined ? {} : { column }) });
          const byFiles = whoCan(model, question).filter((a) => declared.has(a.role)).map((a) => ({ role: a.role, columns: a.columns, paths: a.paths }));
          if (JSON.stringify(byDatabase) !== JSON.stringify(byFiles)) liveDisagreements.push(`${q.verb} on ${q.schema}.${q.name}(${column ?? ""}): database ${JSON.stringify(byDatabase)}, files ${JSON.stringify(byFiles)}`);
        }
        t.deepEqual(liveDisagreements, []);
        if (what.includes("deep")) {
          // The command itself, as a reviewer runs it: the database's answer, in JSON, matches the files' but for sources.
          const byDatabase = await rolec(["who-can", "select", "app.accounts(ssn)", "--db", databaseUrl, "--format", "json"]);
          t.is(byDatabase.code, 0, byDatabase.stderr);
          const byFiles = await rolec(["who-can", "select", "app.accounts(ssn)", "test/review/programs/deep.roles", "--format", "json"]);
          const declaredOnly = (text: string) => (JSON.parse(text) as { role: string; sources: unknown }[]).filter((a) => declared.has(a.role)).map((a) => ({ ...a, sources: [] }));
          t.deepEqual(declaredOnly(byDatabase.stdout), declaredOnly(byFiles.stdout));
          t.deepEqual(declaredOnly(byFiles.stdout).map((a) => a.role), ["senior", "teller"]);
          const text = await rolec(["who-can", "select", "app.accounts(ssn)", "--db", databaseUrl]);
          t.regex(text.stdout, /^teller \(login\)\n {2}teller -> senior\n/m);
          t.regex(text.stdout, /^postgres \(login, superuser: passes every check\)\n/m);
        }
      } finally {
        await live.close();
      }
    });
  });
}

test("who-can --db on MySQL/MariaDB says it reads PostgreSQL only", async (t) => {
  const mysqlUrl = serverUrl("ROLEC_TEST_MYSQL_URL");
  if (!mysqlUrl) return t.pass("no MySQL server");
  const r = await rolec(["who-can", "select", "sales.orders", "--db", mysqlUrl]);
  t.is(r.code, 1);
  t.regex(r.stderr, /^rolec: who-can --db reads PostgreSQL; for MySQL\/MariaDB, ask the \.roles files/);
});
