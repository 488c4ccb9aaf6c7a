import test from "ava";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { tempDir } from "../helpers/cli.js";
import { repoRoot } from "../helpers/program.js";

// What a command loads decides how fast it starts (docs/benchmarks.md): `rolec check` and
// `rolec --version` must not load the script templates (Handlebars), the database drivers or the
// embedded PostgreSQL. Asked of Node itself: a module hook records every module the built
// command line resolves, and the bundle's chunks name the packages they hold in comments.

function loadedBy(args: readonly string[]): { modules: string[]; bundled: string } {
  const dir = tempDir();
  const log = path.join(dir, "loaded.txt");
  const hooks = path.join(dir, "hooks.mjs");
  writeFileSync(log, "");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, resolved.url + "\\n");
  return resolved;
}\n`,
  );
  const register = `data:text/javascript,import { register } from "node:module"; register(${encodeURIComponent(JSON.stringify(pathToFileURL(hooks).href))});`;
  const result = spawnSync(process.execPath, ["--import", register, path.join(repoRoot, "dist/cli/rolec.js"), ...args], { cwd: repoRoot, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`rolec ${args.join(" ")} exited with ${result.status}: ${result.stderr}`);
  const modules = readFileSync(log, "utf8").split("\n").filter(Boolean);
  // The bundle's own files, read back: esbuild heads each bundled package's code with its path.
  const bundled = modules.filter((url) => url.startsWith("file:") && url.includes("/dist/cli/")).map((url) => readFileSync(new URL(url), "utf8")).join("\n");
  return { modules, bundled };
}

const heavy = ["pg", "mysql2", "@electric-sql/pglite", "pg-protocol", "libpg-query"];

for (const args of [["check", "examples/shop"], ["--version"]]) {
  test(`rolec ${args.join(" ")} loads neither the templates, the drivers, the embedded PostgreSQL nor PostgreSQL's parser`, (t) => {
    const { modules, bundled } = loadedBy(args);
    t.true(modules.some((url) => url.endsWith("/dist/cli/rolec.js")), "the hook saw the command line load");
    for (const name of heavy) t.false(modules.some((url) => url.includes(`/node_modules/${name}/`)), name);
    t.false(bundled.includes("node_modules/handlebars/"), "Handlebars");
    t.false(bundled.includes("dist/src/engine/postgres/script/"), "the PostgreSQL script renderer");
  });
}

test("rolec compile does load the templates: the hook sees what it is asked about", (t) => {
  const { modules, bundled } = loadedBy(["compile", "examples/shop", "--out", path.join(tempDir(), "out")]);
  t.true(bundled.includes("node_modules/handlebars/"));
  // compile reaches the engine record, which offers the SQL parser: it must load only when asked for.
  t.false(modules.some((url) => url.includes("/node_modules/libpg-query/")), "PostgreSQL's parser");
});
