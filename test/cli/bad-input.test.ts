import test from "ava";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withDatabase } from "../helpers/databases.js";

// Bad input to every command that reads .roles files: one clear line (or diagnostics), exit 1,
// never a stack trace, and nothing written.
const pgUrl = serverUrl("ROLEC_TEST_PG_URL");
const mysqlUrl = serverUrl("ROLEC_TEST_MYSQL_URL");

/** Each command with the options it needs, writing (if at all) into `out`. */
function commands(out: string): Record<string, string[]> {
  return {
    check: ["check"],
    compile: ["compile", "--out", path.join(out, "build")],
    fmt: ["fmt"],
    verify: ["verify"],
    plan: ["plan", "--db", "postgres://postgres@127.0.0.1:1/postgres"],
    apply: ["apply", "--yes", "--db", "postgres://postgres@127.0.0.1:1/postgres"],
    migrate: ["migrate", "--dir", path.join(out, "migrations"), "--name", "x"],
  };
}

const badInputs: Record<string, (dir: string) => { path: string; message: RegExp }> = {
  "a missing file": (dir) => ({ path: path.join(dir, "nope.roles"), message: /nope\.roles.*(does not exist|no such)/i }),
  "a directory with no .roles files": (dir) => {
    const empty = path.join(dir, "empty");
    mkdirSync(empty);
    writeFileSync(path.join(empty, "readme.txt"), "nothing here\n");
    return { path: empty, message: /no \.roles files/i };
  },
  "a file that is not UTF-8": (dir) => {
    const file = path.join(dir, "latin1.roles");
    writeFileSync(file, Buffer.from([0x72, 0x6f, 0x6c, 0x65, 0x20, 0xe9, 0x0a]));
    return { path: file, message: /not UTF-8/i };
  },
};

for (const [what, make] of Object.entries(badInputs)) {
  for (const command of Object.keys(commands(""))) {
    test(`${command} given ${what}: one line, exit 1, nothing written`, async (t) => {
      const dir = tempDir();
      const out = tempDir();
      const input = make(dir);
      const [name, ...options] = commands(out)[command]!;
      const r = await rolec([name!, input.path, ...options]);
      t.is(r.code, 1, r.stdout + r.stderr);
      t.regex(r.stderr, input.message);
      t.false(hasStackTrace(r.stderr), r.stderr);
      t.deepEqual(readdirSync(out), [], "nothing written");
    });
  }
}

function project(text = "schema s { table t (a) }\nrole bad_input_reader { select on s.t }\n"): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.roles"), text);
  return dir;
}

const unreachable: [string, string][] = [
  ["plan", "postgres://postgres:s3cret@127.0.0.1:1/postgres"],
  ["apply", "postgres://postgres:s3cret@127.0.0.1:1/postgres"],
  ["verify", "postgres://postgres:s3cret@127.0.0.1:1/postgres"],
  ["plan", "mysql://root:s3cret@127.0.0.1:1/"],
  ["apply", "mysql://root:s3cret@127.0.0.1:1/"],
  // The drivers also read a password from the query string.
  ["plan", "postgres://postgres@127.0.0.1:1/postgres?password=s3cret&sslpassword=s3cret"],
  ["plan", "mysql://root@127.0.0.1:1/?password=s3cret"],
];
for (const [command, db] of unreachable) {
  test(`${command} against ${db.split(":")[0]} that does not answer: one line without the password${db.includes("?") ? " (given in the query)" : ""}`, async (t) => {
    const r = await rolec([command, project(), "--db", db, ...(command === "apply" ? ["--yes"] : [])]);
    t.is(r.code, 1);
    t.regex(r.stderr, db.includes("?") ? /^rolec: cannot connect to \S+@127\.0\.0\.1:1\/\S*password=\*\*\*/m : /^rolec: cannot connect to \S+:\*\*\*@127\.0\.0\.1:1/m);
    t.false(r.stderr.includes("s3cret"));
    t.false(hasStackTrace(r.stderr));
  });
}

test("a --db that is not a URL, or of an unknown kind, is one line", async (t) => {
  for (const db of ["not a url", "oracle://x@y/z"]) {
    const r = await rolec(["plan", project(), "--db", db]);
    t.is(r.code, 1);
    t.regex(r.stderr, /^rolec: --db (is not a connection URL|must start with)/m);
    t.false(hasStackTrace(r.stderr));
  }
});

(mysqlUrl ? test : test.skip)("a wrong MySQL password is one line, without it", async (t) => {
  const u = new URL(mysqlUrl!);
  u.password = "definitely-wrong";
  const r = await rolec(["plan", project(), "--db", u.toString()]);
  t.is(r.code, 1);
  t.regex(r.stderr, /^rolec: cannot connect to .*\*\*\*.*Access denied/m);
  t.false(r.stderr.includes("definitely-wrong"));
  t.false(hasStackTrace(r.stderr));
});

(pgUrl ? test : test.skip)("a PostgreSQL database that does not exist is one line", async (t) => {
  const r = await rolec(["plan", project(), "--db", withDatabase(pgUrl!, "rolec_no_such_database")]);
  t.is(r.code, 1);
  t.regex(r.stderr, /^rolec: cannot connect to .*rolec_no_such_database.*does not exist/m);
  t.false(hasStackTrace(r.stderr));
});

(pgUrl ? test : test.skip)("a database without the declared tables: plan and apply say what blocks them, and apply changes nothing", async (t) => {
  const dir = project("schema rolec_no_such_schema { table t (a) }\nrole bad_input_reader { select on rolec_no_such_schema.t }\n");
  const plan = await rolec(["plan", dir, "--db", pgUrl!]);
  t.is(plan.code, 1);
  t.regex(plan.stdout, /cannot apply until these are fixed:\n {2}! rolec_no_such_schema\.t does not exist/);
  const apply = await rolec(["apply", dir, "--db", pgUrl!, "--yes"]);
  t.is(apply.code, 1);
  t.regex(apply.stderr, /Nothing applied: fix what blocks the plan first/);
  t.false(existsSync(path.join(dir, "build")));
});
