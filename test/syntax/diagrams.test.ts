import test from "ava";
import { readFileSync } from "node:fs";
import path from "node:path";
import { grammarDiagramsHtml } from "../../grammar/diagrams.js";
import { repoRoot } from "../helpers/program.js";

test("docs/grammar.html is generated from the current parser (npm run diagrams)", (t) => {
  t.is(readFileSync(path.join(repoRoot, "docs/grammar.html"), "utf8"), grammarDiagramsHtml());
});

test("the diagram page loads nothing from the network", (t) => {
  const html = grammarDiagramsHtml();
  t.false(/<script[^>]+src=/i.test(html));
  t.false(/<link[^>]+href=/i.test(html));
  for (const rule of ["schemaBlock", "roleBlock", "grant", "exclusion"]) t.true(html.includes(rule), rule);
});
