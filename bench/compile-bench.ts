import { checkProgram } from "../src/check/index.js";
import { renderAllowlist, renderMysql, renderPostgres } from "../src/emit/index.js";
import { parseFile } from "../src/syntax/index.js";
import { generateSpec } from "./generate-spec.js";

// One size, in a process of its own so its peak memory is its own: prints one JSON line.
function time<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

const tables = Number(process.argv[2]);
const text = generateSpec(tables);
const source = { path: "bench.roles", text };
const parsed = time(() => parseFile(source));
const checked = time(() => checkProgram([parsed.value], [source], { databases: ["mysql"] }));
if (checked.value.diagnostics.some((d) => d.severity === "error")) throw new Error("the generated spec has errors");
const pg = time(() => renderPostgres(checked.value.model));
const my = time(() => renderMysql(checked.value.model));
const allow = time(() => renderAllowlist(checked.value.model));
console.log(
  JSON.stringify({
    tables,
    grants: checked.value.model.grants.length,
    parseMs: parsed.ms,
    checkMs: checked.ms,
    postgresMs: pg.ms,
    mysqlMs: my.ms,
    allowlistMs: allow.ms,
    postgresMb: Buffer.byteLength(pg.value) / 1e6,
    mysqlMb: Buffer.byteLength(my.value) / 1e6,
    // maxRSS is in kilobytes: the most memory this process ever held.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
