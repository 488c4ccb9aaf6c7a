// Bundles the compiled command line (dist/src/cli/main.js, from tsc) into dist/cli/: the entry
// rolec.js and one chunk per group of modules that load together. Node then opens a few dozen
// files at start instead of some four hundred (rolec's modules, Chevrotain's, yargs'), which was
// most of the time `rolec --version` and `rolec check` took before doing any work.
// esbuild: the bundler tsx already runs on, fast enough to bundle on every build (about 0.3 s).
// The database drivers, the embedded PostgreSQL and PostgreSQL's parser stay outside: they load
// only for the commands that need them, and PGlite and libpg-query find their WebAssembly files
// next to their own modules.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const outdir = path.join(root, "dist", "cli");
// Chunk names are content hashes: a stale one from an earlier build would linger unseen.
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { rolec: path.join(root, "dist", "src", "cli", "main.js") },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["pg", "pg-protocol", "mysql2", "@electric-sql/pglite", "libpg-query"],
  // Handlebars is CommonJS and calls require(); an ES module has none unless it makes one.
  banner: { js: "import { createRequire as rolecCreateRequire } from 'node:module';\nconst require = rolecCreateRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: "warning",
});
