import test from "ava";
import fc from "fast-check";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { unifiedDiff } from "../../src/cli/line-diff.js";
import { tempDir } from "../helpers/cli.js";

/** Applies the diff with git, the tool a reader would use, and returns the file it leaves. */
function applyWithGit(before: string, diff: string): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, "f.roles"), before);
  execFileSync("git", ["apply", "--unidiff-zero", "-"], { cwd: dir, input: diff, stdio: ["pipe", "ignore", "pipe"] });
  return readFileSync(path.join(dir, "f.roles"), "utf8");
}

const names = { from: "a/f.roles", to: "b/f.roles" };

/**
 * git apply finds a hunk a few lines away from where it says it is, so the numbers are checked
 * here: each hunk's old lines must stand in the old text where its header says, its new lines in the new.
 */
function hunksMatchTheirLineNumbers(diff: string, before: string, after: string): void {
  const oldLines = before.split("\n");
  const newLines = after.split("\n");
  for (const hunk of diff.split(/^(?=@@ )/m).slice(1)) {
    const [header, ...body] = hunk.replace(/\n$/, "").split("\n");
    const [, oldStart, oldCount = "1", newStart, newCount = "1"] = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(header!)!;
    const lines = body.filter((l) => !l.startsWith("\\"));
    const side = (skip: string) => lines.filter((l) => !l.startsWith(skip)).map((l) => l.slice(1));
    const at = (all: string[], start: string, count: string) => (Number(count) === 0 ? [] : all.slice(Number(start) - 1, Number(start) - 1 + Number(count)));
    if (JSON.stringify(side("+")) !== JSON.stringify(at(oldLines, oldStart!, oldCount))) throw new Error(`old side of ${header} is not where it says`);
    if (JSON.stringify(side("-")) !== JSON.stringify(at(newLines, newStart!, newCount))) throw new Error(`new side of ${header} is not where it says`);
  }
}

test("equal texts have no diff", (t) => {
  t.is(unifiedDiff("a\nb\n", "a\nb\n", names), "");
});

test("a change is shown with three lines of context and numbered as diff -u numbers it", (t) => {
  const before = ["1", "2", "3", "4", "5", "6", "7", "8", "9"].join("\n") + "\n";
  const after = ["1", "2", "3", "4", "five", "6", "7", "8", "9"].join("\n") + "\n";
  t.is(unifiedDiff(before, after, names), "--- a/f.roles\n+++ b/f.roles\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
});

test("changes far apart are separate hunks", (t) => {
  const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
  const before = lines.join("\n") + "\n";
  const after = ["new", ...lines.slice(0, 15), ...lines.slice(16)].join("\n") + "\n";
  t.is(
    unifiedDiff(before, after, names),
    "--- a/f.roles\n+++ b/f.roles\n@@ -1,3 +1,4 @@\n+new\n line 1\n line 2\n line 3\n@@ -13,7 +14,6 @@\n line 13\n line 14\n line 15\n-line 16\n line 17\n line 18\n line 19\n",
  );
});

test("an empty side is numbered from 0 and a one-line side has no count, as diff -u writes them", (t) => {
  t.is(unifiedDiff("", "a\n", names), "--- a/f.roles\n+++ b/f.roles\n@@ -0,0 +1 @@\n+a\n");
  t.is(unifiedDiff("a\n", "", names), "--- a/f.roles\n+++ b/f.roles\n@@ -1 +0,0 @@\n-a\n");
});

test("a last line without a line feed is marked", (t) => {
  t.is(unifiedDiff("a\nb", "a\nb\n", names), "--- a/f.roles\n+++ b/f.roles\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
});

test("every diff, applied with git apply, turns the old text into the new one", (t) => {
  const line = fc.constantFrom("schema s {", "}", "  table t (a, b)", "", "role r {", "  select on s.t", "// note");
  const textOf = (minLength: number) =>
    fc.tuple(fc.array(line, { minLength, maxLength: 40 }), fc.boolean()).map(([lines, feed]) => lines.join("\n") + (feed && lines.length > 0 ? "\n" : ""));
  const text = textOf(0);
  // Mostly the same text with a few lines changed, so that a diff has several hunks.
  const edited = textOf(20).chain((before) =>
    fc.array(fc.tuple(fc.nat(), fc.nat(3), line), { maxLength: 4 }).map((edits) => {
      const lines = before.split("\n");
      for (const [at, remove, add] of edits) lines.splice(at % (lines.length + 1), remove, ...(remove === 3 ? [] : [add]));
      return [before, lines.join("\n")] as const;
    }),
  );
  fc.assert(
    fc.property(fc.oneof(fc.tuple(text, text), edited), ([before, after]) => {
      fc.pre(before !== after);
      const diff = unifiedDiff(before, after, names);
      hunksMatchTheirLineNumbers(diff, before, after);
      return applyWithGit(before, diff) === after;
    }),
    { numRuns: 150 },
  );
  t.pass();
});

test("a middle too large to match line by line is still a correct diff", (t) => {
  const before = Array.from({ length: 2100 }, (_, i) => `a${i}`).join("\n") + "\n";
  const after = Array.from({ length: 2100 }, (_, i) => `b${i}`).join("\n") + "\n";
  t.is(applyWithGit(before, unifiedDiff(before, after, names)), after);
});
