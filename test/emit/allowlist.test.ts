import test from "ava";
import Ajv2020 from "ajv/dist/2020.js";
import { readFileSync } from "node:fs";
import path from "node:path";
import { buildAllowlist } from "../../src/emit/index.js";
import { exampleNames, exampleProgram, programOf, repoRoot } from "../helpers/program.js";

const schema = JSON.parse(readFileSync(path.join(repoRoot, "targets/allowlist/allowlist.schema.json"), "utf8"));
const validate = new Ajv2020.default({ allErrors: true, strict: true }).compile(schema);

for (const name of exampleNames) {
  test(`the allow-list of example ${name} matches its JSON Schema`, async (t) => {
    const list = buildAllowlist((await exampleProgram(name)).model);
    t.true(validate(list), JSON.stringify(validate.errors, null, 2));
  });
}

test("the schema rejects what a proxy must not accept", (t) => {
  t.true(validate({ format: "rolec-allowlist", formatVersion: 10, generatedBy: "x", sourcesSha256: "0".repeat(64), default: "deny", appendOnly: [], sensitive: [], objects: {}, routines: [], roles: {} }));
  t.false(validate({ format: "rolec-allowlist", formatVersion: 3, generatedBy: "x", sourcesSha256: "0".repeat(64), default: "deny", appendOnly: [], roles: {} }), "an earlier version");
  t.false(validate({ format: "rolec-allowlist", formatVersion: 10, generatedBy: "x", sourcesSha256: "0".repeat(64), default: "allow", appendOnly: [], sensitive: [], objects: {}, routines: [], roles: {} }));
  const role = { login: false, memberOf: [], grants: {} };
  const withRole = (entry: object) => ({ format: "rolec-allowlist", formatVersion: 10, generatedBy: "x", sourcesSha256: "0".repeat(64), default: "deny", appendOnly: [], sensitive: [], objects: {}, routines: [], roles: { r: entry } });
  t.true(validate(withRole({ ...role, attributes: ["createdb"] })));
  t.false(validate(withRole({ ...role, attributes: ["superuser"] })), "superuser is never declared");
  t.false(validate(withRole({ ...role, attributes: [] })), "attributes appear only when there are some");
  const onSchema = { via: ["r"], sources: ["a.roles:1"] };
  t.true(validate(withRole({ ...role, schemas: { s: { usage: onSchema, create: onSchema } } })));
  t.false(validate(withRole({ ...role, schemas: {} })), "schemas appear only when there are some");
  t.false(validate(withRole({ ...role, schemas: { s: {} } })), "a schema appears only with a privilege");
  t.false(validate(withRole({ ...role, schemas: { s: { select: onSchema } } })), "only usage and create are privileges on a schema");
  t.true(validate(withRole({ ...role, database: { connect: onSchema, temporary: onSchema, create: onSchema } })));
  t.false(validate(withRole({ ...role, database: {} })), "database appears only when there are some");
  t.false(validate(withRole({ ...role, database: { usage: onSchema } })), "only connect, temporary and create are privileges on the database");
  t.true(validate(withRole({ ...role, schemas: { s: { usage: { ...onSchema, grantOption: { via: ["r"] } } } }, database: { connect: { ...onSchema, grantOption: { via: ["r"] } } } })));
  t.false(validate(withRole({ ...role, server: { process: { ...onSchema, grantOption: { via: ["r"] } } } })), "no grant option on the server");
});

test("a grant option on a schema or the database is listed with the privilege, members included", (t) => {
  const program = programOf("schema s { table t (a) }\nrole lead { usage on schema s with grant option\n  connect on database with grant option\n  create on schema s }\nrole deputy login { member of lead }");
  t.deepEqual(program.diagnostics, []);
  const list = buildAllowlist(program.model) as { roles: Record<string, { schemas: Record<string, Record<string, { grantOption?: { via: string[] } }>>; database: Record<string, { grantOption?: { via: string[] } }> }> };
  t.true(validate(list), JSON.stringify(validate.errors));
  t.deepEqual(list.roles.deputy!.schemas.s!.usage!.grantOption, { via: ["lead"] });
  t.false("grantOption" in list.roles.lead!.schemas.s!.create!);
  t.deepEqual(list.roles.lead!.database.connect!.grantOption, { via: ["lead"] });
});

test("a grant option is listed with the privilege, with the roles whose lines declare it, members included", (t) => {
  const program = programOf("schema s { table t (a, b) }\nrole lead { select, insert on s.t with grant option }\nrole deputy login { member of lead\n update on s.t }\nrole other login { select on s.t }");
  t.deepEqual(program.diagnostics, []);
  const list = buildAllowlist(program.model) as { roles: Record<string, { grants: Record<string, Record<string, { privileges: Record<string, { via: string[]; grantOption?: { via: string[] } }> }>> }> };
  t.true(validate(list));
  const on = (role: string, verb: string) => list.roles[role]!.grants["s"]!["t"]!.privileges[verb]!;
  t.deepEqual(on("lead", "select").grantOption, { via: ["lead"] });
  t.deepEqual(on("deputy", "select").grantOption, { via: ["lead"] }, "a member inherits the option");
  t.false("grantOption" in on("deputy", "update"));
  t.false("grantOption" in on("other", "select"));
  const schemaOf = (entry: object) => ({ format: "rolec-allowlist", formatVersion: 10, generatedBy: "x", sourcesSha256: "0".repeat(64), default: "deny", appendOnly: [], sensitive: [], objects: {}, routines: [], roles: { r: { login: false, memberOf: [], grants: { s: { t: { kind: "table", privileges: { select: { columns: "*", via: ["r"], sources: [], ...entry } } } } } } } });
  t.true(validate(schemaOf({ grantOption: { via: ["r"] } })));
  t.false(validate(schemaOf({ grantOption: { via: [] } })), "an option comes from some role's line");

  // On functions and types too.
  const routines = programOf("schema s {\n function f(integer)\n type mood\n}\nrole lead { execute on s.f with grant option\n usage on s.mood }\nrole deputy { member of lead }");
  t.deepEqual(routines.diagnostics, []);
  const withRoutines = buildAllowlist(routines.model) as { roles: Record<string, { routines: { execute: { grantOption?: { via: string[] } } }[]; types: { usage: { grantOption?: unknown } }[] }> };
  t.true(validate(withRoutines));
  t.deepEqual(withRoutines.roles["deputy"]!.routines[0]!.execute.grantOption, { via: ["lead"] });
  t.false("grantOption" in withRoutines.roles["lead"]!.types[0]!.usage);
});

test("privileges on schemas are listed per role, flattened through membership, and only where lines grant them", (t) => {
  const program = programOf("schema s { table t (a) }\nschema scratch {}\nrole base { usage on schema s\n create on schema scratch }\nrole app login { member of base\n all on schema scratch\n select on s.t }\nrole other { select on s.t }");
  t.deepEqual(program.diagnostics, []);
  const list = buildAllowlist(program.model) as { roles: Record<string, { schemas?: Record<string, Record<string, unknown>> }> };
  t.deepEqual(list.roles.app!.schemas, {
    s: { usage: { via: ["base"], sources: ["test.roles:3"] } },
    scratch: { usage: { via: ["app"], sources: ["test.roles:6"] }, create: { via: ["app", "base"], sources: ["test.roles:4", "test.roles:6"] } },
  });
  t.deepEqual(list.roles.base!.schemas, { s: { usage: { via: ["base"], sources: ["test.roles:3"] } }, scratch: { create: { via: ["base"], sources: ["test.roles:4"] } } });
  t.false("schemas" in list.roles.other!, "USAGE implied by a grant on an object is not listed");
  t.true(validate(list), JSON.stringify(validate.errors, null, 2));
});

test("grants are flattened through membership, with the lines they came from", (t) => {
  const program = programOf({
    "a.roles": "schema s { table t (a, b)\n append_only table log (id) }\nrole base { select (a) on s.t }\nrole mid { member of base\n select (b) on s.t }",
    "b.roles": "role app login { member of mid\n insert on s.log }",
  });
  t.deepEqual(program.diagnostics, []);
  const list = buildAllowlist(program.model) as { roles: Record<string, { grants: Record<string, Record<string, { privileges: Record<string, unknown> }>> }>; appendOnly: unknown };
  t.deepEqual(list.roles.app!.grants.s!.t!.privileges.select, { columns: ["a", "b"], via: ["base", "mid"], sources: ["a.roles:3", "a.roles:5"] });
  t.deepEqual(list.roles.app!.grants.s!.log!.privileges.insert, { columns: "*", via: ["app"], sources: ["b.roles:2"] });
  t.deepEqual(list.appendOnly, [{ schema: "s", object: "log" }]);
  t.deepEqual(Object.keys(list.roles.base!.grants.s!), ["t"], "default deny: nothing not granted appears");
});

test("every declared relation is listed with its kind and all its columns, partitions and objects nobody may use included", (t) => {
  const program = programOf({
    "a.roles": "schema s { table t (a, b, c) partitions (t_2025)\n view v (x)\n sequence q\n table unused (z) }\nrole r { select (a) on s.t }",
  });
  t.deepEqual(program.diagnostics.filter((d) => d.severity === "error"), []);
  const list = buildAllowlist(program.model) as { objects: unknown };
  t.deepEqual(JSON.parse(JSON.stringify(list.objects)), {
    s: {
      q: { kind: "sequence", columns: [] },
      t: { kind: "table", columns: ["a", "b", "c"] },
      t_2025: { kind: "table", columns: ["a", "b", "c"], partitionOf: "t" },
      unused: { kind: "table", columns: ["z"] },
      v: { kind: "view", columns: ["x"] },
    },
  });
  t.true(validate(list), JSON.stringify(validate.errors));
  const objectsOf = (objects: object) => ({ ...(list as object), objects });
  t.false(validate(objectsOf({ s: { t: { kind: "table" } } })), "columns are required");
  t.false(validate(objectsOf({ s: { t: { kind: "function", columns: [] } } })), "only relations");
});

test("every declared function and procedure is listed by its identity, those nobody may call included", (t) => {
  const program = programOf("schema s { function f(integer, text[])\n function f()\n procedure p(s.t)\n table t (a) }\nrole r { execute on s.f() }");
  t.deepEqual(program.diagnostics.filter((d) => d.severity === "error"), []);
  const list = buildAllowlist(program.model) as { routines: unknown };
  t.deepEqual(list.routines, [
    { schema: "s", name: "f", kind: "function", args: [] },
    { schema: "s", name: "f", kind: "function", args: [{ schema: "pg_catalog", name: "int4", array: false }, { schema: "pg_catalog", name: "text", array: true }] },
    { schema: "s", name: "p", kind: "procedure", args: [{ schema: "s", name: "t", array: false }] },
  ]);
  t.true(validate(list), JSON.stringify(validate.errors));
  t.false(validate({ ...(list as object), routines: [{ schema: "s", name: "f", kind: "aggregate", args: [] }] }), "only functions and procedures");
});

test("declared role attributes and settings are listed, and only where there are some", (t) => {
  const program = programOf("schema s { table t (a) }\nrole etl login createdb { set search_path = s, public\n set work_mem = '64MB' in database\n select on s.t }\nrole app login { select on s.t }");
  t.deepEqual(program.diagnostics, []);
  const list = buildAllowlist(program.model) as { roles: Record<string, { attributes?: string[]; settings?: unknown }> };
  t.deepEqual(list.roles.etl!.attributes, ["createdb"]);
  t.deepEqual(list.roles.etl!.settings, [{ parameter: "search_path", values: ["s", "public"] }]);
  t.deepEqual((list.roles.etl as { settingsInDatabase?: unknown }).settingsInDatabase, [{ parameter: "work_mem", values: ["64MB"] }]);
  t.false("settingsInDatabase" in list.roles.app!);
  t.false("attributes" in list.roles.app!);
  t.false("settings" in list.roles.app!);
  t.true(validate(list), JSON.stringify(validate.errors, null, 2));
});

test("privileges on the database are listed per role, flattened through membership, and only where lines grant them", (t) => {
  const program = programOf("schema s { table t (a) }\nrole base { connect on database }\nrole app login { member of base\n temporary, connect on database\n select on s.t }\nrole other { select on s.t }");
  t.deepEqual(program.diagnostics, []);
  const list = buildAllowlist(program.model) as { roles: Record<string, { database?: Record<string, unknown> }> };
  t.deepEqual(list.roles.app!.database, {
    connect: { via: ["app", "base"], sources: ["test.roles:2", "test.roles:4"] },
    temporary: { via: ["app"], sources: ["test.roles:4"] },
  });
  t.deepEqual(list.roles.base!.database, { connect: { via: ["base"], sources: ["test.roles:2"] } });
  t.false("database" in list.roles.other!);
  t.true(validate(list), JSON.stringify(validate.errors, null, 2));
});

test("functions and procedures are listed per role by their identity, flattened through membership and PUBLIC", (t) => {
  const program = programOf("schema s { function total(integer, text[])\n function total(bigint)\n procedure archive() }\npublic { execute on s.archive }\nrole base { execute on s.total(int, text[]) }\nrole app login { member of base\n execute on s.* }\nrole other { }");
  t.deepEqual(program.diagnostics.filter((d) => d.severity === "error"), []);
  const list = buildAllowlist(program.model) as { public?: { routines?: unknown }; roles: Record<string, { routines?: unknown[] }> };
  const int4 = { schema: "pg_catalog", name: "int4", array: false };
  t.deepEqual(list.roles.base!.routines, [
    { schema: "s", name: "archive", kind: "procedure", args: [], execute: { via: ["PUBLIC"], sources: ["test.roles:4"] } },
    { schema: "s", name: "total", kind: "function", args: [int4, { schema: "pg_catalog", name: "text", array: true }], execute: { via: ["base"], sources: ["test.roles:5"] } },
  ]);
  t.deepEqual(
    (list.roles.app!.routines as { name: string; args: unknown[]; execute: { via: string[] } }[]).map((r) => [r.name, r.args.length, r.execute.via]),
    [["archive", 0, ["PUBLIC", "app"]], ["total", 2, ["app", "base"]], ["total", 1, ["app"]]],
  );
  t.deepEqual(list.public!.routines, [{ schema: "s", name: "archive", kind: "procedure", args: [], execute: { via: ["PUBLIC"], sources: ["test.roles:4"] } }]);
  t.true(validate(list), JSON.stringify(validate.errors, null, 2));
  t.false(validate({ ...list, roles: { app: { ...(list.roles.app as object), routines: [] } } }), "routines appear only when there are some");
});

test("a public block is listed as its own entry, and in every role's grants via PUBLIC", (t) => {
  const program = programOf("schema s { table lookup (id, label)\n table t (a) }\npublic { select on s.lookup\n connect on database }\nrole app login { select (id) on s.lookup\n select on s.t }");
  t.deepEqual(program.diagnostics, []);
  const list = buildAllowlist(program.model) as { public?: Record<string, unknown>; roles: Record<string, { grants: Record<string, Record<string, { privileges: Record<string, unknown> }>>; database?: unknown }> };
  t.deepEqual(list.public, {
    grants: { s: { lookup: { kind: "table", privileges: { select: { columns: "*", via: ["PUBLIC"], sources: ["test.roles:3"] } } } } },
    database: { connect: { via: ["PUBLIC"], sources: ["test.roles:4"] } },
  });
  t.deepEqual(list.roles.app!.grants.s!.lookup!.privileges.select, { columns: "*", via: ["PUBLIC", "app"], sources: ["test.roles:3", "test.roles:5"] });
  t.deepEqual(list.roles.app!.database, { connect: { via: ["PUBLIC"], sources: ["test.roles:4"] } });
  t.true(validate(list), JSON.stringify(validate.errors, null, 2));
  t.false("public" in (buildAllowlist(programOf("schema s { table t (a) }\nrole app { select on s.t }").model) as object), "no block, no entry");
});

test("names like __proto__ and constructor are ordinary keys", (t) => {
  const program = programOf('schema constructor { table "__proto__" (a)\n table toString (a) }\nrole "__proto__" { select on constructor.* }\nrole hasOwnProperty { insert on constructor.toString }');
  t.deepEqual(program.diagnostics, []);
  const list = JSON.parse(JSON.stringify(buildAllowlist(program.model)));
  t.deepEqual(Object.keys(list.roles), ["__proto__", "hasOwnProperty"]);
  t.deepEqual(Object.keys(list.roles.__proto__.grants.constructor), ["__proto__", "toString"]);
  t.true(validate(list));
  t.is(({} as Record<string, unknown>).select, undefined, "Object.prototype is untouched");
});

test("an external role is listed with what this program lets it do, marked external; the schema takes it, and only true", (t) => {
  const program = programOf("schema s { table t (a, b) }\nrole reader { select (a) on s.t }\nexternal role app login { member of reader\n insert on s.t }\nexternal role named_only");
  t.deepEqual(program.diagnostics, []);
  const list = buildAllowlist(program.model) as { roles: Record<string, Record<string, unknown>> };
  t.true(validate(list), JSON.stringify(validate.errors, null, 2));
  t.deepEqual(list.roles.app, {
    external: true,
    login: true,
    memberOf: ["reader"],
    grants: { s: { t: { kind: "table", privileges: { select: { columns: ["a"], via: ["reader"], sources: ["test.roles:2"] }, insert: { columns: "*", via: ["app"], sources: ["test.roles:4"] } } } } },
  });
  t.deepEqual(list.roles.named_only, { external: true, login: false, memberOf: [], grants: {} });
  t.false("external" in list.roles.reader!, "a role the program owns has no external key");
  t.false(validate({ ...list, roles: { ...list.roles, reader: { ...list.roles.reader, external: false } } }), "external is true or absent");
});

test("MySQL/MariaDB server privileges are listed per role, flattened through membership, and the schema takes only the server's verbs", (t) => {
  const program = programOf("schema s { table t (a) }\nrole monitor { process, replication_client on server }\nrole exporter login { member of monitor\n show_databases on server\n select on s.t }\nrole other { select on s.t }", { databases: ["mysql"] });
  const list = buildAllowlist(program.model) as { roles: Record<string, { server?: Record<string, unknown> }> };
  t.true(validate(list), JSON.stringify(validate.errors));
  t.deepEqual(list.roles.exporter!.server, {
    process: { via: ["monitor"], sources: ["test.roles:2"] },
    replication_client: { via: ["monitor"], sources: ["test.roles:2"] },
    show_databases: { via: ["exporter"], sources: ["test.roles:4"] },
  });
  t.is(list.roles.other!.server, undefined);
  const withServer = (server: object) => ({ ...list, roles: { ...list.roles, other: { ...list.roles.other, server } } });
  t.false(validate(withServer({ select: list.roles.exporter!.server!.process })), "only the server's verbs");
  t.false(validate(withServer({})), "present only when there are some");
});
