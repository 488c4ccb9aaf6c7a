import test from "ava";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../helpers/program.js";

// The layering the README's Layout describes, read off the import statements: each folder has a rank,
// and a module may import only from its own folder or from a lower rank. Per-engine folders are
// reached only through the engine record (src/engine/index.ts), never from a stage directly.
const ranks: readonly [prefix: string, rank: number][] = [
  ["src/version.ts", 0],
  ["src/source/", 0],
  ["src/diagnostics/", 1],
  ["grammar/", 1],
  ["src/syntax/", 2],
  ["src/model/", 3],
  ["src/engine/postgres/", 5],
  ["src/engine/mysql/", 5],
  ["src/engine/index.ts", 6],
  ["src/engine/engines.ts", 6],
  ["src/engine/capabilities.ts", 6],
  ["src/engine/", 4],
  ["src/snapshot/", 7],
  ["src/check/", 8],
  ["src/load/", 9],
  ["src/emit/", 10],
  ["src/live/", 10],
  ["src/verify/", 10],
  ["src/enforce/", 10],
  ["src/audit/", 10],
  ["src/review/", 10],
  ["src/sign/", 10],
  ["src/import/", 10],
  ["src/migrate/", 11],
  ["src/proxy/", 11],
  ["src/cli/", 12],
];

function rankOf(file: string): { folder: string; rank: number } {
  for (const [prefix, rank] of ranks) if (file.startsWith(prefix)) return { folder: prefix, rank };
  throw new Error(`${file} is in no layer; give its folder a rank in this test`);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [relative] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(repoRoot, file), "utf8");
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.[^"]+)"/g)].map((m) => m[1]!);
  return specifiers.map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(file), s)).replace(/\.js$/, ".ts"));
}

const engineFolders = ["src/engine/postgres/", "src/engine/mysql/"];

function violations(): string[] {
  const found: string[] = [];
  for (const file of [...sourceFiles("src"), ...sourceFiles("grammar")]) {
    const from = rankOf(file);
    for (const target of importsOf(file)) {
      const to = rankOf(target);
      if (to.folder === from.folder) continue;
      if (to.rank > from.rank) found.push(`${file} imports ${target}, which is above it`);
      const engine = engineFolders.find((f) => target.startsWith(f));
      if (engine && !file.startsWith(engine) && !file.startsWith("src/engine/")) found.push(`${file} imports ${target}; stages reach an engine through src/engine/index.ts`);
      if (engine && from.rank === 5 && !file.startsWith(engine)) found.push(`${file} imports ${target}: one engine never imports another`);
    }
  }
  return found;
}

test("no module imports from a layer above its own, and only the engine record reaches an engine's folder", (t) => {
  t.deepEqual(violations(), []);
});
