import test from "ava";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { quoteMysqlIdent } from "../../src/engine/mysql/index.js";
import { openMysql } from "../../src/engine/mysql/index.js";
import { openPgServer } from "../../src/engine/postgres/index.js";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withDatabase, withMysqlLock, withScratchDatabase } from "../helpers/databases.js";

const pgUrl = serverUrl("ROLEC_TEST_PG_URL");
const mysqlUrl = serverUrl("ROLEC_TEST_MYSQL_URL");
const pgTest = pgUrl ? test.serial : test.serial.skip;
const mysqlTest = mysqlUrl ? test.serial : test.serial.skip;

// Roles of this file's own (roles are cluster-wide), dropped before and after.
const roleNames = ["snap_reader", "snap_app"];
const roles = `role snap_reader {
  select on sales.* except sales."Customers"(ssn)
  select, usage on sales.order_ids
}

role snap_app login {
  member of snap_reader
  insert, update ("order status") on sales.orders
  insert on sales.audit
}
`;
// What the snapshot holds, said inline; append_only is said inline in both cases.
const inlineTables = `schema sales {
  table "Customers" (id, email, ssn)
  table orders (id, "order status")
  append_only table audit (id, at) partitions (audit_2025, audit_2026)
  view "order totals" (id, "order status")
  sequence order_ids
}
`;
const restated = `schema sales {
  append_only table audit (id)
}
`;

const createSales = `
  CREATE SCHEMA sales;
  CREATE TABLE sales."Customers" (id int, email text, gone int, ssn text);
  ALTER TABLE sales."Customers" DROP COLUMN gone;
  CREATE TABLE sales.orders (id int, "order status" text);
  CREATE TABLE sales.audit (id int, at date) PARTITION BY RANGE (at);
  CREATE TABLE sales.audit_2025 PARTITION OF sales.audit FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
  CREATE TABLE sales.audit_2026 PARTITION OF sales.audit FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
  CREATE VIEW sales."order totals" AS SELECT id, "order status" FROM sales.orders;
  CREATE SEQUENCE sales.order_ids;
`;

function project(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** A script without the header lines that name its sources, which differ by construction. */
function body(script: string): string {
  return script
    .split("\n")
    .filter((line) => !/^-- {1,3}(sources sha256: )?[0-9a-f]{64}/.test(line))
    .join("\n");
}

pgTest("pull writes the same snapshot twice; check, compile, plan and apply take it as declared", async (t) => {
  await withScratchDatabase(pgUrl!, roleNames, async (databaseUrl) => {
    const admin = await openPgServer(databaseUrl);
    try {
      await admin.exec(createSales);
    } finally {
      await admin.close();
    }
    const dir = project({ "roles.roles": roles, "tables.roles": restated });
    const snapshot = path.join(dir, "db", "schema.snapshot.json");
    const pulled = await rolec(["pull", "--db", databaseUrl, "--schema", "sales", "--out", snapshot]);
    t.is(pulled.code, 0, pulled.stderr);
    t.regex(pulled.stderr, /^rolec pull: wrote .*schema\.snapshot\.json \(1 schema, 3 tables, 1 view, 1 sequence\) from postgres:\/\//);
    const first = readFileSync(snapshot, "utf8");
    t.true(first.endsWith("}\n"));
    const again = await rolec(["pull", "--db", databaseUrl, "--schema", "sales", "--out", path.join(dir, "again.json")]);
    t.is(again.code, 0, again.stderr);
    t.is(readFileSync(path.join(dir, "again.json"), "utf8"), first, "byte-identical");
    const parsed = JSON.parse(first);
    t.deepEqual(parsed.schemas[0].objects.map((o: { name: string }) => o.name), ["Customers", "audit", "order totals", "order_ids", "orders"]);
    t.deepEqual(parsed.schemas[0].objects[0].columns, ["id", "email", "ssn"], "dropped columns are left out");
    t.deepEqual(parsed.schemas[0].objects[1].partitions, ["audit_2025", "audit_2026"]);

    const checked = await rolec(["check", path.join(dir, "roles.roles"), "--snapshot", snapshot]);
    t.is(checked.code, 0, checked.stderr);
    t.regex(checked.stderr, /rolec check: ok \(1 file, 2 roles, 5 objects\)/);

    // Compiled with the snapshot or with the same tables inline, the scripts are the same.
    const inlineDir = project({ "roles.roles": roles, "tables.roles": inlineTables });
    t.is((await rolec(["compile", dir, "--snapshot", snapshot, "--out", path.join(dir, "build"), "--target", "all"])).code, 0);
    t.is((await rolec(["compile", inlineDir, "--out", path.join(inlineDir, "build"), "--target", "all"])).code, 0);
    for (const file of ["postgres.sql", "mysql.sql"]) {
      t.is(body(readFileSync(path.join(dir, "build", file), "utf8")), body(readFileSync(path.join(inlineDir, "build", file), "utf8")), file);
    }
    const manifest = JSON.parse(readFileSync(path.join(dir, "build", "manifest.json"), "utf8"));
    t.is(manifest.snapshot.path, "db/schema.snapshot.json");
    t.regex(manifest.snapshot.sha256, /^[0-9a-f]{64}$/);

    const plan = await rolec(["plan", dir, "--snapshot", snapshot, "--db", databaseUrl]);
    t.is(plan.code, 2, plan.stderr + plan.stdout);
    const applied = await rolec(["apply", dir, "--snapshot", snapshot, "--db", databaseUrl, "--yes"]);
    t.is(applied.code, 0, applied.stderr + applied.stdout);
    const after = await rolec(["plan", dir, "--snapshot", snapshot, "--db", databaseUrl]);
    t.is(after.code, 0, after.stderr + after.stdout);
  });
});

pgTest("pull: an unknown schema, an unreachable server and an unwritable path are one line each and exit 1", async (t) => {
  const dir = tempDir();
  const out = path.join(dir, "snap.json");
  writeFileSync(out, "previous\n");
  const unknown = await rolec(["pull", "--db", pgUrl!, "--schema", "no_such_schema", "--out", out]);
  t.is(unknown.code, 1);
  t.regex(unknown.stderr, /^rolec: schema "no_such_schema" does not exist on postgres:\/\/\S+/);
  t.is(readFileSync(out, "utf8"), "previous\n", "the file is left as it was");
  const system = await rolec(["pull", "--db", pgUrl!, "--schema", "pg_catalogue", "--out", out]);
  t.is(system.code, 1);
  t.regex(system.stderr, /^rolec: schema "pg_catalogue" belongs to the database system itself; rolec leaves system schemas out/);
  t.is(readFileSync(out, "utf8"), "previous\n", "the file is left as it was");

  const unreachable = await rolec(["pull", "--db", "postgres://someone:s3cret-pw@127.0.0.1:1/x", "--out", out]);
  t.is(unreachable.code, 1);
  t.regex(unreachable.stderr, /^rolec: cannot connect to postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/x: .+\n$/);
  t.false(unreachable.stderr.includes("s3cret-pw"));

  const env = await rolec(["pull", "--db", "postgres://someone@127.0.0.1:1/x", "--db-password-env", "SNAP_TEST_PW", "--out", out], { env: { SNAP_TEST_PW: "an0ther-secret" } });
  t.is(env.code, 1);
  t.false(env.stderr.includes("an0ther-secret"));

  writeFileSync(path.join(dir, "plain-file"), "");
  const unwritable = await rolec(["pull", "--db", pgUrl!, "--out", path.join(dir, "plain-file", "snap.json")]);
  t.is(unwritable.code, 1);
  t.regex(unwritable.stderr, /^rolec: cannot write .*; nothing was written\n$/);

  mkdirSync(path.join(dir, "a-directory"));
  const directory = await rolec(["pull", "--db", pgUrl!, "--out", path.join(dir, "a-directory")]);
  t.is(directory.code, 1);
  t.regex(directory.stderr, /^rolec: --out ".*a-directory" is a directory; name the snapshot file to write/);
  for (const r of [unknown, unreachable, env, unwritable, directory]) t.false(hasStackTrace(r.stderr));
});

test("check --snapshot: a misspelt column gets RC0103 with a suggestion from the snapshot's names", async (t) => {
  const dir = project({ "a.roles": 'role snap_support {\n  select (id, sn) on sales."Customers"\n}\n' });
  const snapshot = path.join(dir, "s.json");
  writeFileSync(
    snapshot,
    JSON.stringify({ format: "rolec-snapshot", version: 1, engine: "postgres", schemas: [{ name: "sales", objects: [{ name: "Customers", kind: "table", columns: ["id", "ssn"] }] }] }),
  );
  const r = await rolec(["check", path.join(dir, "a.roles"), "--snapshot", snapshot]);
  t.is(r.code, 1);
  t.true(r.stderr.includes(`a.roles:2:15: error RC0103: unknown column "sn" on sales.Customers (did you mean "ssn"?)`), r.stderr);
});

test("check --snapshot: a corrupt or invalid snapshot is one clear line and exit 1", async (t) => {
  const dir = project({ "a.roles": "role snap_r { select on s.t }\n" });
  writeFileSync(path.join(dir, "half.json"), '{"format": "rolec-snapshot", "vers');
  writeFileSync(path.join(dir, "wrong.json"), JSON.stringify({ format: "rolec-snapshot", version: 1, engine: "postgres", schemas: [{ name: "s", objects: [{ name: "t", kind: "table" }] }] }));
  const half = await rolec(["check", path.join(dir, "a.roles"), "--snapshot", path.join(dir, "half.json")]);
  t.is(half.code, 1);
  t.regex(half.stderr, /^rolec: .*half\.json is not valid JSON: .+\n$/);
  const wrong = await rolec(["compile", path.join(dir, "a.roles"), "--snapshot", path.join(dir, "wrong.json"), "--out", path.join(dir, "out")]);
  t.is(wrong.code, 1);
  t.regex(wrong.stderr, /^rolec: .*wrong\.json: \/schemas\/0\/objects\/0: the member "columns" is missing\n$/);
  const missing = await rolec(["verify", path.join(dir, "a.roles"), "--snapshot", path.join(dir, "nope.json")]);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /^rolec: cannot read the snapshot ".*nope\.json": no such file or directory\n$/);
  for (const r of [half, wrong, missing]) t.false(hasStackTrace(r.stderr));
});

test("verify --snapshot proves the script on the snapshot's objects", async (t) => {
  const dir = project({ "roles.roles": roles, "tables.roles": restated });
  const snapshot = path.join(dir, "s.json");
  writeFileSync(
    snapshot,
    JSON.stringify({
      format: "rolec-snapshot",
      version: 1,
      engine: "postgres",
      schemas: [
        {
          name: "sales",
          objects: [
            { name: "Customers", kind: "table", columns: ["id", "email", "ssn"] },
            { name: "audit", kind: "table", columns: ["id", "at"] },
            { name: "order totals", kind: "view", columns: ["id", "order status"] },
            { name: "order_ids", kind: "sequence", columns: [] },
            { name: "orders", kind: "table", columns: ["id", "order status"] },
          ],
        },
      ],
    }),
  );
  const r = await rolec(["verify", dir, "--snapshot", snapshot]);
  t.is(r.code, 0, r.stdout + r.stderr);
});

mysqlTest("pull from MariaDB: a database is a schema; tables, views, sequences and odd names; the same bytes twice", async (t) => {
  const database = `rolec_snap_${randomBytes(4).toString("hex")}`;
  const q = quoteMysqlIdent;
  await withMysqlLock(mysqlUrl!, async () => {
    const root = await openMysql(mysqlUrl!);
    try {
      await root.query(`CREATE DATABASE ${q(database)}`);
      await root.query(`CREATE TABLE ${q(database)}.${q("Order Lines")} (id int, ${q("qty`x")} int, ${q("Ünïcode")} text)`);
      await root.query(`CREATE TABLE ${q(database)}.events (id int, at date) PARTITION BY HASH (id) PARTITIONS 2`);
      await root.query(`CREATE VIEW ${q(database)}.totals AS SELECT id FROM ${q(database)}.${q("Order Lines")}`);
      await root.query(`CREATE SEQUENCE ${q(database)}.ids`);
      const dir = tempDir();
      const out = path.join(dir, "my.json");
      const first = await rolec(["pull", "--db", mysqlUrl!, "--schema", database, "--out", out]);
      t.is(first.code, 0, first.stderr);
      const text = readFileSync(out, "utf8");
      t.deepEqual(JSON.parse(text), {
        format: "rolec-snapshot",
        version: 1,
        engine: "mysql",
        schemas: [
          {
            name: database,
            objects: [
              { name: "Order Lines", kind: "table", columns: ["id", "qty`x", "Ünïcode"] },
              { name: "events", kind: "table", columns: ["id", "at"] },
              { name: "ids", kind: "sequence", columns: [] },
              { name: "totals", kind: "view", columns: ["id"] },
            ],
          },
        ],
      });
      t.is((await rolec(["pull", "--db", withDatabase(mysqlUrl!, database), "--schema", database, "--out", path.join(dir, "again.json")])).code, 0);
      t.is(readFileSync(path.join(dir, "again.json"), "utf8"), text, "byte-identical");

      writeFileSync(path.join(dir, "a.roles"), `role snap_my_reader {\n  select (id, "qty\`x") on ${database}."Order Lines"\n  select on ${database}.totals\n}\n`);
      const checked = await rolec(["check", path.join(dir, "a.roles"), "--snapshot", out, "--target", "mysql"]);
      t.is(checked.code, 0, checked.stderr);

      const unknown = await rolec(["pull", "--db", mysqlUrl!, "--schema", `${database}x`, "--out", out]);
      t.is(unknown.code, 1);
      t.true(unknown.stderr.includes(`(did you mean "${database}"?)`), unknown.stderr);
      const denied = await rolec(["pull", "--db", mysqlUrl!, "--db-password-env", "SNAP_MY_PW", "--out", out], { env: { SNAP_MY_PW: "wrong-pw-123" } });
      t.is(denied.code, 1);
      t.regex(denied.stderr, /^rolec: cannot connect to mysql:\/\/\S+: .*Access denied.*\n$/);
      t.false(denied.stderr.includes("wrong-pw-123"));
      t.false(hasStackTrace(denied.stderr + unknown.stderr));
    } finally {
      await root.query(`DROP DATABASE IF EXISTS ${q(database)}`);
      await root.close();
    }
  });
});

test("pull --help shows its options and examples; without --db and --out it says what is missing", async (t) => {
  const help = await rolec(["pull", "--help"]);
  t.is(help.code, 0);
  for (const text of ["--db", "--db-password-env", "--schema", "--out", "rolec pull --db postgres://", "--snapshot schema.snapshot.json"]) t.true(help.stdout.includes(text), text);
  const bare = await rolec(["pull"]);
  t.is(bare.code, 1);
  t.regex(bare.stderr, /Missing required arguments: db, out/);
  const checkHelp = await rolec(["check", "--help"]);
  t.regex(checkHelp.stdout, /--snapshot +A schema snapshot \(rolec pull\)/);
});
