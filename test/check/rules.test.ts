import test from "ava";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { diagnosticCodes } from "../../src/diagnostics/index.js";
import { sha256 } from "../../src/model/digest.js";
import { parseSnapshot } from "../../src/snapshot/index.js";
import { programOf, matchesExpectation, renderedDiagnostics, repoRoot } from "../helpers/program.js";

// Cases of the checker's rules, each an input and its exact diagnostics, reviewed like code:
//
// - `cases/RC0103-unknown-column.roles` must produce RC0103; `.expected` beside it holds every
//   diagnostic it produces.
// - `cases/RC0103-column-that-exists.ok.roles` must NOT produce RC0103: a near miss, the closest
//   input that is fine (the column does exist, the name is exactly at the limit). Its `.expected`
//   holds whatever else it produces, usually nothing. Every code with error cases has one.
// - `cases/ok-NAME.roles` produces no diagnostics at all.
//
// A case whose first line is `// target: mysql` (or `postgres`) is checked as `rolec check
// --target mysql` (or `postgres`) would; others with no target's own checks;
// one with a `cases/NAME.snapshot.json` beside it (NAME without `.roles`) is checked with that
// snapshot, as `--snapshot` would.
const casesDir = path.join(repoRoot, "test/check/cases");
const cases = readdirSync(casesDir).filter((f) => f.endsWith(".roles")).sort();

/** The code a case is about, and whether it must produce it or must not. */
function caseKind(file: string): { code: string; produces: boolean } | undefined {
  const match = /^(RC\d{4})-.*?(\.ok)?\.roles$/.exec(file);
  return match ? { code: match[1]!, produces: match[2] === undefined } : undefined;
}

for (const file of cases) {
  const name = file.replace(/\.roles$/, "");
  test(`checker case ${name}`, (t) => {
    const text = readFileSync(path.join(casesDir, file), "utf8");
    const snapshotFile = path.join(casesDir, `${name}.snapshot.json`);
    const snapshotText = existsSync(snapshotFile) ? readFileSync(snapshotFile, "utf8") : undefined;
    const program = programOf(
      { [file]: text },
      {
        ...(text.startsWith("// target: mysql\n") ? { databases: ["mysql"] as const } : text.startsWith("// target: postgres\n") ? { databases: ["postgres"] as const } : {}),
        // The review lints' own cases run them; the others show what every caller of the library sees.
        ...(file.startsWith("RC10") ? { lints: true } : {}),
        ...(snapshotText === undefined ? {} : { snapshot: { path: `${name}.snapshot.json`, sha256: sha256(snapshotText), snapshot: parseSnapshot(snapshotText, snapshotFile) } }),
      },
    );
    const actual = renderedDiagnostics(program);
    const kind = caseKind(file);
    if (!kind) t.deepEqual(program.diagnostics, [], "an ok- case has no diagnostics");
    else if (kind.produces) t.true(program.diagnostics.some((d) => d.code === kind.code), `the case must produce ${kind.code}`);
    else t.false(program.diagnostics.some((d) => d.code === kind.code), `the case must not produce ${kind.code}`);
    const { ok, expected } = matchesExpectation(actual, path.join(casesDir, `${name}.expected`));
    t.true(ok, `diagnostics differ from ${name}.expected:\n--- expected\n${expected}\n--- actual\n${actual}`);
  });
}

test("every diagnostic code has a checker case", (t) => {
  const covered = new Set(cases.map(caseKind).filter((k) => k?.produces).map((k) => k!.code));
  const missing = Object.keys(diagnosticCodes).filter((code) => !covered.has(code));
  t.deepEqual(missing, []);
});

test("every code with a case that produces it has a case that must not", (t) => {
  const kinds = cases.map(caseKind).filter((k) => k !== undefined);
  const withNearMiss = new Set(kinds.filter((k) => !k.produces).map((k) => k.code));
  const missing = [...new Set(kinds.filter((k) => k.produces).map((k) => k.code))].filter((code) => !withNearMiss.has(code));
  t.deepEqual(missing, [], "add cases/CODE-NAME.ok.roles, the closest input that must not produce CODE");
});

test("the README's diagnostics table lists every code", (t) => {
  const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const missing = Object.keys(diagnosticCodes).filter((code) => !readme.includes(`| ${code} |`));
  t.deepEqual(missing, []);
});

test("declarations may be split across files in any order", (t) => {
  const program = programOf({
    "b/roles.roles": "role app { member of base\n  insert on s.t }",
    "a/schema.roles": "schema s { table t (a) }",
    "c/base.roles": "role base { select on s.t }",
  });
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(
    program.model.grants.map((g) => `${g.role} ${g.verb} ${g.object.schema}.${g.object.name}`),
    ["app insert s.t", "base select s.t"],
  );
});

test("a wildcard expands to the declared tables and views only, never sequences", (t) => {
  const program = programOf("schema s { table t (a)\n view v (a)\n sequence q }\nrole r { select on s.* }");
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(program.model.grants.map((g) => g.object.name), ["t", "v"]);
});

test("except on columns turns a table grant into a column grant over the rest", (t) => {
  const program = programOf("schema s { table c (id, email, ssn) }\nrole r { select, update, delete on s.c except s.c(ssn) }");
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(
    program.model.grants.map((g) => [g.verb, g.columns]),
    [["select", ["id", "email"]], ["update", ["id", "email"]], ["delete", "all"]],
  );
});

test("all on an append-only table keeps only select and insert", (t) => {
  const program = programOf("schema s { append_only table log (id) }\nrole r { all on s.log }");
  t.deepEqual(program.diagnostics.map((d) => d.code), ["RC0502"]);
  t.deepEqual(program.model.grants.map((g) => g.verb), ["select", "insert"]);
});

test("names are exact: case and quotes are kept", (t) => {
  const program = programOf('schema "Sales" { table "Order Lines" ("Qty", "say ""hi""") }\nrole "Ops Team" { select ("say ""hi""") on "Sales"."Order Lines" }');
  t.deepEqual(program.diagnostics, []);
  t.deepEqual(program.model.grants[0], {
    ...program.model.grants[0]!,
    role: "Ops Team",
    object: { schema: "Sales", name: "Order Lines" },
    columns: ['say "hi"'],
  });
});

test("every code's severity is what the checker reports", (t) => {
  const program = programOf("schema s { table t (a) }\nrole r {}\nrole q { select on s.t\n select on s.t }");
  for (const d of program.diagnostics) t.is(d.severity, diagnosticCodes[d.code].severity);
  t.deepEqual(program.diagnostics.map((d) => d.code), ["RC0803", "RC0801"]);
});
