import test from "ava";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseFile, printFile } from "../../src/syntax/index.js";
import { loadSources } from "../../src/load/index.js";
import { examplesDir, exampleNames, repoRoot } from "../helpers/program.js";

const kitchenSinkPath = path.join(repoRoot, "test/syntax/kitchen-sink.roles");

function format(text: string): string {
  const parsed = parseFile({ path: "k.roles", text });
  if (parsed.diagnostics.length > 0) throw new Error(parsed.diagnostics.map((d) => d.message).join("\n"));
  return printFile(parsed.ast, parsed.comments, text);
}

/** The AST without positions, for comparing what two texts mean. */
function shape(text: string): unknown {
  return JSON.parse(JSON.stringify(parseFile({ path: "k.roles", text }).ast, (key, value) => (key === "span" ? undefined : value)));
}

test("printing the kitchen sink and parsing it back gives the same AST", (t) => {
  const text = readFileSync(kitchenSinkPath, "utf8");
  t.deepEqual(shape(format(text)), shape(text));
});

test("formatting twice changes nothing", (t) => {
  const once = format(readFileSync(kitchenSinkPath, "utf8"));
  t.is(format(once), once);
});

test("formatting keeps every comment", (t) => {
  const text = readFileSync(kitchenSinkPath, "utf8");
  const comments = (s: string) => parseFile({ path: "k.roles", text: s }).comments.map((c) => c.text);
  t.deepEqual(comments(format(text)), comments(text));
});

test("the kitchen sink formats to the reviewed canonical text", (t) => {
  const expected = readFileSync(path.join(repoRoot, "test/syntax/kitchen-sink.formatted.roles"), "utf8");
  t.is(format(readFileSync(kitchenSinkPath, "utf8")), expected);
});

for (const name of exampleNames) {
  test(`example ${name} is already formatted`, async (t) => {
    const { files } = await loadSources([path.join(examplesDir, name)]);
    for (const file of files) t.is(format(file.text), file.text, file.path);
  });
}

test("blank lines inside a block comment survive formatting byte for byte", (t) => {
  const text = "/* keep\n\n\n   this */\nrole r { select on s.t } // trailing   \n";
  t.is(format(text), "/* keep\n\n\n   this */\nrole r {\n  select on s.t\n} // trailing\n");
});

test("a /// comment after a closing brace stays the doc of the role that follows", (t) => {
  const text = "role a { select on s.t } /// Reads t for b\nrole b { select on s.t }\n";
  const out = format(text);
  t.is(out, "role a {\n  select on s.t\n}\n\n/// Reads t for b\nrole b {\n  select on s.t\n}\n");
  const docs = (s: string) => parseFile({ path: "k.roles", text: s }).ast.items.map((i) => (i.kind === "Role" ? i.doc : undefined));
  t.deepEqual(docs(out), docs(text));
});
