import { generateCstDts } from "chevrotain";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { rolesParser } from "./parser.js";

/**
 * The types of the parser's concrete syntax tree (grammar/cst-types.ts): a `…CstNode` and a
 * `…CstChildren` type per rule, so that src/syntax/build-ast.ts reads the tree without casts.
 * They are generated from the parser itself, so they follow the grammar; the file is committed so
 * that building needs no generation step, and a test fails when it is stale. It is a .ts file
 * rather than a .d.ts so that the compiler checks it too (skipLibCheck skips declaration files).
 */
export function cstTypesSource(): string {
  const dts = generateCstDts(rolesParser.getGAstProductions(), { includeVisitorInterface: false });
  return `// Generated from grammar/parser.ts by \`npm run cst-types\`; do not edit.\n${dts}`;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const out = process.argv[2] ?? "grammar/cst-types.ts";
  writeFileSync(out, cstTypesSource());
  process.stdout.write(`wrote ${out}\n`);
}
