import test from "ava";
import { readFileSync } from "node:fs";
import path from "node:path";
import { renderAllowlist } from "../../src/emit/index.js";
import { renderPostgres } from "../../src/engine/postgres/index.js";
import { compileProgram } from "../../src/load/index.js";
import { parseFile, printFile, type ParsedFile } from "../../src/syntax/index.js";
import { repoRoot } from "../helpers/program.js";

// Seeded mutations of real files: deletions, insertions of tokens and fragments, duplicated
// slices. Whatever comes out, the front end must answer with diagnostics, never throw, and the
// formatter must keep the meaning and every comment of anything that parses.
const seeds = ["examples/shop/roles.roles", "examples/saas/tenancy.roles", "examples/saas/roles.roles", "test/syntax/kitchen-sink.roles"].map((f) =>
  readFileSync(path.join(repoRoot, f), "utf8"),
);
const fragments = ["{", "}", "(", ")", ",", ".", "*", '"', "/*", "*/", "//", "///", "\n", " ", "role", "schema", "except", "all", "append_only", "select", "-1", "x", '"a""b"', "\u202e", "\t"];

function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state % n;
  };
}

function mutate(text: string, r: (n: number) => number): string {
  for (let edits = 1 + r(5); edits > 0; edits--) {
    const at = r(text.length + 1);
    const kind = r(3);
    if (kind === 0) text = text.slice(0, at) + text.slice(at + r(12));
    else if (kind === 1) text = text.slice(0, at) + fragments[r(fragments.length)] + text.slice(at);
    else {
      const other = r(text.length + 1);
      text = text.slice(0, at) + text.slice(Math.min(at, other), Math.max(at, other)) + text.slice(at);
    }
  }
  return text;
}

const meaning = (parsed: ParsedFile) => JSON.stringify(parsed.ast.items, (key, value) => (key === "span" ? undefined : value));
const comments = (parsed: ParsedFile) => parsed.comments.map((c) => c.text.split("\n").map((l) => l.trimEnd()).join("\n"));

test("1,500 mutated files: no exception, and formatting keeps meaning and comments", (t) => {
  const r = random(20261122);
  let formatted = 0;
  for (let i = 0; i < 1500; i++) {
    const text = mutate(seeds[r(seeds.length)]!, r);
    const context = `mutation ${i}: ${JSON.stringify(text)}`;
    const parsed = parseFile({ path: "m.roles", text });
    if (parsed.diagnostics.length === 0) {
      formatted += 1;
      const out = printFile(parsed.ast, parsed.comments, text);
      const again = parseFile({ path: "m.roles", text: out });
      if (again.diagnostics.length > 0 || meaning(again) !== meaning(parsed) || JSON.stringify(comments(again)) !== JSON.stringify(comments(parsed))) {
        return t.fail(`formatting changed the file's meaning or comments; ${context}`);
      }
      if (printFile(again.ast, again.comments, out) !== out) return t.fail(`formatting is not idempotent; ${context}`);
    }
    const program = compileProgram([{ path: "m.roles", text }]);
    if (!program.diagnostics.some((d) => d.severity === "error")) {
      renderPostgres(program.model);
      renderAllowlist(program.model);
    }
  }
  t.true(formatted > 100, `enough mutations still parse to test the formatter (${formatted})`);
});
