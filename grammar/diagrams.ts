import { createSyntaxDiagramsCode } from "chevrotain";
import { readFileSync, writeFileSync } from "node:fs";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { rolesParser } from "./parser.js";

/**
 * The railroad diagram page of the .roles grammar, generated from the parser itself. Chevrotain's
 * page loads its scripts and stylesheet from a CDN; here they are inlined, so the page works offline.
 */
export function grammarDiagramsHtml(): string {
  const diagramsDir = path.join(chevrotainPackageDir(), "diagrams");
  let html = createSyntaxDiagramsCode(rolesParser.getSerializedGastProductions(), { resourceBase: "@@/", css: "@@/diagrams.css" });
  html = html.replace(/<link rel='stylesheet' href='@@\/diagrams\.css'>/, () => `<style>\n${readFileSync(path.join(diagramsDir, "diagrams.css"), "utf8")}\n</style>`);
  html = html.replace(/<script src='@@\/([^']+)'><\/script>/g, (_, file: string) => `<script>\n${readFileSync(path.join(diagramsDir, file), "utf8")}\n</script>`);
  if (html.includes("@@/")) throw new Error("bug: a diagram resource was not inlined");
  return html.replace("<head>", "<head>\n<title>rolec: the .roles grammar</title>");
}

function chevrotainPackageDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.resolve("chevrotain")));
  while (!existsSync(path.join(dir, "diagrams", "diagrams.css"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("bug: chevrotain's diagrams folder is missing");
    dir = parent;
  }
  return dir;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const out = process.argv[2] ?? "docs/grammar.html";
  writeFileSync(out, grammarDiagramsHtml());
  process.stdout.write(`wrote ${out}\n`);
}
