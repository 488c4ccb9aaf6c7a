import test from "ava";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { frontEndProblem } from "../../fuzz/front-end-target.js";
import { nextInput, randomSource, seedCorpus } from "../../fuzz/inputs.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { repoRoot } from "../helpers/program.js";

// A short, seeded run of the fuzz target (npm run fuzz runs it for as long as it is given):
// random bytes, random tokens, mutated examples, deep nesting and huge inputs through the parser,
// checker and formatter, which must never throw, always give well-formed diagnostics, and format
// stably without changing what a program means.
test("80 seeded fuzz inputs: no throw, well-formed diagnostics, stable formatting", (t) => {
  t.timeout(120_000);
  const random = randomSource(20261122);
  const corpus = seedCorpus(repoRoot);
  const failures: string[] = [];
  for (let i = 0; i < 80; i++) {
    const input = nextInput(random, corpus);
    const problem = frontEndProblem(input);
    if (problem) failures.push(`input ${i} (${input.length} characters, starts ${JSON.stringify(input.slice(0, 60))}): ${problem}`);
  }
  t.deepEqual(failures, []);
});

test("a megabyte of broken syntax is one error and a short message, not a stack overflow", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "broken.roles"), "role r { select on s.t except ".repeat(40_000));
  const r = await rolec(["check", dir]);
  t.is(r.code, 1);
  t.regex(r.stderr, /error RC0002: .*\(the file holds too many syntax errors to read past this one: fix it, then check again\)/);
  t.false(hasStackTrace(r.stderr));
  t.true(r.stderr.length < 2000, `the message is ${r.stderr.length} characters long`);
});
