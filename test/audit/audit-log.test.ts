import test from "ava";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { AuditWriter } from "../../src/audit/index.js";
import { rolec, tempDir } from "../helpers/cli.js";

// The audit log as `rolec proxy` will write it, and `rolec audit verify` and `digest` as an
// auditor runs them: every kind of tampering with the file is found, at the first bad entry.

function writeLog(entries: number, options: { rotateBytes?: number } = {}): { dir: string; file: string } {
  const dir = tempDir();
  const file = path.join(dir, "audit.log");
  let tick = 0;
  const writer = AuditWriter.open(file, { ...options, now: () => new Date(Date.UTC(2026, 11, 4, 0, 0, tick++)) });
  for (let i = 1; i <= entries; i++) writer.append({ event: "decision", role: "app", statement: `SELECT ${i}`, decision: i % 3 === 0 ? "deny" : "allow" });
  writer.close();
  return { dir, file };
}

const linesOf = (file: string) => readFileSync(file, "utf8").split("\n").slice(0, -1);
const rewrite = (file: string, lines: readonly string[]) => writeFileSync(file, lines.map((l) => `${l}\n`).join(""));

test("a log as written checks out, and its digest is the hash of its last entry", async (t) => {
  const { file } = writeLog(5);
  const verify = await rolec(["audit", "verify", file]);
  t.is(verify.code, 0, verify.stderr);
  t.regex(verify.stderr, /^rolec audit verify: ok \(5 entries, head [0-9a-f]{64}\)\n$/);
  const digest = await rolec(["audit", "digest", file]);
  t.is(digest.code, 0);
  t.is(digest.stdout, `${JSON.parse(linesOf(file).at(-1)!).hash}\n`);
});

test("an edited, deleted, inserted or reordered entry is named, file and line", async (t) => {
  const cases: [string, (lines: string[]) => string[], RegExp][] = [
    ["edited", (l) => l.map((line, i) => (i === 1 ? line.replace('"allow"', '"deny"') : line)), /audit\.log:2: entry 2 was changed after it was written/],
    ["deleted", (l) => l.filter((_, i) => i !== 1), /audit\.log:2: entries 2 to 2 are missing: deleted/],
    ["first deleted", (l) => l.slice(1), /audit\.log:1: entries 1 to 1 are missing: deleted/],
    ["inserted", (l) => [...l.slice(0, 2), l[1]!, ...l.slice(2)], /audit\.log:3: entry 2 comes after entry 2: entries were reordered or inserted/],
    ["reordered", (l) => [l[0]!, l[2]!, l[1]!, ...l.slice(3)], /audit\.log:2: entries 2 to 2 are missing: deleted/],
    ["foreign line", (l) => [...l.slice(0, 3), "hello", ...l.slice(3)], /audit\.log:4: not an audit entry/],
    ["cut mid-entry", (l) => [...l.slice(0, 3), l[3]!.slice(0, 20)], /audit\.log:4: not an audit entry/],
  ];
  for (const [name, change, expected] of cases) {
    const { file } = writeLog(6);
    rewrite(file, change(linesOf(file)));
    const r = await rolec(["audit", "verify", file]);
    t.is(r.code, 1, name);
    t.regex(r.stderr, expected, name);
  }
});

test("an entry rehashed after editing still breaks the chain at the next one", async (t) => {
  const { file } = writeLog(4);
  const lines = linesOf(file);
  // Recompute entry 2's own hash the way the writer does: its successor still names the old one.
  const body = lines[1]!.replace('"SELECT 2"', '"SELECT 22"').replace(/,"hash":"[0-9a-f]{64}"\}$/, "}");
  const { createHash } = await import("node:crypto");
  lines[1] = `${body.slice(0, -1)},"hash":"${createHash("sha256").update(body).digest("hex")}"}`;
  rewrite(file, lines);
  const r = await rolec(["audit", "verify", file]);
  t.is(r.code, 1);
  t.regex(r.stderr, /audit\.log:3: entry 3 does not follow the entry before it/);
});

test("a truncated tail passes alone, and is caught against a digest kept earlier", async (t) => {
  const { file } = writeLog(6);
  const digest = (await rolec(["audit", "digest", file])).stdout.trim();
  rewrite(file, linesOf(file).slice(0, 4));
  t.is((await rolec(["audit", "verify", file])).code, 0, "a shorter chain is still a chain");
  const r = await rolec(["audit", "verify", file, "--digest", digest]);
  t.is(r.code, 1);
  t.regex(r.stderr, /the chain never reaches the digest [0-9a-f]{64}: entries were cut from its end/);
  const bad = await rolec(["audit", "verify", file, "--digest", "xyz"]);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /--digest must be a SHA-256 in hex/);
});

test("rotation continues the chain into the next file; verify takes the files oldest first", async (t) => {
  const { dir, file } = writeLog(30, { rotateBytes: 1000 });
  const files = readdirSync(dir).sort();
  t.true(files.length > 2, files.join(" "));
  const ordered = [...files.filter((f) => f !== "audit.log").map((f) => path.join(dir, f)), file];
  const whole = await rolec(["audit", "verify", ...ordered]);
  t.is(whole.code, 0, whole.stderr);
  t.regex(whole.stderr, /ok \(3\d entries/);
  t.is((await rolec(["audit", "verify", file])).code, 0, "the current file alone starts with the rotation entry");
  const missingMiddle = await rolec(["audit", "verify", ordered[0]!, ...ordered.slice(2)]);
  t.is(missingMiddle.code, 1, "a rotated file left out of the middle");
});

test("reopening a log continues its chain; a log whose last line is unfinished is not extended", (t) => {
  const { file } = writeLog(3);
  const writer = AuditWriter.open(file);
  writer.append({ event: "decision", role: "app" });
  writer.close();
  const last = JSON.parse(linesOf(file).at(-1)!) as { seq: number };
  t.is(last.seq, 4);
  writeFileSync(file, readFileSync(file, "utf8").slice(0, -5));
  t.throws(() => AuditWriter.open(file), { message: /its last line is unfinished/ });
});

test("bad input: no file, a missing file, --digest on digest", async (t) => {
  const missing = await rolec(["audit", "verify", path.join(tempDir(), "nope.log")]);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /^rolec: cannot read ".*nope\.log": no such file or directory\n$/);
  const none = await rolec(["audit", "verify"]);
  t.is(none.code, 1);
  const { file } = writeLog(1);
  const wrong = await rolec(["audit", "digest", file, "--digest", "0".repeat(64)]);
  t.is(wrong.code, 1);
  t.regex(wrong.stderr, /--digest is for rolec audit verify/);
});

test("the proxy's group-committed log (entries written once per turn, fsync per group) rotates and chains like any other", async (t) => {
  const { AuditTrail } = await import("../../src/proxy/audit-trail.js");
  const { verifyAuditLog } = await import("../../src/audit/index.js");
  const dir = tempDir();
  const file = path.join(dir, "audit.log");
  const trail = AuditTrail.open(file, { policy: "entry", rotateBytes: 2000, onFailure: (e) => t.fail(e.message) });
  let kept = 0;
  for (let i = 0; i < 60; i++) trail.record({ event: "decision", n: i, padding: "x".repeat(50) }, () => kept++);
  t.is(kept, 0, "nothing is let through before its entry is written and synced");
  await new Promise((r) => setTimeout(r, 200));
  t.is(kept, 60);
  trail.close();
  const files = readdirSync(dir).sort((a, b) => (a === "audit.log" ? 1 : b === "audit.log" ? -1 : a.localeCompare(b)));
  t.true(files.length > 2, files.join(", "));
  const verdict = verifyAuditLog(files.map((name) => ({ name, text: readFileSync(path.join(dir, name), "utf8") })));
  t.true(verdict.ok, JSON.stringify(verdict));
});
