import test from "ava";
import { renderPostgres } from "../../src/engine/postgres/index.js";
import { formatName } from "../../src/syntax/index.js";
import { openPglite, verifyScript } from "../../src/engine/postgres/index.js";
import { programOf } from "../helpers/program.js";

// Names built to break naive SQL generation: quotes and backquotes, comment and statement
// separators, dollar-quote tags, backslashes, client commands (psql's \! and \gexec), unicode and bidi marks,
// reserved words, 63-byte names (in bytes, and in fewer characters), and names that a table, a
// role and the schema share.
const schemaName = `app'; DROP TABLE canary.alive; --`;
const tableNames = [`a"b`, "select", "has space", "ünïcödé", "\u202eevil", "$rolec$", "x".repeat(63), "é".repeat(31) + "x", "bang\\! x \\gexec", "back`tick", "MixedCase"];
const columnNames = [`c"1`, "--", "/* c */", "back\\slash", "user", "Ünï", "#hash \\c x"];
const roleNames = [`Robert'); DROP ROLE victim;--`, "$rolec$ role", "MixedCase", "role with \"quotes\"", "ß".repeat(31) + "a", "user", schemaName];

const source = `schema ${formatName(schemaName)} {
${tableNames.map((n) => `  table ${formatName(n)} (${columnNames.map(formatName).join(", ")})`).join("\n")}
  append_only table ${formatName("log'; --")} (${columnNames.map(formatName).join(", ")})
  sequence ${formatName("seq\\$rolec$")}
}
/// Doc with 'quotes', a backslash \\ and $rolec$ inside.
role ${formatName(roleNames[0]!)} {
  select on ${formatName(schemaName)}.* except ${formatName(schemaName)}.${formatName(tableNames[0]!)}(${formatName(columnNames[1]!)})
}
${roleNames
  .slice(1)
  .map((r, i) => `role ${formatName(r)} {\n  member of ${formatName(roleNames[i]!)}\n  insert (${formatName(columnNames[i]!)}) on ${formatName(schemaName)}.${formatName(tableNames[i + 1]!)}\n  usage on ${formatName(schemaName)}.${formatName("seq\\$rolec$")}\n}`)
  .join("\n")}
`;

test("hostile names compile to SQL that creates and grants exactly those names", async (t) => {
  const program = programOf(source);
  t.deepEqual(program.diagnostics.filter((d) => d.severity === "error"), []);
  const script = renderPostgres(program.model);
  const session = await openPglite();
  try {
    await session.exec("CREATE SCHEMA canary; CREATE TABLE canary.alive (x int); CREATE ROLE victim;");
    const report = await verifyScript(program.model, script, session);
    t.is(report.scriptError, undefined);
    t.deepEqual(report.mismatches, []);

    const roles = await session.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname = ANY ($1::text[]) ORDER BY rolname", [roleNames]);
    t.deepEqual(roles.map((r) => r.rolname), [...roleNames].sort((a, b) => (a < b ? -1 : 1)).filter((n, i, all) => all.indexOf(n) === i));
    const comment = await session.query<{ d: string }>("SELECT pg_catalog.shobj_description(oid, 'pg_authid') AS d FROM pg_roles WHERE rolname = $1", [roleNames[0]]);
    t.is(comment[0]?.d, "Doc with 'quotes', a backslash \\ and $rolec$ inside.");
    const grants = await session.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY ($2::text[])",
      [schemaName, tableNames],
    );
    t.is(grants[0]!.n, tableNames.length);
    const columns = await session.query<{ attname: string }>(
      "SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 ORDER BY a.attnum",
      [schemaName, tableNames[0]],
    );
    t.deepEqual(columns.map((c) => c.attname), columnNames);
    // Nothing but the generated statements ran: the canary table and the victim role are still there.
    t.deepEqual(await session.query("SELECT count(*)::int AS n FROM canary.alive"), [{ n: 0 }]);
    t.deepEqual(await session.query("SELECT rolname FROM pg_roles WHERE rolname = 'victim'"), [{ rolname: "victim" }]);
  } finally {
    await session.close();
  }
});
