import test from "ava";
import { renderAllowlist } from "../../src/emit/allowlist/render-allowlist.js";
import { DecisionCache, loadSqlParser, readAllowlist } from "../../src/enforce/index.js";
import { programOf } from "../helpers/program.js";

const program = "schema app { table t (a, b)\n sequence s }\nschema other { table t (c) }\nrole r login { select (a) on app.t\n select on other.t\n usage on app.s }\n";

test.before(async () => {
  await loadSqlParser();
});

const cacheOf = (capacity?: number) => new DecisionCache(readAllowlist(renderAllowlist(programOf(program).model)), capacity);

test("the same statement for the same role and search path is decided once", (t) => {
  const cache = cacheOf();
  const first = cache.decide({ role: "r", searchPath: ["$user", "public"], inTransaction: false }, "SELECT a FROM app.t");
  const again = cache.decide({ role: "r", searchPath: ["$user", "public"], inTransaction: false }, "SELECT a FROM app.t");
  t.true(first.allowed);
  t.is(again, first);
  t.deepEqual([cache.hits, cache.misses], [1, 1]);
});

test("the search path, the role and every character of the text are part of the key", (t) => {
  const cache = cacheOf();
  t.true(cache.decide({ role: "r", searchPath: ["other"], inTransaction: false }, "SELECT * FROM t").allowed);
  t.false(cache.decide({ role: "r", searchPath: ["app"], inTransaction: false }, "SELECT * FROM t").allowed, "another path finds another table");
  t.false(cache.decide({ role: "r", searchPath: [], inTransaction: false }, "SELECT * FROM t").allowed, "an empty path finds nothing");
  t.true(cache.decide({ role: "r", searchPath: ["app"], inTransaction: false }, "SET search_path TO other").allowed);
  t.false(cache.decide({ role: "r", searchPath: ["app"], inTransaction: true }, "SET search_path TO other").allowed, "the transaction state is part of the key");
  t.false(cache.decide({ role: "nobody", searchPath: ["other"], inTransaction: false }, "SELECT * FROM t").allowed);
  t.true(cache.decide({ role: "r", searchPath: ["$user", "public"], inTransaction: false }, "SELECT nextval('app.s')").allowed);
  t.false(cache.decide({ role: "r", searchPath: ["$user", "public"], inTransaction: false }, "SELECT nextval('app.x')").allowed, "statements that differ in a constant are not one");
  t.is(cache.hits, 0);
});

test("what depends on the session's prepared statements is never kept", (t) => {
  const cache = cacheOf();
  cache.decide({ role: "r", searchPath: ["$user", "public"], inTransaction: false }, "PREPARE p AS SELECT b FROM app.t");
  cache.decide({ role: "r", searchPath: ["$user", "public"], inTransaction: false }, "PREPARE p AS SELECT b FROM app.t");
  const prepare = cache.decide({ role: "r", searchPath: ["$user", "public"], inTransaction: false }, "PREPARE p AS SELECT b FROM app.t").statements[0]!.prepare!;
  const prepared = new Map([[prepare.name, prepare.statement]]);
  t.false(cache.decide({ role: "r", searchPath: ["$user", "public"], inTransaction: false, prepared }, "EXECUTE p").allowed);
  t.false(cache.decide({ role: "r", searchPath: ["$user", "public"], inTransaction: false, prepared: new Map() }, "EXECUTE p").allowed);
  t.is(cache.hits, 0);
  t.is(cache.size, 0);
});

test("the least recently used decision goes first once the cache is full", (t) => {
  const cache = cacheOf(2);
  cache.decide({ role: "r", searchPath: ["$user", "public"], inTransaction: false }, "SELECT 1");
  cache.decide({ role: "r", searchPath: ["$user", "public"], inTransaction: false }, "SELECT 2");
  cache.decide({ role: "r", searchPath: ["$user", "public"], inTransaction: false }, "SELECT 1");
  cache.decide({ role: "r", searchPath: ["$user", "public"], inTransaction: false }, "SELECT 3");
  t.is(cache.size, 2);
  cache.decide({ role: "r", searchPath: ["$user", "public"], inTransaction: false }, "SELECT 1");
  t.is(cache.hits, 2, "SELECT 1 was kept, being used more recently than SELECT 2");
  cache.decide({ role: "r", searchPath: ["$user", "public"], inTransaction: false }, "SELECT 2");
  t.is(cache.misses, 4);
});

test("long texts and strings of many statements are decided every time, never kept: one client cannot fill the cache with megabytes", (t) => {
  const cache = cacheOf();
  const session = { role: "r", searchPath: ["app"], inTransaction: false };
  const long = `SELECT a FROM app.t WHERE a = '${"x".repeat(9000)}'`;
  cache.decide(session, long);
  cache.decide(session, long);
  const many = "SELECT a FROM app.t;".repeat(65);
  cache.decide(session, many);
  t.is(cache.size, 0);
  const short = `SELECT a FROM app.t WHERE a = '${"x".repeat(100)}'`;
  cache.decide(session, short);
  t.is(cache.size, 1);
});
