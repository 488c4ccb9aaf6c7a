import test from "ava";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";

const deep = "test/review/programs/deep.roles";

test("who-can lists each role with its membership chains and the lines at their ends, login roles marked", async (t) => {
  const r = await rolec(["who-can", "select", "app.accounts(ssn)", deep]);
  t.is(r.code, 0, r.stderr);
  t.is(
    r.stdout,
    "select on app.accounts(ssn) (a sensitive column), by the .roles files: 2 roles, 1 of them can log in\n" +
      "senior\n" +
      `  senior  ${deep}:27\n` +
      "teller (login)\n" +
      `  teller -> senior  ${deep}:27\n`,
  );
  const none = await rolec(["who-can", "SELECT", "sales.customers(ssn)", "examples/shop"]);
  t.is(none.code, 0);
  t.is(none.stdout, "select on sales.customers(ssn) (a sensitive column), by the .roles files: no role\n");
  const table = await rolec(["who-can", "insert", "sales.customers", "examples/shop"]);
  t.regex(table.stdout, /^insert on sales\.customers \(sensitive columns: email, phone, ssn\), by the \.roles files: 1 role, 1 of them can log in\nstorefront \(login\) — columns email, full_name, phone, marketing_opt_in only\n/);
});

test("who-can --format json is an array of role, login, paths and file:line sources; a NOINHERIT link stops the chain", async (t) => {
  const r = await rolec(["who-can", "select", "app.ledger", deep, "--format", "json"]);
  t.is(r.code, 0, r.stderr);
  const answers = JSON.parse(r.stdout) as { role: string; login: boolean; columns: unknown; paths: string[][]; sources: string[] }[];
  t.true(Array.isArray(answers));
  const teller = answers.find((a) => a.role === "teller")!;
  t.deepEqual(teller, { role: "teller", login: true, external: false, columns: "all", paths: [["teller", "PUBLIC"], ["teller", "base"], ["teller", "senior", "clerk", "base"]], sources: [`${deep}:12`, `${deep}:16`] } as never);
  // night_admin is a member of admin, which is NOINHERIT: it holds admin's own lines (delete) but not base's select.
  const night = answers.find((a) => a.role === "night_admin")!;
  t.deepEqual([night.columns, night.paths], [["id"], [["night_admin", "PUBLIC"]]]);
  const del = JSON.parse((await rolec(["who-can", "delete", "app.ledger", deep, "--format", "json"])).stdout) as { role: string; paths: string[][] }[];
  t.deepEqual(del.map((a) => [a.role, a.paths]), [["admin", [["admin"]]], ["night_admin", [["night_admin", "admin"]]]]);
});

test("access shows everything one role can do, with where each privilege comes from", async (t) => {
  const r = await rolec(["access", "night_admin", deep]);
  t.is(r.code, 0, r.stderr);
  t.is(
    r.stdout,
    "night_admin (login)\n  member of: admin\n  holds the privileges of: admin\n  members: none\n\n" +
      `app.ledger (table)\n  select (id)  via PUBLIC  ${deep}:12\n  delete  via admin  ${deep}:32\n  truncate  via admin  ${deep}:33\n`,
  );
  const admin = JSON.parse((await rolec(["access", "admin", deep, "--format", "json"])).stdout) as { inherits: boolean; inheritsFrom: string[]; members: string[]; access: { on: string; verb: string }[] };
  t.deepEqual([admin.inherits, admin.inheritsFrom, admin.members], [false, [], ["night_admin"]]);
  t.deepEqual(admin.access.map((a) => `${a.verb} ${a.on}`), ["select app.ledger", "delete app.ledger", "truncate app.ledger"]);
  const senior = JSON.parse((await rolec(["access", "senior", deep, "--format", "json"])).stdout) as { access: { on: string; verb: string; columns: unknown; sensitive?: string[] }[] };
  t.deepEqual(senior.access.find((a) => a.on === "app.accounts" && a.verb === "select"), { on: "app.accounts", kind: "table", verb: "select", columns: ["id", "owner", "ssn", "balance"], sensitive: ["ssn"], via: ["base", "senior"], paths: [["senior", "clerk", "base"], ["senior"]], sources: [`${deep}:16`, `${deep}:27`] } as never);
});

test("who-can and access refuse bad questions with a message and exit 1, never a stack trace", async (t) => {
  const cases: [string[], RegExp][] = [
    [["who-can", "selec", "app.ledger", deep], /^rolec: unknown verb "selec" \(did you mean "select"\?\)/],
    [["who-can", "select", "app.ledgr", deep], /^rolec: app\.ledgr is not a declared table, view or sequence \(did you mean app\.ledger\?\)$/m],
    [["who-can", "select", "app.ledger(amout)", deep], /^rolec: app\.ledger has no column amout \(did you mean "amount"\?\); it has id, account_id, amount/],
    [["who-can", "delete", "app.ledger(amount)", deep], /^rolec: delete acts on whole rows, not on a column/],
    [["who-can", "usage", "app.ledger", deep], /^rolec: usage does not apply to app\.ledger, a table; it takes select, insert/],
    [["who-can", "select", "app.ledger(", deep], /^rolec: cannot read "app\.ledger\(" as schema\.object or schema\.object\(column\): expected a name at character 12/],
    [["who-can", "select", "app.ledger", deep, "--db", "postgres://127.0.0.1:1/x"], /^rolec: with --db the answer comes from the database, not from \.roles files/],
    [["access", "tellr", deep], /^rolec: "tellr" is not a declared role \(did you mean "teller"\?\)/],
    [["access", "public", deep], /^rolec: "public" is not a declared role \(did you mean "PUBLIC"\?\)/],
  ];
  for (const [args, message] of cases) {
    const r = await rolec(args);
    t.is(r.code, 1, args.join(" "));
    t.regex(r.stderr, message, args.join(" "));
    t.is(r.stdout, "");
    t.false(hasStackTrace(r.stderr));
  }
});

test("who-can gives no answer for files that do not check", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "bad.roles"), "schema s { table t (a) }\nrole r { select on s.u }\n");
  const r = await rolec(["who-can", "select", "s.t", dir]);
  t.is(r.code, 1);
  t.regex(r.stderr, /RC\d{4}/);
  t.regex(r.stderr, /rolec who-can: the \.roles files do not check; no answer/);
  t.is(r.stdout, "");
});
