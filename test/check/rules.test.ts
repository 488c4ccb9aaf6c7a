import test from "ava";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { diagnosticCodes } from "../../src/diagnostics/index.js";
import { sha256 } from "../../src/model/digest.js";
import { parseSnapshot } from "../../src/snapshot/index.js";
import { programOf, matchesExpectation, renderedDiagnostics, repoRoot } from "../helpers/program.js";

// One case per checker rule: `cases/RC0103-unknown-column.roles` holds the input and
// `cases/RC0103-unknown-column.expected` the exact diagnostics, reviewed like code. A case whose
// first line is `// target: mysql` is checked as `rolec check --target mysql` would; one with a
// `cases/NAME.snapshot.json` beside it is checked with that snapshot, as `--snapshot` would.
const casesDir = path.join(repoRoot, "test/check/cases");
const cases = readdirSync(casesDir).filter((f) => f.endsWith(".roles")).sort();

for (const file of cases) {
  const name = file.replace(/\.roles$/, "");
  test(`checker case ${name}`, (t) => {
    const text = readFileSync(path.join(casesDir, file), "utf8");
    const snapshotFile = path.join(casesDir, `${name}.snapshot.json`);
    const snapshotText = existsSync(snapshotFile) ? readFileSync(snapshotFile, "utf8") : undefined;
    const program = programOf(
      { [file]: text },
      {
        ...(text.startsWith("// target: mysql\n") ? { databases: ["mysql"] as const } : {}),
        ...(snapshotText === undefined ? {} : { snapshot: { path: `${name}.snapshot.json`, sha256: sha256(snapshotText), snapshot: parseSnapshot(snapshotText, snapshotFile) } }),
      },
    );
    const actual = renderedDiagnostics(program);
    const code = /^(RC\d{4})-/.exec(name)?.[1];
    if (code) t.true(program.diagnostics.some((d) => d.code === code), `the case must produce ${code}`);
    else t.deepEqual(program.diagnostics, [], "an ok- case has no diagnostics");
    const { ok, expected } = matchesExpectation(actual, path.join(casesDir, `${name}.expected`));
    t.true(ok, `diagnostics differ from ${name}.expected:\n--- expected\n${expected}\n--- actual\n${actual}`);
  });
}

test("every diagnostic code has a checker case", (t) => {
  const covered = new Set(cases.map((f) => /^(RC\d{4})-/.exec(f)?.[1]).filter(Boolean));
  const missing = Object.keys(diagnosticCodes).filter((code) => !covered.has(code));
  t.deepEqual(missing, []);
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
