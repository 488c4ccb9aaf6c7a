import test from "ava";
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { loadGitRevision } from "../../src/load/index.js";
import path from "node:path";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { examplesDir } from "../helpers/program.js";

/** A git repository holding the shop example in roles/, committed once as it is and once changed by `change`. */
function repositoryWithTwoVersions(change: (roles: string) => void): string {
  const dir = tempDir();
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  cpSync(path.join(examplesDir, "shop"), path.join(dir, "roles"), { recursive: true });
  git("add", "-A");
  git("commit", "-qm", "before");
  change(path.join(dir, "roles"));
  git("add", "-A");
  git("commit", "-qm", "after");
  return dir;
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`${from} is not in ${file}`);
  writeFileSync(file, text.replace(from, to));
}

const widen = (roles: string) => {
  edit(path.join(roles, "roles.roles"), "except sales.customers(email, phone, ssn), sales.audit_events", "except sales.customers(email, phone), sales.audit_events");
  edit(path.join(roles, "roles.roles"), "role auditor login {", "role auditor login {\n  member of reporting");
  edit(path.join(roles, "roles.roles"), "insert, update, delete on sales.products", "insert, update on sales.products");
  edit(path.join(roles, "schema.roles"), "table customers (", "table customers (ssn_last4, ");
  edit(path.join(roles, "schema.roles"), "table orders (", "table orders (coupon, ");
};

test("diff between two git revisions: memberships, gains before losses, columns a whole-table grant now reaches; exit 2", async (t) => {
  const dir = repositoryWithTwoVersions(widen);
  const r = await rolec(["diff", "main~1", "main", "roles"], { cwd: dir });
  t.is(r.code, 2, r.stderr);
  t.is(
    r.stdout,
    [
      "access from main~1 to main: 4 roles gain access, 1 role loses access",
      "+ auditor is now a member of reporting",
      "",
      "auditor (login)",
      "  + select on sales.customers (columns ssn_last4, id, full_name, ssn, marketing_opt_in, created_at) — sensitive: ssn",
      "  + select on sales.order_items",
      "  + select on sales.order_totals",
      "  + select on sales.orders",
      "  + select on sales.products",
      "",
      "merchandising (login)",
      "  + select on sales.customers (columns ssn_last4, ssn) — sensitive: ssn",
      "  + select on sales.orders: new columns coupon, reached by its whole-object grant",
      "  - delete on sales.products",
      "",
      "reporting",
      "  + select on sales.customers (columns ssn_last4, ssn) — sensitive: ssn",
      "  + select on sales.orders: new columns coupon, reached by its whole-object grant",
      "",
      "storefront (login)",
      "  + select on sales.customers (columns ssn_last4, ssn) — sensitive: ssn",
      "  + insert on sales.orders: new columns coupon, reached by its whole-object grant",
      "  + select on sales.orders: new columns coupon, reached by its whole-object grant",
      "",
    ].join("\n"),
  );
  // The same two versions as directories give the same answer.
  const old = path.join(tempDir(), "old");
  execFileSync("git", ["worktree", "add", "-q", old, "main~1"], { cwd: dir });
  const dirs = await rolec(["diff", path.join(old, "roles"), path.join(dir, "roles"), "--format", "json"]);
  t.is(dirs.code, 2, dirs.stderr);
  const json = JSON.parse(dirs.stdout) as { changed: boolean; membershipsAdded: unknown; access: { role: string; gained: { verb: string; on: string; columns: unknown }[]; lost: unknown[] }[] };
  t.true(json.changed);
  t.deepEqual(json.membershipsAdded, [{ member: "auditor", parent: "reporting" }]);
  t.deepEqual(json.access.map((a) => a.role), ["auditor", "merchandising", "reporting", "storefront"]);
  t.deepEqual(json.access[1]!.lost, [{ verb: "delete", on: "sales.products", columns: "all" }]);
});

test("diff shows columns that become sensitive, and marks the sensitive columns a role gains", async (t) => {
  const dir = repositoryWithTwoVersions((roles) => {
    edit(path.join(roles, "schema.roles"), "full_name, phone sensitive", "full_name sensitive, phone");
    edit(path.join(roles, "roles.roles"), "select (id, status, placed_at, shipped_at) on sales.orders", "select (id, status, placed_at, shipped_at) on sales.orders\n  select (id, email) on sales.customers");
  });
  const r = await rolec(["diff", "main~1", "main", "roles"], { cwd: dir });
  t.is(r.code, 2, r.stderr);
  t.regex(r.stdout, /^\+ sales\.customers: full_name now sensitive$/m);
  t.regex(r.stdout, /^- sales\.customers: phone no longer sensitive$/m);
  t.regex(r.stdout, /^fulfilment \(login\)\n {2}\+ select on sales\.customers \(columns id, email\) — sensitive: email$/m);
});

test("diff exits 0 and says so when only comments and layout change", async (t) => {
  const dir = repositoryWithTwoVersions((roles) => edit(path.join(roles, "roles.roles"), "role auditor login {", "// reviewed 2026-12\nrole   auditor   login {"));
  const r = await rolec(["diff", "main~1", "main"], { cwd: path.join(dir, "roles") });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, "access from main~1 to main: no access changes\n");
});

test("diff --format markdown is a pull-request comment in which hostile names stay text", async (t) => {
  const dir = repositoryWithTwoVersions((roles) => {
    writeFileSync(path.join(roles, "evil.roles"), 'role "x|`@here` <img src=y> [l](http://e) **b**" login {\n  select on sales.orders\n}\n');
  });
  const r = await rolec(["diff", "main~1", "main", "roles", "--format", "markdown"], { cwd: dir });
  t.is(r.code, 2, r.stderr);
  t.regex(r.stdout, /^### rolec: access changes from main&#126;1 to main\n\n\*\*1 role gains access, 0 roles lose access\.\*\*\n/);
  const rows = r.stdout.split("\n").filter((l) => l.startsWith("| "));
  // Each table row keeps its three (or two) cells: no name adds a | of its own.
  for (const row of rows) t.true(row.split("|").length === 4 || row.split("|").length === 5, row);
  t.false(/[`<>[\]@*]/.test(r.stdout.replace(/^\*\*.*\*\*$/gm, "").replaceAll("**", "")), "no markup character of a name reaches the Markdown as itself");
  t.true(r.stdout.includes("&#64;here"));
});

test("diff refuses what it cannot compare, with a message and exit 1", async (t) => {
  const dir = repositoryWithTwoVersions((roles) => writeFileSync(path.join(roles, "broken.roles"), "role r { select on sales.nothing }\n"));
  const cases: [string[], RegExp][] = [
    [["diff", "main~1", "main", "roles"], /^rolec diff: main does not check; no difference computed$/m],
    [["diff", "nosuch", "main", "roles"], /^rolec: "nosuch" is not a commit of the git repository here/],
    [["diff", "main~1", "main", "elsewhere"], /^rolec: no \.roles files in "elsewhere" at main~1/],
    [["diff", "main", "roles"], /^rolec: "roles" is a path and "main" is not; compare two directories/],
  ];
  for (const [args, message] of cases) {
    const r = await rolec(args, { cwd: dir });
    t.is(r.code, 1, args.join(" "));
    t.regex(r.stderr, message, `${args.join(" ")}: ${r.stderr}`);
    t.false(hasStackTrace(r.stderr));
  }
  const broken = await rolec(["diff", "main~1", "main", "roles"], { cwd: dir });
  t.regex(broken.stderr, /main:roles\/broken\.roles:1:\d+: error RC/);
  // A word git would take for an option is refused before git sees it.
  for (const word of ["-x", "--output=/tmp/owned", ""]) await t.throwsAsync(loadGitRevision(word, ["roles"]), { message: /is not a git revision/ });
});

test("diff refuses a revision whose .roles folder holds a symbolic link, which compile would follow", async (t) => {
  const dir = repositoryWithTwoVersions((roles) => {
    writeFileSync(path.join(roles, "..", "notes.txt"), "role backdoor login {\n  select on sales.customers\n}\n");
    symlinkSync("../notes.txt", path.join(roles, "zz.roles"));
  });
  const r = await rolec(["diff", "main~1", "main", "roles"], { cwd: dir });
  t.is(r.code, 1);
  t.regex(r.stderr, /^rolec: main:roles\/zz\.roles is a symbolic link; rolec diff cannot follow links inside a git revision/);
  t.is(r.stdout, "");
  // Read from disk, the link is followed, and the access it gives shows.
  const onDisk = await rolec(["who-can", "select", "sales.customers(ssn)", path.join(dir, "roles")]);
  t.regex(onDisk.stdout, /^backdoor \(login\)$/m);
});

test("diff holds a revision's .roles files to the input limit, from the sizes git records", async (t) => {
  const dir = repositoryWithTwoVersions((roles) => writeFileSync(path.join(roles, "big.roles"), `// ${"x".repeat(1_200_000)}\n`));
  const r = await rolec(["diff", "main~1", "main", "roles"], { cwd: dir, env: { ROLEC_MAX_INPUT_MB: "1" } });
  t.is(r.code, 1);
  t.regex(r.stderr, /^rolec: the \.roles files at main are together 1\.\d MB; rolec reads at most 1(\.0)? MB of \.roles sources/);
});

test("diff reads two revisions of this repository's own example (as in a fresh clone)", async (t) => {
  const r = await rolec(["diff", "HEAD", "HEAD", "examples/shop"]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, "access from HEAD to HEAD: no access changes\n");
});
