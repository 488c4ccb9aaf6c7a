import test from "ava";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";

test("a missing path is one clear line and exit 1", async (t) => {
  const r = await rolec(["check", "no/such/dir"]);
  t.is(r.code, 1);
  t.is(r.stderr, 'rolec: cannot read "no/such/dir": no such file or directory\n');
});

test("a directory without .roles files is an error", async (t) => {
  const dir = tempDir();
  const r = await rolec(["check", dir]);
  t.is(r.code, 1);
  t.regex(r.stderr, /^rolec: no \.roles files in ".*"\n$/);
});

test("a file that is not UTF-8 is an error", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "bad.roles"), Buffer.from([0x72, 0x6f, 0x6c, 0x65, 0x20, 0xff, 0xfe, 0x0a]));
  const r = await rolec(["check", dir]);
  t.is(r.code, 1);
  t.regex(r.stderr, /bad\.roles" is not UTF-8 text/);
  t.false(hasStackTrace(r.stderr));
});

test("a syntax error prints file:line:col, the code and a code frame with a caret", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.roles"), "schema s { table t (a) }\nrole r {\n  select (zz) on s.t\n}\n");
  const r = await rolec(["check", path.join(dir, "a.roles")]);
  t.is(r.code, 1);
  t.true(r.stderr.includes(`${path.join(dir, "a.roles")}:3:11: error RC0103: unknown column "zz" on s.t`));
  t.true(r.stderr.includes(" 3 |   select (zz) on s.t\n   |           ^^\n"));
  t.true(r.stderr.includes("1 error, 0 warnings"));
  t.false(r.stderr.includes("\x1b["), "no colour when stderr is not a terminal");
});

test("--color forces colour", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.roles"), "role r { select on s.t }\n");
  const r = await rolec(["check", dir, "--color"]);
  t.true(r.stderr.includes("\x1b[31m"));
});

test("--format json gives the same diagnostics as data", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.roles"), "schema s { table t (a) }\nrole r {\n  select (zz) on s.t\n}\nrole e {}\n");
  const r = await rolec(["check", dir, "--format", "json"], { cwd: dir });
  t.is(r.code, 1);
  const out = JSON.parse(r.stdout);
  t.like(out.diagnostics[0], { file: "a.roles", line: 3, column: 11, severity: "error", code: "RC0103" });
  t.like(out.diagnostics[1], { line: 5, severity: "warning", code: "RC0803" });
  t.false(out.ok);
});

test("warnings pass unless --strict", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.roles"), "schema s { table t (a) }\nrole r { select on s.t }\nrole e {}\n");
  t.is((await rolec(["check", dir])).code, 0);
  t.is((await rolec(["check", dir, "--strict"])).code, 1);
});

test("compile with errors writes nothing", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.roles"), "role r { select on s.t }\n");
  const out = path.join(dir, "out");
  const r = await rolec(["compile", dir, "--out", out]);
  t.is(r.code, 1);
  t.false(existsSync(out));
  t.regex(r.stderr, /nothing written/);
});

test("compile into a path that cannot be a directory fails cleanly and leaves nothing behind", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.roles"), "schema s { table t (a) }\nrole r login { select on s.t }\n");
  writeFileSync(path.join(dir, "file"), "x");
  const r = await rolec(["compile", dir, "--out", path.join(dir, "file", "out")]);
  t.is(r.code, 1);
  t.regex(r.stderr, /^rolec: cannot write .*: a part of the path is not a directory; nothing was written\n$/);
  t.false(hasStackTrace(r.stderr));
});

test("arguments after -- are refused, not set aside while the current directory is read instead", async (t) => {
  const r = await rolec(["compile", "--out", path.join(tempDir(), "out"), "--", "examples/shop"]);
  t.is(r.code, 1);
  t.is(r.stderr, 'rolec: arguments after "--" are not read; name the paths before or among the options\n');
});

test("unknown commands and options are refused with usage help", async (t) => {
  const r = await rolec(["frobnicate"]);
  t.is(r.code, 1);
  t.is(r.stderr, 'rolec: unknown command "frobnicate"; the commands are check, compile, fmt, verify, plan, apply, migrate, who-can, access, diff, review, audit, verify-artifacts, proxy, import, pull\nRun "rolec --help" for usage.\n');
  const option = await rolec(["check", "--frobnicate", "examples/shop"]);
  t.is(option.code, 1);
  t.regex(option.stderr, /^rolec: Unknown argument: frobnicate$/m);
  const missing = await rolec(["compile", "examples/shop"]);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /Missing required argument: out/);
});

test("a mistyped command names the one it is closest to", async (t) => {
  for (const [typed, meant] of [["chekc", "check"], ["complie", "compile"], ["PLAN", "plan"], ["impotr", "import"]]) {
    const r = await rolec([typed!, "examples/shop", "--target", "mysql"]);
    t.is(r.code, 1, typed);
    t.is(r.stderr, `rolec: unknown command "${typed}" (did you mean ${meant}?)\nRun "rolec --help" for usage.\n`);
  }
  const who = await rolec(["whoo-can", "examples/shop"]);
  t.is(who.code, 1);
  t.is(who.stderr, 'rolec: unknown command "whoo-can" (did you mean who-can?)\nRun "rolec --help" for usage.\n');
  const unknown = await rolec(["grantz", "examples/shop"]);
  t.is(unknown.code, 1);
  t.regex(unknown.stderr, /^rolec: unknown command "grantz"; the commands are check, compile, /);
  // A word that is a command, after an option yargs takes it for the value of, is not a typo.
  const misplaced = await rolec(["--strict", "check", "examples/shop"]);
  t.is(misplaced.code, 1);
  t.regex(misplaced.stderr, /^rolec: Unknown arguments: strict, examples\/shop$/m);
});

test("every command has --help", async (t) => {
  for (const command of ["check", "compile", "fmt", "verify", "plan", "apply", "migrate", "who-can", "access", "diff", "review", "audit", "verify-artifacts", "import", "pull"]) {
    const r = await rolec([command, "--help"]);
    t.is(r.code, 0, command);
    t.regex(r.stdout, new RegExp(`rolec ${command}`));
  }
});

test("fmt refuses to rewrite a file with syntax errors", async (t) => {
  const dir = tempDir();
  mkdirSync(path.join(dir, "x"));
  const text = "role r {\n  select on\n}\n";
  writeFileSync(path.join(dir, "x", "a.roles"), text);
  const r = await rolec(["fmt", dir]);
  t.is(r.code, 1);
  t.regex(r.stderr, /left as they were because of syntax errors/);
  t.deepEqual(readdirSync(path.join(dir, "x")), ["a.roles"], "no temporary file is left");
});

test("linked .roles files and folders are read, a FIFO is passed over, a folder named twice is fine", async (t) => {
  const dir = tempDir();
  mkdirSync(path.join(dir, "shared"));
  mkdirSync(path.join(dir, "project"));
  writeFileSync(path.join(dir, "shared", "schema.roles"), "schema s { table t (a) }\n");
  writeFileSync(path.join(dir, "project", "roles.roles"), "role r { select on s.t }\n");
  symlinkSync(path.join(dir, "shared", "schema.roles"), path.join(dir, "project", "schema.roles"));
  symlinkSync(dir, path.join(dir, "project", "loop"));
  execFileSync("mkfifo", [path.join(dir, "project", "pipe.roles")]);
  const r = await rolec(["check", path.join(dir, "project"), path.join(dir, "project")]);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /rolec check: ok \(2 files, 1 roles, 1 objects\)/);
  const fifo = await rolec(["check", path.join(dir, "project", "pipe.roles")]);
  t.is(fifo.code, 1);
  t.regex(fifo.stderr, /it is not a regular file/);
});
