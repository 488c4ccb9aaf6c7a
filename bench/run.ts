import { renderAllowlist, renderMysql, renderPostgres } from "../src/emit/index.js";
import { parseFile } from "../src/syntax/index.js";
import { checkProgram } from "../src/check/index.js";
import { generateSpec } from "./generate-spec.js";

// `npm run bench`: times each stage of the compiler on generated specs and prints a table.
// Peak memory is the process's resident set size after each size, measured in a fresh process.

function time<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const rows: string[][] = [["tables", "grants", "parse ms", "check ms", "postgres ms", "mysql ms", "allowlist ms", "postgres.sql MB", "mysql.sql MB", "peak RSS MB"]];
for (const tables of sizes.length > 0 ? sizes : [1000, 10000]) {
  const text = generateSpec(tables);
  const source = { path: "bench.roles", text };
  const parsed = time(() => parseFile(source));
  const checked = time(() => checkProgram([parsed.value], [source]));
  if (checked.value.diagnostics.some((d) => d.severity === "error")) throw new Error("the generated spec has errors");
  const pg = time(() => renderPostgres(checked.value.model));
  const my = time(() => renderMysql(checked.value.model));
  const allow = time(() => renderAllowlist(checked.value.model));
  rows.push([
    String(tables),
    String(checked.value.model.grants.length),
    parsed.ms.toFixed(0),
    checked.ms.toFixed(0),
    pg.ms.toFixed(0),
    my.ms.toFixed(0),
    allow.ms.toFixed(0),
    (Buffer.byteLength(pg.value) / 1e6).toFixed(1),
    (Buffer.byteLength(my.value) / 1e6).toFixed(1),
    (process.memoryUsage().rss / 1e6).toFixed(0),
  ]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const row of rows) console.log(row.map((c, i) => c.padStart(widths[i]!)).join("  "));
