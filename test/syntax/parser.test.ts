import test from "ava";
import { segmentEnds } from "../../src/syntax/parse.js";
import { parseFile, type DefaultGrantStatement, type GrantStatement, type RoleBlock, type SchemaBlock } from "../../src/syntax/index.js";
import { generateSpec } from "../../bench/generate-spec.js";

const parse = (text: string) => parseFile({ path: "t.roles", text });

test("the issue's sample parses without diagnostics", (t) => {
  const result = parse(`schema sales {
  table customers (id, email, full_name, ssn, created_at)
  append_only table audit_events (id, at, actor, action, payload)
  view order_totals (customer_id, total_cents)
  sequence orders_id_seq
}
role app login connection_limit 20 {
  member of reporting
  insert, update (status, total_cents) on sales.orders
  select on sales.* except sales.customers(ssn), sales.audit_events
}`);
  t.deepEqual(result.diagnostics, []);
  const [schema, role] = result.ast.items as [SchemaBlock, RoleBlock];
  t.deepEqual(schema.objects.map((o) => [o.objectKind, o.appendOnly, o.name.value, o.columns.length]), [
    ["table", false, "customers", 5],
    ["table", true, "audit_events", 5],
    ["view", false, "order_totals", 2],
    ["sequence", false, "orders_id_seq", 0],
  ]);
  t.deepEqual(role.options.map((o) => o.kind), ["Login", "ConnectionLimit"]);
  t.is(role.items.length, 3);
});

test("recovery reports every syntax error in one run and keeps the good parts", (t) => {
  const result = parse("role a { select on }\nschema s { table t (a b) }\nrole b { select on s.t }\nrole c { frobnicate on s.t }");
  t.is(result.diagnostics.length, 3);
  t.deepEqual(result.diagnostics.map((d) => d.span.startLine), [1, 2, 4]);
  t.true(result.ast.items.some((i) => i.kind === "Role" && i.name.value === "b" && i.items.length === 1));
});

test("keywords are names wherever a name is expected", (t) => {
  const result = parse("schema role { table table (login, select, on) }\nrole login login { select (login) on role.table }");
  t.deepEqual(result.diagnostics, []);
  const role = result.ast.items[1] as RoleBlock;
  t.is(role.name.value, "login");
  t.deepEqual(role.options.map((o) => o.kind), ["Login"]);
});

test("a keyword is a whole word in lower case: longer words, prefixes and other cases are names", (t) => {
  // `in` and `by` are prefixes of verbs, `create` of `created`, `replication` of two server verbs.
  const result = parse("schema Schema { table tables (in_stock, insert$, created_at, Select, by_, replication_clients, replication, create) }\nrole Role { select (in_stock, Select) on Schema.tables }");
  t.deepEqual(result.diagnostics, []);
  const [schema, role] = result.ast.items as [SchemaBlock, RoleBlock];
  t.is(schema.name.value, "Schema");
  t.deepEqual(schema.objects[0]!.columns.map((c) => c.value), ["in_stock", "insert$", "created_at", "Select", "by_", "replication_clients", "replication", "create"]);
  t.is(role.name.value, "Role");
  t.is(role.items.length, 1);
  t.deepEqual(parse("role r LOGIN { }").diagnostics.map((d) => d.code), ["RC0002"]);
});

test("an external role takes a block or none, and external is a name elsewhere", (t) => {
  const result = parse("external role app login host \"10.0.%\"\nexternal role readers { member of external\n select on s.t }\nrole external { select (external) on s.t }");
  t.deepEqual(result.diagnostics, []);
  const roles = result.ast.items as RoleBlock[];
  t.deepEqual(roles.map((r) => [r.name.value, r.external, r.items.length]), [["app", true, 0], ["readers", true, 2], ["external", false, 1]]);
  t.deepEqual(roles[0]!.options.map((o) => o.kind), ["Login", "Host"]);
  t.is(roles[0]!.span.endLine, 1, "a role without a block ends with its last option");
});

test("a syntax error after an external role without a block names what may come next", (t) => {
  const result = parse("external role app\nselect on s.t");
  t.is(result.diagnostics.length, 1);
  t.regex(result.diagnostics[0]!.message, /expected `schema`, `role`, `external role` or `public`/);
});

test("`on schema NAME` and `on database` are grants on the schema and the database, `on schema.x` and `on database.x` on objects", (t) => {
  const result = parse("role a {\n  usage, create on schema sales\n  select on schema.t\n  all on schema schema\n  select on schema.*\n  connect on database\n  select on database.t\n  all on database\n}");
  t.deepEqual(result.diagnostics, []);
  const role = result.ast.items[0] as RoleBlock;
  t.deepEqual(
    role.items.map((i) => (i.kind === "SchemaGrant" ? `schema ${i.schema.value}: ${i.privileges.map((p) => p.verb).join(",")}` : i.kind === "Grant" ? `object ${i.target.schema.value}.${i.target.object?.value ?? "*"}` : i.kind)),
    ["schema sales: usage,create", "object schema.t", "schema schema: all", "object schema.*", "DatabaseGrant", "object database.t", "DatabaseGrant"],
  );
});

test("a grant that ends after `on schema` says what it found after the keyword", (t) => {
  const result = parse("role a { usage on schema }");
  t.regex(result.diagnostics[0]!.message, /^expected `database`, `server`, `schema NAME`, `future tables \.\.\. created by ROLE` or an object such as `schema\.table`, `schema\.function\(integer\)` or `schema\.\*` but found "schema" followed by "\}"$/);
  t.regex(parse("role a { usage on }").diagnostics[0]!.message, /but found "\}"$/);
  t.regex(parse("role a { connect on databse }").diagnostics[0]!.message, /^expected '\.' but found "\}": a grant is on `database`, `server`, `schema NAME`, `future tables \.\.\. created by ROLE` or an object/);
});

test("quoted names keep case, spaces and doubled quotes", (t) => {
  const result = parse('schema "My Schema" { table "a""b" ("Col 1", "ünï;--") }');
  t.deepEqual(result.diagnostics, []);
  const schema = result.ast.items[0] as SchemaBlock;
  t.is(schema.name.value, "My Schema");
  t.is(schema.objects[0]!.name.value, 'a"b');
  t.deepEqual(schema.objects[0]!.columns.map((c) => c.value), ["Col 1", "ünï;--"]);
});

test("/// doc comments attach to the next role or object, plain comments do not", (t) => {
  const result = parse("/// Line one.\n/// Line two.\nrole a { select on s.t }\n\n// not a doc\nrole b { select on s.t }\n/// orphan\n\nrole c { select on s.t }\nschema s {\n  /// The table.\n  table t (a)\n}");
  const roles = result.ast.items.filter((i): i is RoleBlock => i.kind === "Role");
  t.deepEqual(roles.map((r) => r.doc), ["Line one.\nLine two.", undefined, undefined]);
  const schema = result.ast.items.find((i): i is SchemaBlock => i.kind === "Schema")!;
  t.is(schema.objects[0]!.doc, "The table.");
});

test("spans point at the exact token", (t) => {
  const result = parse("schema s { table t (a) }\nrole r {\n  select (zz) on s.t\n}");
  const role = result.ast.items[1] as RoleBlock;
  const grant = role.items[0]!;
  if (grant.kind !== "Grant") return t.fail();
  const column = grant.privileges[0]!.columns![0]!;
  t.like(column.span, { startLine: 3, startColumn: 11, endLine: 3, endColumn: 13 });
});

test("hostile input never throws", (t) => {
  for (const text of ["", "{{{{", '"', "/*", "role", "schema s {", "role r { select on s.t except }", "\u0000\u202e", "role r { select (,) on s.t }"]) {
    t.notThrows(() => parse(text), JSON.stringify(text));
  }
});

// A file that lexes cleanly is parsed a few blocks at a time; the whole-file parse is the reference.
const largeSpec = generateSpec(1000);

test("a large file parsed a few blocks at a time gives exactly the AST of the whole-file parse", (t) => {
  const source = { path: "large.roles", text: `/// Documented.\n${largeSpec}// the end\n` };
  const chunked = parseFile(source);
  t.deepEqual(chunked.diagnostics, []);
  t.true(chunked.ast.items.length > 200);
  t.deepEqual(chunked, parseFile(source, { chunked: false }));
});

test("braces inside quoted names, quoted values and comments never cut a large file between blocks", (t) => {
  // Each block repeats until the file is many segments long; every kind of token that may hold a
  // brace holds one, doc comments stand right after a block's closing brace, and lines end in CRLF too.
  const block = (i: number) => `/// The {schema} ${i}; not a brace that counts }
schema "s{${i}}" { table "t}" ("a""}", b) // a comment with } and {
  /* a block comment } with { braces
     over lines */ view v ("{") }
/// The role's doc, just after a block's brace.
role "r}{${i}" {
  set application_name = 'x}{y''}'
  select ("a""}") on "s{${i}}"."t}"
}
`;
  const text = Array.from({ length: 1500 }, (_, i) => block(i)).join("");
  t.true(text.length > 4 * 64 * 1024);
  for (const source of [{ path: "braces.roles", text }, { path: "crlf.roles", text: text.replaceAll("\n", "\r\n") }]) {
    const parsed = parseFile(source);
    t.deepEqual(parsed.diagnostics, []);
    t.is(parsed.ast.items.length, 3000);
    t.is((parsed.ast.items[1] as RoleBlock).doc, "The role's doc, just after a block's brace.");
    t.deepEqual(parsed, parseFile(source, { chunked: false }));
    // And the file was cut: each cut falls after whole blocks, which parse on their own.
    const ends = segmentEnds(source.text, 64 * 1024);
    t.true(ends.length >= 4);
    for (const end of ends) {
      const head = parseFile({ path: "head.roles", text: source.text.slice(0, end) }, { chunked: false });
      t.deepEqual(head.diagnostics, [], `cut at ${end}`);
    }
  }
});

test("a syntax error late in a large file is reported as the whole-file parse reports it", (t) => {
  const at = largeSpec.lastIndexOf("role ");
  const source = { path: "large.roles", text: `${largeSpec.slice(0, at)}role broken { select on }\n${largeSpec.slice(at)}` };
  const parsed = parseFile(source);
  t.deepEqual(parsed, parseFile(source, { chunked: false }));
  t.is(parsed.diagnostics.length, 1);
  t.is(parsed.diagnostics[0]!.code, "RC0002");
  t.is(parsed.diagnostics[0]!.span.startLine, source.text.slice(0, at).split("\n").length);
});

test("spans of names on lines ended by CRLF and inside multi-line quoted names", (t) => {
  const parsed = parseFile({ path: "x.roles", text: 'schema s {\r\n  table "a\nb" (id)\r\n}\r\nrole r { select on s."a\nb" }\r\n' });
  t.deepEqual(parsed.diagnostics, []);
  const table = (parsed.ast.items[0] as SchemaBlock).objects[0]!;
  t.like(table.name.span, { startLine: 2, startColumn: 9, endLine: 3, endColumn: 3 });
  t.like(table.columns[0]!.span, { startLine: 3, startColumn: 5, endLine: 3, endColumn: 7 });
});

test("functions and procedures parse with their argument types, and grants name them by those types", (t) => {
  const result = parse('schema app {\n  /// Totals.\n  function total(integer, double precision, "char", app.money[], text[])\n  procedure archive()\n}\nrole r {\n  execute on app.total(int, float8, "char", app.money[], text[])\n  execute on app.archive\n}');
  t.deepEqual(result.diagnostics, []);
  const schema = result.ast.items[0] as SchemaBlock;
  t.deepEqual(
    schema.routines.map((r) => `${r.routineKind} ${r.name.value}(${r.args.map((a) => `${a.schema ? `${a.schema.value}.` : ""}${a.words.map((w) => w.value).join(" ")}${a.quoted ? " quoted" : ""}${a.array ? "[]" : ""}`).join(", ")}) ${r.doc}`),
    ["function total(integer, double precision, char quoted, app.money[], text[]) Totals.", "procedure archive() undefined"],
  );
  const role = result.ast.items[1] as RoleBlock;
  const grants = role.items.filter((i): i is GrantStatement => i.kind === "Grant");
  t.deepEqual(grants.map((g) => g.target.signature?.map((a) => a.words.map((w) => w.value).join(" "))), [["int", "float8", "char", "money", "text"], undefined]);
});

test("a length or precision in an argument type says that the language writes none", (t) => {
  t.regex(parse("schema app { function f(varchar(10)) }").diagnostics[0]!.message, /argument types are written without a length or precision/);
});

test("`on future KIND [in schema s] created by ROLE` is a default grant, and `future` is a name elsewhere", (t) => {
  const result = parse(`role a {
  select, insert on future tables in schema app created by "Mig"
  usage on future schemas created by mig
  select on future.orders
}
schema future { table created (by) }`);
  t.deepEqual(result.diagnostics, []);
  const role = result.ast.items[0] as RoleBlock;
  const [first, second, third] = role.items as [DefaultGrantStatement, DefaultGrantStatement, GrantStatement];
  t.is(first.kind, "DefaultGrant");
  t.deepEqual([first.objects.value, first.schema?.value, first.creator.value, first.privileges.map((p) => p.verb)], ["tables", "app", "Mig", ["select", "insert"]]);
  t.deepEqual([second.objects.value, second.schema, second.creator.value], ["schemas", undefined, "mig"]);
  t.is(third.kind, "Grant");
  t.deepEqual([third.target.schema.value, third.target.object?.value], ["future", "orders"]);
  t.regex(parse("role a { select on future tables in app created by m }").diagnostics[0]!.message, /expected 'schema'/);
  t.regex(parse("role a { select on future tables created m }").diagnostics[0]!.message, /expected 'by'/);
  t.regex(parse("role a { select on future }").diagnostics[0]!.message, /but found "future" followed by "\}"$/);
});

test("`on server` is a server grant, and `server` and the server verbs are names elsewhere", (t) => {
  const result = parse("schema server { table process (replication_client) }\nrole r { process, replication_client on server  select (replication_client) on server.process  replication_slave, show_databases on server }");
  t.deepEqual(result.diagnostics, []);
  const role = result.ast.items.find((i) => i.kind === "Role")!;
  t.deepEqual(
    role.kind === "Role" ? role.items.map((i) => (i.kind === "ServerGrant" ? `server: ${i.privileges.map((p) => p.verb).join(",")}` : i.kind === "Grant" ? `object ${i.target.schema.value}.${i.target.object?.value}` : i.kind)) : [],
    ["server: process,replication_client", "object server.process", "server: replication_slave,show_databases"],
  );
  // `replication`, a role attribute, is a prefix of two server verbs: each is read whole.
  t.deepEqual(parse("role r replication { replication_slave on server }").diagnostics, []);
});
