import test from "ava";
import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { defaultInputLimitMb } from "../../src/load/input-limit.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";

// Input over the size limit is refused from the file sizes, before any of it is read: one line
// that says the limit, exit 1, nothing written, and quickly (a 50 MB program used to end, after
// minutes and gigabytes, in V8 running out of heap with a native stack trace).
const limit = defaultInputLimitMb * 1024 * 1024;

/** A sparse file of `bytes`: made at once, whatever its size. */
function sparseFile(file: string, bytes: number): string {
  const fd = openSync(file, "w");
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return file;
}

/** Commands that read .roles files through each path there is: the front end, fmt's own, migrate's. */
function commands(out: string): Record<string, string[]> {
  return {
    check: ["check"],
    compile: ["compile", "--out", path.join(out, "build")],
    fmt: ["fmt"],
    migrate: ["migrate", "--dir", path.join(out, "migrations"), "--name", "x"],
  };
}

for (const command of Object.keys(commands(""))) {
  test(`${command} refuses a .roles file just over the limit at once: one line with the limit, exit 1, nothing written`, async (t) => {
    const dir = tempDir();
    const out = tempDir();
    const file = sparseFile(path.join(dir, "huge.roles"), limit + 1);
    const started = Date.now();
    const r = await rolec([command, file, ...commands(out)[command]!.slice(1)]);
    t.is(r.code, 1, r.stderr);
    t.regex(r.stderr, new RegExp(`^rolec: "[^"]*huge\\.roles" is ${defaultInputLimitMb} MB; rolec reads at most ${defaultInputLimitMb} MB of \\.roles sources \\(set ROLEC_MAX_INPUT_MB to raise the limit`, "m"));
    t.false(hasStackTrace(r.stderr), r.stderr);
    t.deepEqual(readdirSync(out), [], "nothing written");
    t.true((Date.now() - started) / 1000 < 60, "refused before parsing, not minutes later");
  });
}

test("files that are small one by one count together", async (t) => {
  const dir = tempDir();
  mkdirSync(path.join(dir, "more"));
  sparseFile(path.join(dir, "a.roles"), limit / 2);
  sparseFile(path.join(dir, "more", "b.roles"), limit / 2 + 1024);
  const r = await rolec(["check", dir]);
  t.is(r.code, 1, r.stderr);
  t.regex(r.stderr, /^rolec: the 2 \.roles files are together \d+(\.\d)? MB; rolec reads at most \d+ MB of \.roles sources/m);
});

test("ROLEC_MAX_INPUT_MB sets the limit; a value that is not a size is one line", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.roles"), `schema s { table t (a) }\nrole input_limit_reader { select on s.t }\n${"// padding\n".repeat(200)}`);
  t.is((await rolec(["check", dir])).code, 0);
  const lowered = await rolec(["check", dir], { env: { ROLEC_MAX_INPUT_MB: "0.001" } });
  t.is(lowered.code, 1);
  t.regex(lowered.stderr, /^rolec: "[^"]*a\.roles" is 0\.00\d+ MB; rolec reads at most 0\.001 MB of \.roles sources/m);
  const wrong = await rolec(["check", dir], { env: { ROLEC_MAX_INPUT_MB: "lots" } });
  t.is(wrong.code, 1);
  t.regex(wrong.stderr, /^rolec: ROLEC_MAX_INPUT_MB must be a number of megabytes above 0, not "lots"$/m);
});

test("a snapshot over the limit is refused before it is read", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.roles"), "schema s { table t (a) }\nrole input_limit_reader { select on s.t }\n");
  const snapshot = sparseFile(path.join(dir, "schema.snapshot.json"), limit + 1);
  const r = await rolec(["check", dir, "--snapshot", snapshot]);
  t.is(r.code, 1, r.stderr);
  t.regex(r.stderr, new RegExp(`^rolec: the snapshot "[^"]*schema\\.snapshot\\.json" is ${defaultInputLimitMb} MB; rolec reads at most ${defaultInputLimitMb} MB of snapshot`, "m"));
  t.false(hasStackTrace(r.stderr), r.stderr);
});
