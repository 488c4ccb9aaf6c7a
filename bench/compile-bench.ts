import { checkProgram } from "../src/check/index.js";
import { renderAllowlist } from "../src/emit/index.js";
import { renderMysql } from "../src/engine/mysql/index.js";
import { renderPostgres } from "../src/engine/postgres/index.js";
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
// As `rolec compile` does, only the model outlives the front end, and each artifact is let go
// once measured, so peak RSS is the pipeline's and not this script's bookkeeping.
const parseStart = performance.now();
let parsed: ReturnType<typeof parseFile> | undefined = parseFile(source);
const parseMs = performance.now() - parseStart;
const checked = time(() => checkProgram([parsed!], [source], { databases: ["mysql"] }));
parsed = undefined;
if (checked.value.diagnostics.some((d) => d.severity === "error")) throw new Error("the generated spec has errors");
const model = checked.value.model;
const measure = (render: () => string) => {
  const { value, ms } = time(render);
  return { ms, mb: Buffer.byteLength(value) / 1e6 };
};
const pg = measure(() => renderPostgres(model));
const my = measure(() => renderMysql(model));
const allow = measure(() => renderAllowlist(model));
console.log(
  JSON.stringify({
    tables,
    grants: model.grants.length,
    parseMs,
    checkMs: checked.ms,
    postgresMs: pg.ms,
    mysqlMs: my.ms,
    allowlistMs: allow.ms,
    postgresMb: pg.mb,
    mysqlMb: my.mb,
    // maxRSS is in kilobytes: the most memory this process ever held.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
