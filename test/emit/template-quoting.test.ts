import test from "ava";
import Handlebars from "handlebars";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { targetsDirectory } from "../../src/engine/templates.js";

// Every value in generated SQL must pass through a dialect quoting helper. Templates may only
// print through these helpers; block helpers (#each, #if, #unless, #dollar) structure the text.
// `procedures`, `helperGuard`, `appendOnlySection`, `steps`, `preflight` and `checkQuery` insert another template of the same
// target, itself checked here.
const printingHelpers = new Set([
  "ident", "qualified", "literal", "literalRows", "comment", "int", "identList", "literalList", "objectKeyword", "privilegeList",
  "grantee", "granteeList", "bool", "procedure",
  // Whole statements (and one condition) from src/engine/postgres/statements.ts, which quotes every name itself.
  "createRole", "setRolePowers", "rolePowersDiffer", "setRoleSettings", "setRoleAttributes", "commentOnRole", "grantMembership", "grantSchemaPrivilege", "revokeSchemaPrivilege", "grantDatabasePrivileges", "revokeAllOnDatabase", "setRoleDatabaseSettings",
  "grantPrivileges", "revokePrivileges", "grantExecute", "grantServer", "revokeExecute", "routineLiteral", "grantTypeUsage", "revokeTypeUsage", "typeLiteral", "setRoleValidUntil", "createAccount", "lockAccount", "setAccountOptions", "grantRole",
  "grantDefaultPrivileges", "revokeAllDefaultPrivileges", "defaultObjectsLiteral", "objectKeywordLiteral",
]);
const blockHelpers = new Set(["each", "if", "unless", "dollar", "procedures", "helperGuard", "appendOnlySection", "steps", "preflight", "checkQuery"]);

/**
 * Whether a template line, before the given column, has opened a comment that runs to the end
 * of the line (`--`, and MySQL's `#`) or a block comment not yet closed. Mustaches and block
 * helpers are taken out first, so `{{#each}}` is not read as a `#` comment.
 */
function inComment(lines: readonly string[], line: number, column: number): boolean {
  const before = (lines[line - 1] ?? "").slice(0, column).replace(/\{\{[^}]*\}\}/g, "");
  const outsideQuotes = before.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`/g, "");
  return /--|#/.test(outsideQuotes) || outsideQuotes.lastIndexOf("/*") > outsideQuotes.lastIndexOf("*/");
}

/**
 * Every place a template prints something that does not go through a quoting helper, or that
 * prints inside a SQL comment through any helper but `comment`: a name quoted as an identifier
 * is safe in SQL, but a line break in it would end the comment and run the rest as SQL or as a
 * client command.
 */
function rawInterpolations(source: string): string[] {
  const problems: string[] = [];
  const lines = source.split("\n");
  const visit = (node: hbs.AST.Node | undefined): void => {
    if (!node) return;
    switch (node.type) {
      case "Program":
        for (const statement of (node as hbs.AST.Program).body) visit(statement);
        break;
      case "MustacheStatement": {
        const m = node as hbs.AST.MustacheStatement;
        const name = (m.path as hbs.AST.PathExpression).original;
        if (!printingHelpers.has(name) || m.params.length === 0 || !m.escaped) {
          problems.push(`line ${m.loc.start.line}: {{${name}${m.params.length ? " …" : ""}}}`);
        } else if (name !== "comment" && inComment(lines, m.loc.start.line, m.loc.start.column)) {
          problems.push(`line ${m.loc.start.line}: {{${name} …}} inside a comment; use {{comment …}}`);
        }
        break;
      }
      case "BlockStatement": {
        const b = node as hbs.AST.BlockStatement;
        const name = (b.path as hbs.AST.PathExpression).original;
        if (!blockHelpers.has(name)) problems.push(`line ${b.loc.start.line}: unknown block {{#${name}}}`);
        visit(b.program);
        visit(b.inverse);
        break;
      }
      case "PartialStatement":
      case "PartialBlockStatement":
      case "DecoratorBlock":
        problems.push(`line ${node.loc.start.line}: ${node.type} is not allowed`);
        break;
      default:
        break;
    }
  };
  visit(Handlebars.parse(source));
  return problems;
}

const templates = readdirSync(targetsDirectory, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith(".hbs"));

test("there are templates to check", (t) => {
  t.true(templates.length > 0);
});

for (const file of templates) {
  test(`template ${file} prints values only through quoting helpers`, (t) => {
    t.deepEqual(rawInterpolations(readFileSync(path.join(targetsDirectory, file), "utf8")), []);
  });
}

test("the check catches a raw interpolation, a triple-stash and a partial", (t) => {
  t.is(rawInterpolations("GRANT SELECT ON {{name}} TO x;").length, 1);
  t.is(rawInterpolations("GRANT {{{ident name}}};").length, 1);
  t.is(rawInterpolations("{{> other}}").length, 1);
  t.is(rawInterpolations("{{#each roles}}{{ident this}}{{/each}}").length, 0);
});

test("the check catches a quoting helper inside a comment, whatever kind of comment", (t) => {
  t.is(rawInterpolations("--   ALTER USER {{grantee name host}} IDENTIFIED BY '...';").length, 1);
  t.is(rawInterpolations("SELECT 1; # {{ident name}}").length, 1);
  t.is(rawInterpolations("/* for {{literal name}} */").length, 1);
  t.is(rawInterpolations("--   ALTER USER {{comment (grantee name host)}};").length, 0);
  t.is(rawInterpolations("/* done */ GRANT {{ident name}};").length, 0);
  t.is(rawInterpolations("SELECT '--', {{literal name}};").length, 0);
  t.is(rawInterpolations("{{#each roles}}{{ident this}}{{/each}}").length, 0);
});
