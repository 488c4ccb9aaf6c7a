import type { SqlSession } from "../../../src/engine/index.js";
import { expectedFacts, perColumnVerbs, PUBLIC, type ExpectedFact, type Reference, type Verb } from "../reference-evaluator.js";
import { allowedWord, describeFact, type Mismatch } from "./mismatch.js";
import { pgQualified } from "./quote.js";

/**
 * What PostgreSQL says each role may do, asked with its own privilege functions (which follow
 * membership, PUBLIC and predefined roles such as pg_read_all_data) and catalogs, in queries
 * written here rather than with rolec's catalog reader; compared with the reference.
 */

/** Every table privilege PostgreSQL keeps, asked on views too: a drifted view may hold truncate. */
const relationVerbs: readonly Verb[] = ["select", "insert", "update", "delete", "truncate", "references", "trigger"];
const sequenceVerbs: readonly Verb[] = ["select", "update", "usage"];
export const postgresAskedVerbs = (kind: ExpectedFact["kind"]) => (kind === "sequence" ? sequenceVerbs : relationVerbs);

/** Privileges on every object, grant options, schema USAGE and CREATE: one query for all. */
export async function postgresPrivilegeMismatches(session: SqlSession, reference: Reference, facts = expectedFacts(reference, postgresAskedVerbs)): Promise<Mismatch[]> {
  const rows = await session.query<{ i: number; allowed: boolean; grantable: boolean }>(
    `SELECT f.i, CASE WHEN f.kind = 'sequence' THEN pg_catalog.has_sequence_privilege(f.role, pg_catalog.format('%I.%I', f.schema, f.object), f.verb)
                     WHEN f.col IS NULL THEN pg_catalog.has_table_privilege(f.role, pg_catalog.format('%I.%I', f.schema, f.object), f.verb)
                     ELSE pg_catalog.has_column_privilege(f.role, pg_catalog.format('%I.%I', f.schema, f.object), f.col, f.verb) END AS allowed,
                CASE WHEN f.kind = 'sequence' THEN pg_catalog.has_sequence_privilege(f.role, pg_catalog.format('%I.%I', f.schema, f.object), f.verb || ' WITH GRANT OPTION')
                     WHEN f.col IS NULL THEN pg_catalog.has_table_privilege(f.role, pg_catalog.format('%I.%I', f.schema, f.object), f.verb || ' WITH GRANT OPTION')
                     ELSE pg_catalog.has_column_privilege(f.role, pg_catalog.format('%I.%I', f.schema, f.object), f.col, f.verb || ' WITH GRANT OPTION') END AS grantable
       FROM pg_catalog.json_to_recordset($1::json) AS f(i int, role text, schema text, object text, kind text, verb text, col text)`,
    [JSON.stringify(facts.map((f, i) => ({ i, role: f.role, schema: f.schema, object: f.object, kind: f.kind, verb: f.verb, col: f.column })))],
  );
  const mismatches: Mismatch[] = [];
  for (const row of rows) {
    const f = facts[row.i]!;
    const fn = f.kind === "sequence" ? "has_sequence_privilege" : f.column === null ? "has_table_privilege" : "has_column_privilege";
    if (row.allowed !== f.allowed) {
      const scope = f.column === null && perColumnVerbs.has(f.verb) && f.kind !== "sequence" ? " table-wide" : "";
      mismatches.push({ role: f.role, what: describeFact(f), expected: allowedWord(f.allowed) + scope, actual: allowedWord(row.allowed) + scope, how: fn });
    }
    if (row.grantable !== f.grantable) mismatches.push({ role: f.role, what: `${describeFact(f)} WITH GRANT OPTION`, expected: f.grantable ? "grantable" : "no grant option", actual: row.grantable ? "grantable" : "no grant option", how: fn });
  }
  return [
    ...mismatches,
    ...(await schemaMismatches(session, reference)),
    ...(await databaseMismatches(session, reference)),
    ...(await routineAndTypeMismatches(session, reference)),
    ...(await defaultPrivilegeMismatches(session, reference)),
  ];
}

/** pg_default_acl.defaclobjtype, by the language's word for the kind (the PostgreSQL documentation of the catalog). */
const objectTypes: Record<string, string> = { r: "tables", S: "sequences", f: "functions", T: "types", n: "schemas" };

/**
 * pg_default_acl, read here. For each creator the program names, for every schema and in each
 * of the program's schemas, and each kind of object, the declared roles and PUBLIC hold exactly
 * the reference's default privileges. Where a creator has no entry for every schema, PostgreSQL
 * applies its own (ALTER DEFAULT PRIVILEGES' documentation): PUBLIC may execute its functions and
 * use its types. Any other creator gives a declared role or PUBLIC nothing on tables or sequences.
 */
async function defaultPrivilegeMismatches(session: SqlSession, reference: Reference): Promise<Mismatch[]> {
  const schemas = [...new Set(reference.objects.map((o) => o.schema))];
  const grantees = new Set([...reference.roles.map((r) => r.name), PUBLIC]);
  const rows = await session.query<{ creator: string; schema: string | null; objtype: string; grantee: string; privilege: string; grantable: boolean }>(
    `SELECT c.rolname AS creator, n.nspname AS schema, d.defaclobjtype::text AS objtype,
            CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE g.rolname END AS grantee, a.privilege_type AS privilege, a.is_grantable AS grantable
       FROM pg_catalog.pg_default_acl d JOIN pg_catalog.pg_roles c ON c.oid = d.defaclrole
       LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
       CROSS JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) a LEFT JOIN pg_catalog.pg_roles g ON g.oid = a.grantee
      WHERE (d.defaclnamespace = 0 OR n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))) AND a.grantee <> d.defaclrole`,
    [JSON.stringify(schemas)],
  );
  const globalEntries = await session.query<{ creator: string; objtype: string }>(
    `SELECT c.rolname AS creator, d.defaclobjtype::text AS objtype FROM pg_catalog.pg_default_acl d JOIN pg_catalog.pg_roles c ON c.oid = d.defaclrole WHERE d.defaclnamespace = 0`,
  );
  const mismatches: Mismatch[] = [];
  const managed = new Set(reference.defaultCreators);
  for (const creator of reference.defaultCreators) {
    for (const schema of [null, ...schemas]) {
      for (const [letter, objects] of Object.entries(objectTypes)) {
        if (objects === "schemas" && schema !== null) continue;
        const held = rows.filter((r) => r.creator === creator && r.schema === schema && r.objtype === letter && grantees.has(r.grantee)).map((r) => `${r.grantee} ${r.privilege}${r.grantable ? "*" : ""}`);
        const builtIn = { f: "EXECUTE", T: "USAGE" }[letter];
        if (schema === null && builtIn && !globalEntries.some((e) => e.creator === creator && e.objtype === letter)) held.push(`${PUBLIC} ${builtIn}`);
        const want = reference.defaultAcl(creator, schema, objects);
        if (JSON.stringify([...new Set(held)].sort()) !== JSON.stringify(want)) {
          mismatches.push({ role: creator, what: `default privileges on ${objects} it creates ${schema === null ? "in any schema" : `in ${JSON.stringify(schema)}`}`, expected: JSON.stringify(want), actual: JSON.stringify([...new Set(held)].sort()), how: "pg_default_acl" });
        }
      }
    }
  }
  for (const r of rows) {
    if (managed.has(r.creator) || !grantees.has(r.grantee) || (r.objtype !== "r" && r.objtype !== "S")) continue;
    mismatches.push({ role: r.grantee, what: `default ${r.privilege} on ${objectTypes[r.objtype]} ${r.creator} creates ${r.schema === null ? "in any schema" : `in ${JSON.stringify(r.schema)}`}`, expected: "none", actual: "held", how: "pg_default_acl" });
  }
  return mismatches;
}

/** A routine's signature as SQL writes it: its declared argument types are SQL's own spellings. */
export function routineSignature(r: Reference["routines"][number]): string {
  return `${pgQualified(r.schema, r.name)}(${r.args.join(", ")})`;
}

/**
 * The one privilege of each declared routine (EXECUTE) and type or domain (USAGE), for every role
 * (PostgreSQL's privilege function) and for PUBLIC (its own ACL entry, the default one where there
 * is none), and the grant options the reference gives.
 */
async function routineAndTypeMismatches(session: SqlSession, reference: Reference): Promise<Mismatch[]> {
  return singlePrivilegeMismatches(session, reference, [
    ...reference.routines.map((r) => ({
      what: `EXECUTE on ${routineSignature(r)}`,
      text: routineSignature(r),
      catalog: "routine" as const,
      allowed: (role: string) => reference.executes(role, r.schema, r.id),
      grantable: (role: string) => reference.executesWithGrantOption(role, r.schema, r.id),
    })),
    ...reference.types.map((t) => ({
      what: `USAGE on ${t.kind} ${pgQualified(t.schema, t.name)}`,
      text: pgQualified(t.schema, t.name),
      catalog: "type" as const,
      allowed: (role: string) => reference.usesType(role, t.schema, t.name),
      grantable: (role: string) => reference.usesTypeWithGrantOption(role, t.schema, t.name),
    })),
  ]);
}

async function singlePrivilegeMismatches(session: SqlSession, reference: Reference, items: readonly { what: string; text: string; catalog: "routine" | "type"; allowed: (role: string) => boolean; grantable: (role: string) => boolean }[]): Promise<Mismatch[]> {
  const asks = [...reference.roles.map((r) => r.name), PUBLIC].flatMap((role) => items.map((item) => ({ role, item })));
  if (asks.length === 0) return [];
  const rows = await session.query<{ i: number; allowed: boolean | null; grantable: boolean | null }>(
    `SELECT a.i,
            CASE WHEN a.catalog = 'routine' AND a.role = 'PUBLIC' THEN EXISTS (SELECT FROM pg_catalog.pg_proc p, pg_catalog.aclexplode(COALESCE(p.proacl, pg_catalog.acldefault('f', p.proowner))) x
                                                     WHERE p.oid = pg_catalog.to_regprocedure(a.text) AND x.grantee = 0 AND x.privilege_type = 'EXECUTE')
                 WHEN a.catalog = 'routine' THEN pg_catalog.has_function_privilege(a.role, pg_catalog.to_regprocedure(a.text), 'EXECUTE')
                 WHEN a.role = 'PUBLIC' THEN EXISTS (SELECT FROM pg_catalog.pg_type t, pg_catalog.aclexplode(COALESCE(t.typacl, pg_catalog.acldefault('T', t.typowner))) x
                                                     WHERE t.oid = pg_catalog.to_regtype(a.text) AND x.grantee = 0 AND x.privilege_type = 'USAGE')
                 ELSE pg_catalog.has_type_privilege(a.role, pg_catalog.to_regtype(a.text), 'USAGE') END AS allowed,
            a.role <> 'PUBLIC' AND CASE WHEN a.catalog = 'routine' THEN pg_catalog.has_function_privilege(a.role, pg_catalog.to_regprocedure(a.text), 'EXECUTE WITH GRANT OPTION')
                                        ELSE pg_catalog.has_type_privilege(a.role, pg_catalog.to_regtype(a.text), 'USAGE WITH GRANT OPTION') END AS grantable
       FROM pg_catalog.json_to_recordset($1::json) AS a(i int, role text, text text, catalog text)`,
    [JSON.stringify(asks.map((a, i) => ({ i, role: a.role, text: a.item.text, catalog: a.item.catalog })))],
  );
  const mismatches: Mismatch[] = [];
  for (const row of rows) {
    const { role, item } = asks[row.i]!;
    const how = item.catalog === "routine" ? "has_function_privilege" : "has_type_privilege";
    const expected = item.allowed(role);
    if (row.allowed !== expected) mismatches.push({ role, what: item.what, expected: allowedWord(expected), actual: row.allowed === null ? `missing ${item.catalog}` : allowedWord(row.allowed), how });
    const grantable = role !== PUBLIC && item.grantable(role);
    if (row.grantable !== grantable) mismatches.push({ role, what: `${item.what} WITH GRANT OPTION`, expected: grantable ? "grantable" : "no grant option", actual: row.grantable ? "grantable" : "no grant option", how });
  }
  return mismatches;
}

async function schemaMismatches(session: SqlSession, reference: Reference): Promise<Mismatch[]> {
  const schemas = [...new Set(reference.objects.map((o) => o.schema))];
  // usage: whether the role must hold USAGE; null for PUBLIC, which may keep it (the README says plan leaves it), but not CREATE.
  const asks: { role: string; schema: string; usage: boolean | null; create: boolean }[] = [
    ...reference.roles.flatMap((r) => schemas.map((schema) => ({ role: r.name, schema, usage: reference.usesSchema(r.name, schema), create: reference.createsIn(r.name, schema) }))),
    // Without a public block PUBLIC may keep USAGE (plan leaves it); with one it holds exactly what the block says.
    ...schemas.map((schema) => ({ role: "public", schema, usage: reference.publicManaged ? reference.usesSchema(PUBLIC, schema) : null, create: reference.publicManaged && reference.createsIn(PUBLIC, schema) })),
  ];
  const rows = await session.query<{ i: number; usage: boolean; create: boolean; grantable: boolean; create_grantable: boolean }>(
    `SELECT a.i, pg_catalog.has_schema_privilege(a.role, a.schema, 'USAGE') AS usage, pg_catalog.has_schema_privilege(a.role, a.schema, 'CREATE') AS create,
            pg_catalog.has_schema_privilege(a.role, a.schema, 'USAGE WITH GRANT OPTION') AS grantable,
            pg_catalog.has_schema_privilege(a.role, a.schema, 'CREATE WITH GRANT OPTION') AS create_grantable
       FROM pg_catalog.json_to_recordset($1::json) AS a(i int, role text, schema text)`,
    [JSON.stringify(asks.map((a, i) => ({ i, role: a.role, schema: a.schema })))],
  );
  const mismatches: Mismatch[] = [];
  // Without a public block, what PUBLIC keeps is the database's: every role holds it too.
  const publicKeeps = new Set(rows.filter((r) => asks[r.i]!.role === "public" && r.usage).map((r) => asks[r.i]!.schema));
  for (const row of rows) {
    const a = asks[row.i]!;
    const what = (p: string) => `${p} on schema ${JSON.stringify(a.schema)}`;
    if (a.usage !== null && !reference.publicManaged && a.role !== "public" && publicKeeps.has(a.schema)) a.usage = true;
    if (a.usage !== null && row.usage !== a.usage) {
      mismatches.push({ role: a.role, what: what("USAGE"), expected: allowedWord(a.usage), actual: allowedWord(row.usage), how: "has_schema_privilege" });
    }
    if (row.create !== a.create) mismatches.push({ role: a.role, what: what("CREATE"), expected: allowedWord(a.create), actual: allowedWord(row.create), how: "has_schema_privilege" });
    if (a.role === "public") continue;
    for (const [verb, held] of [["usage", row.grantable], ["create", row.create_grantable]] as const) {
      const expected = reference.onSchemaWithGrantOption(a.role, a.schema, verb);
      if (held !== expected) mismatches.push({ role: a.role, what: what(`${verb.toUpperCase()} WITH GRANT OPTION`), expected: expected ? "grantable" : "no grant option", actual: held ? "grantable" : "no grant option", how: "has_schema_privilege" });
    }
  }
  return mismatches;
}

/** CONNECT, TEMPORARY and CREATE on the database, and the grant option where a line declares it, once the program says anything of it. */
async function databaseMismatches(session: SqlSession, reference: Reference): Promise<Mismatch[]> {
  if (!reference.managesDatabase) return [];
  const verbs = ["connect", "temporary", "create"] as const;
  const asks = [...reference.roles.map((r) => r.name), ...(reference.publicManaged ? [PUBLIC] : [])].flatMap((role) => verbs.map((verb) => ({ role, verb })));
  const rows = await session.query<{ i: number; allowed: boolean; grantable: boolean }>(
    `SELECT a.i, CASE WHEN a.role = 'PUBLIC' THEN EXISTS (SELECT FROM pg_catalog.aclexplode((SELECT datacl FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())) x WHERE x.grantee = 0 AND x.privilege_type = a.verb)
                 ELSE pg_catalog.has_database_privilege(a.role, pg_catalog.current_database(), a.verb) END AS allowed,
            a.role <> 'PUBLIC' AND pg_catalog.has_database_privilege(a.role, pg_catalog.current_database(), a.verb || ' WITH GRANT OPTION') AS grantable
       FROM pg_catalog.json_to_recordset($1::json) AS a(i int, role text, verb text)`,
    [JSON.stringify(asks.map((a, i) => ({ i, role: a.role, verb: a.verb.toUpperCase() })))],
  );
  const mismatches: Mismatch[] = [];
  // Without a public block PUBLIC's privileges on the database are the database's (the ones it kept): every role holds them too.
  const publicHolds = await session.query<{ verb: string }>(
    `SELECT lower(x.privilege_type) AS verb FROM pg_catalog.aclexplode((SELECT datacl FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())) x WHERE x.grantee = 0`,
  );
  const keptByPublic = new Set(reference.publicManaged ? [] : publicHolds.map((r) => r.verb));
  for (const row of rows) {
    const a = asks[row.i]!;
    const expected = reference.onDatabase(a.role, a.verb) || keptByPublic.has(a.verb);
    const what = `${a.verb.toUpperCase()} on the database`;
    if (row.allowed !== expected) mismatches.push({ role: a.role, what, expected: allowedWord(expected), actual: allowedWord(row.allowed), how: "has_database_privilege" });
    const grantable = a.role !== PUBLIC && reference.onDatabaseWithGrantOption(a.role, a.verb);
    if (row.grantable !== grantable) mismatches.push({ role: a.role, what: `${what} WITH GRANT OPTION`, expected: grantable ? "grantable" : "no grant option", actual: row.grantable ? "grantable" : "no grant option", how: "has_database_privilege" });
  }
  return mismatches;
}

/**
 * Each role as docs/language.md says it is: LOGIN or not, its connection limit, its comment, no
 * power the language never grants, INHERIT, members of exactly their declared parents without
 * ADMIN OPTION (default privileges: defaultPrivilegeMismatches).
 */
export async function postgresRoleMismatches(session: SqlSession, reference: Reference): Promise<Mismatch[]> {
  const names = JSON.stringify(reference.roles.map((r) => r.name));
  const roles = await session.query<{
    rolname: string;
    rolcanlogin: boolean;
    rolconnlimit: number;
    rolsuper: boolean;
    rolcreaterole: boolean;
    rolcreatedb: boolean;
    rolreplication: boolean;
    rolbypassrls: boolean;
    rolinherit: boolean;
    comment: string | null;
    valid_until: string;
  }>(
    `SELECT r.rolname, r.rolcanlogin, r.rolconnlimit, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls, r.rolinherit,
            CASE WHEN r.rolvaliduntil IS NULL OR r.rolvaliduntil = 'infinity' THEN 'infinity'
                 ELSE pg_catalog.to_char(r.rolvaliduntil AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') END AS valid_until,
            pg_catalog.shobj_description(r.oid, 'pg_authid') AS comment
       FROM pg_catalog.pg_roles r WHERE r.rolname IN (SELECT pg_catalog.json_array_elements_text($1::json))`,
    [names],
  );
  const members = await session.query<{ child: string; parent: string; admin_option: boolean; inherit_option: string | null }>(
    `SELECT c.rolname AS child, p.rolname AS parent, m.admin_option, pg_catalog.to_jsonb(m) ->> 'inherit_option' AS inherit_option
       FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles c ON c.oid = m.member JOIN pg_catalog.pg_roles p ON p.oid = m.roleid
      WHERE c.rolname IN (SELECT pg_catalog.json_array_elements_text($1::json))`,
    [names],
  );
  const settings = await session.query<{ role: string; entry: string }>(
    `SELECT r.rolname AS role, c AS entry FROM pg_catalog.pg_db_role_setting s JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
       CROSS JOIN LATERAL unnest(s.setconfig) c
      WHERE s.setdatabase = 0 AND r.rolname IN (SELECT pg_catalog.json_array_elements_text($1::json))`,
    [names],
  );
  const settingsHere = await session.query<{ role: string; entry: string }>(
    `SELECT r.rolname AS role, c AS entry FROM pg_catalog.pg_db_role_setting s JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
       JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase CROSS JOIN LATERAL unnest(s.setconfig) c
      WHERE d.datname = pg_catalog.current_database() AND r.rolname IN (SELECT pg_catalog.json_array_elements_text($1::json))`,
    [names],
  );
  // "Once a line says `in database`": until then a program says nothing of them.
  const settingsHereManaged = reference.roles.some((r) => r.databaseSettings.length > 0);
  const mismatches: Mismatch[] = [];
  for (const expected of reference.roles) {
    const add = (what: string, want: unknown, got: unknown) => {
      if (JSON.stringify(want) !== JSON.stringify(got)) mismatches.push({ role: expected.name, what, expected: JSON.stringify(want), actual: JSON.stringify(got), how: "pg_roles / pg_auth_members" });
    };
    const r = roles.find((x) => x.rolname === expected.name);
    if (!r) {
      mismatches.push({ role: expected.name, what: "the role", expected: "exists", actual: "missing", how: "pg_roles" });
      continue;
    }
    add("LOGIN", expected.login, r.rolcanlogin);
    add("CONNECTION LIMIT", expected.connectionLimit, r.rolconnlimit);
    add("COMMENT", expected.doc, r.comment);
    const declared = (attribute: string) => expected.attributes.includes(attribute);
    const inherit = !declared("noinherit");
    add(
      "powers (superuser, createrole, createdb, replication, bypassrls)",
      [false, declared("createrole"), declared("createdb"), declared("replication"), declared("bypassrls")],
      [r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls],
    );
    add("settings in every database", await storedSettings(session, expected.settings), settings.filter((s) => s.role === expected.name).map((s) => s.entry).sort());
    if (settingsHereManaged) add("settings in this database", await storedSettings(session, expected.databaseSettings), settingsHere.filter((s) => s.role === expected.name).map((s) => s.entry).sort());
    add("INHERIT", inherit, r.rolinherit);
    // No end is NULL or infinity in pg_roles, which PostgreSQL treats alike.
    if (expected.validUntil !== undefined) add("VALID UNTIL", expected.validUntil, r.valid_until);
    const held = members.filter((m) => m.child === expected.name);
    add("member of", [...expected.parents].sort(), [...new Set(held.map((m) => m.parent))].sort());
    add("ADMIN OPTION on memberships", [...expected.adminOf].sort(), [...new Set(held.filter((m) => m.admin_option).map((m) => m.parent))].sort());
    // PostgreSQL 16 and later: each membership's own option, which follows the role's (null before 16).
    add("a membership whose INHERIT option is not the role's", false, held.some((m) => m.inherit_option !== null && m.inherit_option !== String(inherit)));
  }
  return mismatches;
}

/**
 * How pg_db_role_setting holds declared settings, as the PostgreSQL documentation describes
 * ALTER ROLE ... SET: `name=value`, and for search_path its items joined by ", ", each quoted as
 * an identifier where it needs quotes (the server's quote_ident says which).
 */
async function storedSettings(session: SqlSession, settings: readonly { readonly parameter: string; readonly values: readonly string[] }[]): Promise<string[]> {
  const entries: string[] = [];
  for (const s of settings) {
    if (s.parameter !== "search_path") {
      entries.push(`${s.parameter}=${s.values.join(", ")}`);
      continue;
    }
    const quoted: string[] = [];
    for (const v of s.values) quoted.push((await session.query<{ q: string }>("SELECT pg_catalog.quote_ident($1) AS q", [v]))[0]!.q);
    entries.push(`${s.parameter}=${quoted.join(", ")}`);
  }
  return entries.sort();
}
