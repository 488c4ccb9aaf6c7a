import test from "ava";
import Ajv2020 from "ajv/dist/2020.js";
import { readFileSync } from "node:fs";
import path from "node:path";
import { renderArtifacts } from "../../src/emit/index.js";
import { InputError } from "../../src/diagnostics/index.js";
import { sha256 } from "../../src/model/digest.js";
import { parseSnapshot, renderSnapshot, type LoadedSnapshot, type Snapshot } from "../../src/snapshot/index.js";
import { pullPostgres } from "../../src/engine/postgres/index.js";
import { openPglite } from "../../src/engine/postgres/index.js";
import { programOf, repoRoot } from "../helpers/program.js";

const validateSchema = new Ajv2020.default({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(path.join(repoRoot, "docs/snapshot.schema.json"), "utf8")));

const valid: Snapshot = {
  format: "rolec-snapshot",
  version: 1,
  engine: "postgres",
  schemas: [{ name: "s", objects: [{ name: "t", kind: "table", columns: ["a", "b"] }] }],
};

function loaded(snapshot: Snapshot, path = "db.snapshot.json"): LoadedSnapshot {
  const text = renderSnapshot(snapshot);
  return { path, sha256: sha256(text), snapshot: parseSnapshot(text, path) };
}

function failure(text: string): string {
  try {
    parseSnapshot(text, "db.json");
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  return "(no error)";
}

const broken = (change: (s: any) => void): string => {
  const copy = JSON.parse(JSON.stringify(valid));
  change(copy);
  return JSON.stringify(copy);
};

test("a snapshot that is wrong is refused with the file and a JSON pointer to the place", (t) => {
  t.regex(failure("{"), /^db\.json is not valid JSON: .*position 1/);
  t.is(failure("[]"), "db.json: the document: expected an object, found an array");
  t.is(failure(broken((s) => (s.format = "rolec-manifest"))), 'db.json: /format: expected "rolec-snapshot", found "rolec-manifest"; is this a rolec snapshot?');
  t.is(failure(broken((s) => (s.version = 3))), "db.json: /version: version 3 was written by a newer rolec; this one reads versions 1 to 2");
  t.is(failure(broken((s) => (s.engine = "oracle"))), 'db.json: /engine: expected "postgres" or "mysql", found "oracle"');
  t.is(failure(broken((s) => delete s.schemas)), 'db.json: the document: the member "schemas" is missing');
  t.is(failure(broken((s) => (s.schemas[0].objects[0].kind = "tabel"))), 'db.json: /schemas/0/objects/0/kind: expected one of "table", "view", "sequence", found "tabel"');
  t.is(failure(broken((s) => (s.schemas[0].objects[0].columns = ["a", 1]))), "db.json: /schemas/0/objects/0/columns/1: expected a string, found 1");
  t.is(failure(broken((s) => (s.schemas[0].objects[0].columns = ["a", "a"]))), 'db.json: /schemas/0/objects/0/columns/1: column "a" is listed twice');
  t.is(failure(broken((s) => (s.schemas[0].objects[0]["col/umns~"] = []))), 'db.json: /schemas/0/objects/0/col~1umns~0: unknown member; expected "name", "kind", "columns", "partitions", "inherits", "partitionOf"');
  t.is(failure(broken((s) => s.schemas.push({ name: "s", objects: [] }))), 'db.json: /schemas/1/name: schema "s" is listed twice');
  t.is(
    failure(broken((s) => s.schemas[0].objects.push({ name: "p", kind: "table", columns: ["a"], partitions: ["t"] }))),
    'db.json: /schemas/0/objects/1/partitions/0: "t" is already listed at /schemas/0/objects/0/name; a name is taken once in a schema',
  );
  t.is(failure(broken((s) => (s.schemas[0].objects[0] = { name: "q", kind: "sequence", columns: ["x"] }))), "db.json: /schemas/0/objects/0/columns: a sequence has no columns; expected []");
  t.is(failure(broken((s) => (s.schemas[0].objects[0].inherits = [{ schema: "s" }]))), 'db.json: /schemas/0/objects/0/inherits/0: the member "name" is missing');
  // The published JSON Schema refuses what the reader refuses.
  for (const change of [(s: any) => (s.version = 3), (s: any) => (s.schemas[0].objects[0].kind = "tabel"), (s: any) => (s.schemas[0].objects[0] = { name: "q", kind: "sequence", columns: ["x"] }), (s: any) => (s.schemas[0].objects[0] = { name: "v", kind: "view", columns: [], partitions: [] })]) {
    const text = broken(change);
    t.false(validateSchema(JSON.parse(text)), text);
    t.not(failure(text), "(no error)");
  }
  t.true(validateSchema(valid));
});

test("a snapshot is rendered sorted, two-space indented, with a trailing newline, and reads back the same", (t) => {
  const shuffled: Snapshot = {
    ...valid,
    schemas: [
      { name: "z", objects: [{ name: "b", kind: "table", columns: ["y", "x"], partitions: ["p2", "p1"] }, { name: "a", kind: "sequence", columns: [] }] },
      { name: "a", objects: [] },
    ],
  };
  const text = renderSnapshot(shuffled);
  t.true(text.endsWith("}\n"));
  t.true(text.startsWith('{\n  "format": "rolec-snapshot",\n  "version": 1,\n  "engine": "postgres",\n'));
  const back = parseSnapshot(text, "x.json");
  t.deepEqual(back.schemas.map((s) => s.name), ["a", "z"]);
  t.deepEqual(back.schemas[1]!.objects.map((o) => o.name), ["a", "b"]);
  t.deepEqual(back.schemas[1]!.objects[1]!.columns, ["y", "x"], "columns keep the table's order");
  t.deepEqual(back.schemas[1]!.objects[1]!.partitions, ["p1", "p2"]);
  t.is(renderSnapshot(back), text);
});

const withRoutines = (routines: unknown[]) => broken((s) => ((s.version = 2), (s.schemas[0].routines = routines)));
const int4 = { schema: "pg_catalog", name: "int4", array: false };

test("functions and procedures are version 2 of the snapshot: checked, refused in version 1, written only where there are some", (t) => {
  t.is(failure(broken((s) => (s.schemas[0].routines = [{ name: "f", kind: "function", args: [] }]))), 'db.json: /schemas/0/routines: unknown member; expected "name", "objects"');
  t.is(failure(withRoutines([{ name: "f", kind: "aggregate", args: [] }])), 'db.json: /schemas/0/routines/0/kind: expected "function" or "procedure", found "aggregate"');
  t.is(failure(withRoutines([{ name: "f", kind: "function", args: [{ schema: "pg_catalog", name: "int4", array: "no" }] }])), 'db.json: /schemas/0/routines/0/args/0/array: expected true or false, found "no"');
  t.is(
    failure(withRoutines([{ name: "f", kind: "function", args: [int4] }, { name: "f", kind: "procedure", args: [int4] }])),
    "db.json: /schemas/0/routines/1: s.f(integer) is already listed at /schemas/0/routines/0",
  );
  t.is(failure(withRoutines([{ name: "f", kind: "function", args: [int4] }, { name: "f", kind: "function", args: [{ ...int4, array: true }] }])), "(no error)", "overloads are distinct");
  for (const text of [broken((s) => (s.schemas[0].routines = [{ name: "f", kind: "function", args: [] }])), withRoutines([{ name: "f", kind: "aggregate", args: [] }])]) {
    t.false(validateSchema(JSON.parse(text)), text);
  }
  t.true(validateSchema(JSON.parse(withRoutines([{ name: "f", kind: "function", args: [int4] }]))));
  const text = renderSnapshot({ ...valid, schemas: [{ name: "s", objects: [], routines: [{ name: "g", kind: "procedure", args: [] }, { name: "f", kind: "function", args: [int4] }] }] });
  t.regex(text, /"version": 2,/);
  t.deepEqual(parseSnapshot(text, "x.json").schemas[0]!.routines!.map((r) => r.name), ["f", "g"]);
  t.regex(renderSnapshot(valid), /"version": 1,/, "a snapshot without routines stays version 1, which an earlier rolec reads");
});

test("a snapshot's routines are declared: grants name them by their types, an inline declaration documents one, and another kind is RC0104", (t) => {
  const snapshot = loaded({ format: "rolec-snapshot", version: 2, engine: "postgres", schemas: [{ name: "s", objects: [], routines: [{ name: "total", kind: "function", args: [int4] }, { name: "total", kind: "function", args: [{ schema: "pg_catalog", name: "text", array: true }] }] }] });
  const program = programOf("schema s {\n  /// Totals.\n  function total(int)\n}\nrole r { execute on s.total(text[]) }\nrole q { execute on s.total(integer) }\n", { snapshot });
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(program.model.routines.map((r) => `${r.name}(${r.args.map((a) => a.name).join()}) ${r.doc}`), ["total(int4) Totals.", "total(text) undefined"]);
  t.deepEqual(program.model.routineGrants.map((g) => `${g.role} ${g.routine.args[0]!.name}${g.routine.args[0]!.array ? "[]" : ""}`), ["q int4", "r text[]"]);
  // A snapshot's argument types are held to the rules every name is (RC0703).
  const hostile = loaded({ format: "rolec-snapshot", version: 2, engine: "postgres", schemas: [{ name: "s", objects: [], routines: [{ name: "f", kind: "function", args: [{ schema: "s", name: "m\nDROP", array: false }] }] }] });
  t.deepEqual(programOf("role r { execute on s.f }\n", { snapshot: hostile }).diagnostics.map((d) => d.code), ["RC0703"]);
  const wrong = programOf("schema s { procedure total(integer) }\n", { snapshot });
  t.deepEqual(wrong.diagnostics.map((d) => `${d.code} ${d.message}`), ["RC0104 s.total(integer) is a function in the snapshot, declared here a procedure"]);

  const withTypes = loaded({ format: "rolec-snapshot", version: 2, engine: "postgres", schemas: [{ name: "s", objects: [{ name: "t", kind: "table", columns: ["a"] }], types: [{ name: "cents", kind: "domain" }] }] });
  const typed = programOf("schema s {\n  /// Money.\n  domain cents\n}\nrole r { usage on s.cents }\n", { snapshot: withTypes });
  t.deepEqual(typed.diagnostics, []);
  t.deepEqual(typed.model.types.map((ty) => `${ty.kind} ${ty.name} ${ty.doc}`), ["domain cents Money."]);
  t.deepEqual(programOf("schema s { type cents }\n", { snapshot: withTypes }).diagnostics.map((d) => d.code), ["RC0104"]);
  t.is(failure(JSON.stringify({ ...withTypes.snapshot, schemas: [{ name: "s", objects: [{ name: "t", kind: "table", columns: ["a"] }], types: [{ name: "t", kind: "type" }] }] })), 'db.json: /schemas/0/types/0/name: "t" is already listed at /schemas/0/objects/0/name; a name is taken once in a schema');
});

// PGlite is PostgreSQL itself, so the catalog queries are proven here without a server.
test("pull reads schemas, tables, views, sequences, columns, partitions and inheritance from PostgreSQL (PGlite)", async (t) => {
  const session = await openPglite();
  try {
    await session.exec(`
      CREATE SCHEMA "Sales ""EU""";
      CREATE TABLE "Sales ""EU""".customers (id int, "e-mail" text, "Ünïcode ✓" text, gone int, "select" text);
      ALTER TABLE "Sales ""EU""".customers DROP COLUMN gone;
      CREATE TABLE "Sales ""EU""".events (id int, at date) PARTITION BY RANGE (at);
      CREATE TABLE "Sales ""EU""".events_2025 PARTITION OF "Sales ""EU""".events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY RANGE (at);
      CREATE TABLE "Sales ""EU""".events_2025_h1 PARTITION OF "Sales ""EU""".events_2025 FOR VALUES FROM ('2025-01-01') TO ('2025-07-01');
      CREATE SCHEMA archive;
      CREATE TABLE archive.events_2024 PARTITION OF "Sales ""EU""".events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      CREATE TABLE "Sales ""EU""".audit (id int);
      CREATE TABLE archive.audit_old (note text) INHERITS ("Sales ""EU""".audit);
      CREATE VIEW "Sales ""EU""".emails AS SELECT id, "e-mail" FROM "Sales ""EU""".customers;
      CREATE MATERIALIZED VIEW archive.counts AS SELECT count(*) AS n FROM "Sales ""EU""".customers;
      CREATE SEQUENCE "Sales ""EU""".order_ids;
      CREATE TABLE public.nothing ();
    `);
    const snapshot = await pullPostgres(session, [], "pglite");
    const expected: Snapshot = {
      format: "rolec-snapshot",
      version: 1,
      engine: "postgres",
      schemas: [
        {
          name: "Sales \"EU\"",
          objects: [
            { name: "audit", kind: "table", columns: ["id"] },
            { name: "customers", kind: "table", columns: ["id", "e-mail", "Ünïcode ✓", "select"] },
            { name: "emails", kind: "view", columns: ["id", "e-mail"] },
            { name: "events", kind: "table", columns: ["id", "at"], partitions: ["events_2025", "events_2025_h1"] },
            { name: "order_ids", kind: "sequence", columns: [] },
          ],
        },
        {
          name: "archive",
          objects: [
            { name: "audit_old", kind: "table", columns: ["id", "note"], inherits: [{ schema: "Sales \"EU\"", name: "audit" }] },
            { name: "counts", kind: "view", columns: ["n"] },
            { name: "events_2024", kind: "table", columns: ["id", "at"], partitionOf: { schema: "Sales \"EU\"", name: "events" } },
          ],
        },
        { name: "public", objects: [{ name: "nothing", kind: "table", columns: [] }] },
      ],
    };
    t.is(renderSnapshot(snapshot), renderSnapshot(expected));
    t.true(validateSchema(JSON.parse(renderSnapshot(snapshot))), JSON.stringify(validateSchema.errors));
    t.is(renderSnapshot(await pullPostgres(session, [], "pglite")), renderSnapshot(snapshot), "a second pull gives the same bytes");
    t.deepEqual((await pullPostgres(session, ["archive"], "pglite")).schemas.map((s) => s.name), ["archive"]);

    // Functions and procedures make it version 2: each by its identity's argument types, overloads apart.
    await session.exec(`
      CREATE FUNCTION archive.total(n integer, VARIADIC rest text[]) RETURNS integer LANGUAGE sql AS 'SELECT n';
      CREATE FUNCTION archive.total(c "Sales ""EU""".customers) RETURNS integer LANGUAGE sql AS 'SELECT 1';
      CREATE AGGREGATE archive.total_of(integer) (SFUNC = int4pl, STYPE = integer);
      CREATE PROCEDURE archive."Tidy up"(IN keep interval, OUT removed bigint) LANGUAGE sql AS 'SELECT 0::bigint';
    `);
    await session.exec(`CREATE TYPE archive.mood AS ENUM ('ok'); CREATE DOMAIN archive.cents AS bigint; CREATE TYPE archive.pair AS (a int)`);
    const withRoutines = await pullPostgres(session, ["archive"], "pglite");
    t.is(withRoutines.version, 2);
    t.deepEqual(withRoutines.schemas[0]!.types, [{ name: "cents", kind: "domain" }, { name: "mood", kind: "type" }, { name: "pair", kind: "type" }], "no array type, no table's row type");
    t.deepEqual(withRoutines.schemas[0]!.routines, [
      { name: "Tidy up", kind: "procedure", args: [{ schema: "pg_catalog", name: "interval", array: false }] },
      { name: "total", kind: "function", args: [{ schema: "Sales \"EU\"", name: "customers", array: false }] },
      { name: "total", kind: "function", args: [{ schema: "pg_catalog", name: "int4", array: false }, { schema: "pg_catalog", name: "text", array: true }] },
      { name: "total_of", kind: "function", args: [{ schema: "pg_catalog", name: "int4", array: false }] },
    ]);
    t.true(validateSchema(JSON.parse(renderSnapshot(withRoutines))), JSON.stringify(validateSchema.errors));
    const unknown = await pullPostgres(session, ["archiv"], "pglite").catch((e: unknown) => e);
    t.true(unknown instanceof InputError);
    t.is((unknown as Error).message, 'schema "archiv" does not exist on pglite (did you mean "archive"?)');
    const system = await pullPostgres(session, ["pg_catalog"], "pglite").catch((e: unknown) => e);
    t.regex((system as Error).message, /^schema "pg_catalog" belongs to the database system itself; rolec leaves system schemas out/);
  } finally {
    await session.close();
  }
});

const roles = `role reporting {
  select on sales.* except sales.customers(ssn)
  usage, select on sales.order_ids
}

role app login {
  member of reporting
  insert, update (status) on sales.orders
  insert on sales.audit
}
`;

const inlineTables = `schema sales {
  table customers (id, email, ssn)
  table orders (id, customer_id, status)
  append_only table audit (id, at, actor) partitions (audit_2025, audit_2026)
  view order_totals (customer_id, total)
  sequence order_ids
}
`;

const salesSnapshot: Snapshot = {
  format: "rolec-snapshot",
  version: 1,
  engine: "postgres",
  schemas: [
    {
      name: "sales",
      objects: [
        { name: "audit", kind: "table", columns: ["id", "at", "actor"], partitions: ["audit_2025", "audit_2026"] },
        { name: "customers", kind: "table", columns: ["id", "email", "ssn"] },
        { name: "order_ids", kind: "sequence", columns: [] },
        { name: "order_totals", kind: "view", columns: ["customer_id", "total"] },
        { name: "orders", kind: "table", columns: ["id", "customer_id", "status"] },
      ],
    },
  ],
};

/** The artifacts without the lines that name the sources, which differ by construction. */
function withoutSourceLines(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^-- {1,3}(sources sha256: )?[0-9a-f]{64}/.test(line) && !/"sha256"|sourcesSha256|"path"/.test(line))
    .join("\n");
}

test("snapshot objects build the same model and the same scripts as the same objects declared inline", (t) => {
  const inline = programOf({ "roles.roles": roles, "tables.roles": inlineTables });
  // append_only is said only inline, restating the snapshot's table with some of its columns.
  const restate = "schema sales {\n  append_only table audit (id)\n}\n";
  const withSnapshot = programOf({ "roles.roles": roles, "tables.roles": restate }, { snapshot: loaded(salesSnapshot) });
  t.deepEqual(inline.diagnostics, []);
  t.deepEqual(withSnapshot.diagnostics, []);
  const shape = (p: typeof inline) => p.model.objects.map(({ span, doc, ...rest }) => rest);
  t.deepEqual(shape(withSnapshot), shape(inline));
  t.deepEqual(withSnapshot.model.grants, inline.model.grants, "grants, with their source lines");
  const a = renderArtifacts(inline.model, ["postgres", "mysql", "allowlist"]);
  const b = renderArtifacts(withSnapshot.model, ["postgres", "mysql", "allowlist"]);
  for (const [i, artifact] of a.entries()) {
    if (artifact.path === "manifest.json") continue;
    t.is(withoutSourceLines(b[i]!.content), withoutSourceLines(artifact.content), artifact.path);
  }
});

test("the manifest and the script headers record the snapshot's SHA-256, and the sources digest covers it", (t) => {
  const snapshot = loaded(salesSnapshot, "../db/sales.snapshot.json");
  const program = programOf({ "roles.roles": roles, "t.roles": "schema sales {\n  append_only table audit (id)\n}\n" }, { snapshot });
  const artifacts = renderArtifacts(program.model, ["postgres", "mysql"]);
  const manifest = JSON.parse(artifacts.find((a) => a.path === "manifest.json")!.content);
  t.deepEqual(manifest.snapshot, { path: "../db/sales.snapshot.json", sha256: snapshot.sha256 });
  for (const script of artifacts.filter((a) => a.path.endsWith(".sql"))) t.true(script.content.includes(`--   ${snapshot.sha256}  ../db/sales.snapshot.json (schema snapshot)\n`), script.path);
  const changed = loaded({ ...salesSnapshot, schemas: [{ name: "sales", objects: [...salesSnapshot.schemas[0]!.objects, { name: "zz", kind: "table", columns: ["a"] }] }] }, "../db/sales.snapshot.json");
  const other = programOf({ "roles.roles": roles, "t.roles": "schema sales {\n  append_only table audit (id)\n}\n" }, { snapshot: changed });
  t.not(other.model.sourcesSha256, program.model.sourcesSha256);
  const without = programOf({ "roles.roles": roles, "tables.roles": inlineTables });
  t.false("snapshot" in without.model);
  t.false(renderArtifacts(without.model, ["postgres"]).some((a) => a.content.includes("snapshot")), "nothing changes for a program without a snapshot");
});

test("a snapshot name that no database accepts is reported at the snapshot file", (t) => {
  const long = "x".repeat(40) + "é".repeat(12);
  const program = programOf("role r { select on s.t }", { snapshot: loaded({ ...valid, schemas: [{ name: "s", objects: [{ name: "t", kind: "table", columns: ["a", long] }] }] }) });
  t.deepEqual(
    program.diagnostics.map((d) => `${d.span.file}:${d.span.startLine} ${d.code}`),
    ["db.snapshot.json:1 RC0701"],
  );
});

test("--target mysql checks the snapshot's names too, and its sequences only where granted", (t) => {
  const long = "t".repeat(65);
  const snapshot = loaded({
    ...valid,
    schemas: [
      {
        name: "s",
        objects: [
          { name: "t", kind: "table", columns: ["a", "A"] },
          { name: long, kind: "table", columns: ["a"] },
          { name: "granted_seq", kind: "sequence", columns: [] },
          { name: "other_seq", kind: "sequence", columns: [] },
        ],
      },
    ],
  });
  const program = programOf("role r {\n  select on s.t\n  usage on s.granted_seq\n}\n", { databases: ["mysql"], snapshot });
  t.deepEqual(
    program.diagnostics.map((d) => `${d.span.file} ${d.code}`),
    ["db.snapshot.json RC0701", "db.snapshot.json RC0904", "db.snapshot.json RC0906", "db.snapshot.json RC0903"],
  );
  t.regex(program.diagnostics[3]!.message, /^sequence s\.granted_seq is left out/);
});

test("--target mysql: a snapshot routine named outside ASCII is RC0921 only where a line grants on it", (t) => {
  const snapshot = loaded({
    ...valid,
    version: 2,
    engine: "mysql",
    schemas: [
      {
        name: "s",
        objects: [{ name: "t", kind: "table", columns: ["a"] }],
        routines: [
          { name: "total", kind: "function", args: [] },
          { name: "sümme", kind: "function", args: [] },
          { name: "größe", kind: "procedure", args: [] },
        ],
      },
    ],
  });
  const ungranted = programOf("role r {\n  select on s.t\n  execute on s.total\n}\n", { databases: ["mysql"], snapshot });
  t.deepEqual(ungranted.diagnostics.map((d) => d.code), []);
  const granted = programOf(`role r {\n  select on s.t\n  execute on s."sümme"\n}\n`, { databases: ["mysql"], snapshot });
  t.deepEqual(granted.diagnostics.map((d) => `${d.code} ${d.message.slice(0, 40)}`), ["RC0921 privileges on function s.\"sümme\"() canno"]);
});
