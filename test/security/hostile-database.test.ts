import test from "ava";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openPgServer } from "../../src/engine/postgres/index.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withScratchDatabase } from "../helpers/databases.js";

// A live database is input too, and it may be hostile: its role names and comments reach the
// files import writes and the lines plan prints for a person to read.
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;

/** Characters a terminal acts on rather than shows; none may reach it raw. */
const actedOn = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

serverTest("import: a role comment with carriage returns cannot smuggle declarations into the files it writes", async (t) => {
  await withScratchDatabase(url!, ["hd_reader"], async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(`
        CREATE SCHEMA s; CREATE TABLE s.t (a int);
        CREATE ROLE hd_reader; GRANT USAGE ON SCHEMA s TO hd_reader; GRANT SELECT ON s.t TO hd_reader;
        COMMENT ON ROLE hd_reader IS E'Reads.\\rrole hd_evil { all on s.* }\\r\\n///';
      `);
    } finally {
      await session.close();
    }
    const out = tempDir();
    const r = await rolec(["import", "--db", databaseUrl, "--schema", "s", "--out", out]);
    t.is(r.code, 0, r.stderr);
    const roles = readFileSync(path.join(out, "roles.roles"), "utf8");
    t.false(/^role hd_evil/m.test(roles), roles);
    t.true(roles.includes("/// role hd_evil { all on s.* }"), "the comment's text is kept, as documentation");
    t.regex(r.stderr, /hd_reader's comment holds carriage returns/);
    const check = await rolec(["check", out]);
    t.is(check.code, 0, check.stderr);
    t.regex(check.stderr, /1 roles|2 roles|roles/);
  });
});

serverTest("plan: names of roles in the database that hold escape sequences and line breaks are shown escaped", async (t) => {
  const hostile = "\u001b[1A\u001b[2Kwipe\r\u009b2J\u202eevil\nNo changes";
  await withScratchDatabase(url!, ["hd_app", hostile], async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(`CREATE SCHEMA s; CREATE TABLE s.t (a int); CREATE ROLE hd_app; CREATE ROLE "${hostile.replaceAll('"', '""')}"; GRANT SELECT ON s.t TO "${hostile}";`);
    } finally {
      await session.close();
    }
    const dir = tempDir();
    writeFileSync(path.join(dir, "p.roles"), "schema s { table t (a) }\nrole hd_app { select on s.t }\n");
    for (const format of ["text", "json"]) {
      const r = await rolec(["plan", dir, "--db", databaseUrl, "--format", format]);
      t.is(r.code, 2, r.stderr);
      t.false(actedOn.test(r.stdout + r.stderr), JSON.stringify(r.stdout + r.stderr));
      // JSON writes the carriage return as \r, text as \u000d.
      t.true(r.stdout.includes(`\\u001b[1A\\u001b[2Kwipe${format === "json" ? "\\r" : "\\u000d"}\\u009b2J\\u202eevil${format === "json" ? "\\n" : "\\u000a"}No changes`), r.stdout);
      t.false(/^No changes/m.test(r.stdout), "a line break in a name does not start a line of its own");
      if (format === "json") t.notThrows(() => JSON.parse(r.stdout));
    }
  });
});

test("check: a name with escape sequences is shown escaped in the message and the code frame, in text and JSON", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "p.roles"), 'schema s { table t (a) }\nrole "\u001b[2Kx\u009b" { select on s.t }\n');
  const text = await rolec(["check", dir]);
  t.is(text.code, 1);
  t.false(actedOn.test(text.stderr), JSON.stringify(text.stderr));
  t.regex(text.stderr, /RC0703: role name "\\u001b\[2Kx\\u009b" holds U\+001B \(escape\)/);
  t.regex(text.stderr, /role "\\u001b\[2Kx\\u009b" \{ select on s\.t \}/);
  const json = await rolec(["check", dir, "--format", "json"]);
  t.false(actedOn.test(json.stdout), JSON.stringify(json.stdout));
  const parsed = JSON.parse(json.stdout) as { diagnostics: { message: string }[] };
  t.true(parsed.diagnostics[0]!.message.includes("\u001b[2Kx\u009b"), "JSON keeps the exact name, escaped");
});

serverTest("import: a database whose names hold control characters is refused in one line, nothing written", async (t) => {
  await withScratchDatabase(url!, ["hd_x\nDROP"], async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(`CREATE SCHEMA s; CREATE TABLE s.t (a int); CREATE ROLE "hd_x\nDROP"; GRANT USAGE ON SCHEMA s TO "hd_x\nDROP"; GRANT SELECT ON s.t TO "hd_x\nDROP";`);
    } finally {
      await session.close();
    }
    const out = tempDir();
    const r = await rolec(["import", "--db", databaseUrl, "--schema", "s", "--out", out]);
    t.is(r.code, 1);
    t.regex(r.stderr, /RC0703 role name "hd_x\\u000aDROP" holds U\+000A \(line feed\)/);
    t.false(hasStackTrace(r.stderr));
    t.false(existsSync(path.join(out, "roles.roles")));
  });
});

serverTest("import: a function, an argument type or a domain whose name holds a line break is refused in one line, nothing written", async (t) => {
  await withScratchDatabase(url!, ["hd_r"], async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(`CREATE SCHEMA s; CREATE DOMAIN s."m\nrole evil { all on s.* }" AS int; CREATE TABLE s.t (a int);
        CREATE FUNCTION s."f\r\nrole evil { }"(s."m\nrole evil { all on s.* }") RETURNS int LANGUAGE sql AS 'SELECT 1';
        CREATE ROLE hd_r; GRANT USAGE ON SCHEMA s TO hd_r; GRANT SELECT ON s.t TO hd_r; GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA s TO hd_r;`);
    } finally {
      await session.close();
    }
    const out = tempDir();
    const r = await rolec(["import", "--db", databaseUrl, "--schema", "s", "--out", out]);
    t.is(r.code, 1);
    t.regex(r.stderr, /RC0703 function name "f\\u000d\\u000arole evil \{ \}" holds U\+000D/);
    t.regex(r.stderr, /RC0703 domain name "m\\u000arole evil \{ all on s\.\* \}" holds U\+000A/);
    t.false(hasStackTrace(r.stderr));
    t.false(existsSync(path.join(out, "roles.roles")));
    t.false(existsSync(path.join(out, "schemas.roles")));
  });
});
