import path from "node:path";
import { renderAllowlist } from "../src/emit/allowlist/render-allowlist.js";
import { DecisionCache, decide, loadSqlParser, readAllowlist } from "../src/enforce/index.js";
import { parseSql } from "../src/engine/postgres/statements/parse-sql.js";
import { loadSources } from "../src/load/load-sources.js";
import { compileProgram } from "../src/load/program.js";
import { measureInProcess } from "./measure.js";

// The decision library's own cost per statement, in this process, on the shop example's
// allow-list: a first decision (PostgreSQL's parser, then the analysis), and one the cache
// holds. The floor of a first decision is reading the statement with PostgreSQL's parser alone,
// which any reader of SQL with the server's own grammar pays.

/** Statements an application of the shop sends, from the trivial to a join with a subquery. */
const statements: readonly [role: string, sql: string][] = [
  ["storefront", "SELECT email, full_name FROM sales.customers WHERE id = $1"],
  ["storefront", "INSERT INTO sales.orders (customer_id, status, total_cents, currency) VALUES ($1, 'new', $2, 'EUR') RETURNING id"],
  ["storefront", "UPDATE sales.orders SET status = $1 WHERE id = $2"],
  ["fulfilment", "SELECT o.id, o.status, i.sku, i.quantity FROM sales.orders o JOIN sales.order_items i ON i.order_id = o.id WHERE o.status = 'paid' ORDER BY o.placed_at"],
  ["reporting", "SELECT p.sku, sum(i.quantity) AS sold FROM sales.products p JOIN sales.order_items i USING (sku) WHERE i.order_id IN (SELECT id FROM sales.orders WHERE placed_at > now() - interval '7 days') GROUP BY p.sku ORDER BY sold DESC LIMIT 10"],
  ["auditor", "SELECT * FROM sales.audit_events WHERE at > $1"],
  ["reporting", "SELECT ssn FROM sales.customers"],
];

const searchPath = ["$user", "public"];

export interface DecisionCosts {
  readonly statements: number;
  /** Seconds per statement, medians over the runs. */
  readonly parseFloorS: number;
  readonly firstS: number;
  readonly cachedS: number;
}

export async function benchDecisions(root: string, runs: number): Promise<DecisionCosts> {
  await loadSqlParser();
  const loaded = await loadSources([path.join(root, "examples", "shop")]);
  const allowlist = readAllowlist(renderAllowlist(compileProgram(loaded.files).model));
  const each = (fn: (role: string, sql: string) => void) => () => {
    for (const [role, sql] of statements) fn(role, sql);
  };
  const rounds = runs * 200;
  const parseFloorS = measureInProcess(each((_, sql) => parseSql(sql)), rounds) / statements.length;
  const firstS = measureInProcess(each((role, sql) => decide(allowlist, { role, searchPath, inTransaction: false }, sql)), rounds) / statements.length;
  const cache = new DecisionCache(allowlist);
  each((role, sql) => cache.decide({ role, searchPath, inTransaction: false }, sql))();
  const cachedS = measureInProcess(each((role, sql) => cache.decide({ role, searchPath, inTransaction: false }, sql)), rounds) / statements.length;
  return { statements: statements.length, parseFloorS, firstS, cachedS };
}
