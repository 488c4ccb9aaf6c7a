import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { artifactFiles, eachArtifact, renderPostgres, type Target } from "../emit/index.js";
import { describeFsError } from "../load/index.js";
import { InputError } from "../diagnostics/index.js";
import type { Model } from "../model/ir.js";
import { printDiagnostics, useColor, type OutputFormat, writeStdout, writeStderr } from "./output.js";
import { runFrontEnd, type FrontEndOptions } from "./run-front-end.js";
import type { SessionTimeouts } from "../verify/session-timeouts.js";
import { StagedFiles } from "./write-files.js";

/** `rolec check`: every diagnostic, exit 1 on errors (or warnings with --strict). */
export async function checkCommand(options: FrontEndOptions): Promise<number> {
  const { loaded, program, fails } = await runFrontEnd(options);
  printDiagnostics(program.diagnostics, loaded, options.format, useColor(options.color), { ok: !fails, files: loaded.files.length });
  if (options.format === "text") {
    const summary = `${loaded.files.length} file${loaded.files.length === 1 ? "" : "s"}, ${program.model.roles.length} roles, ${program.model.objects.length} objects`;
    writeStderr(fails ? `rolec check: failed (${summary})\n` : `rolec check: ok (${summary})\n`);
  }
  return fails ? 1 : 0;
}

/** `rolec compile`: writes the artifacts and manifest, or nothing at all when the program has errors. */
export async function compileCommand(options: FrontEndOptions & { out: string; targets: readonly Target[] }): Promise<number> {
  const model = await modelToCompile(options);
  if (!model) return 1;
  const written: string[] = [];
  const staged = new StagedFiles();
  try {
    for (const artifact of eachArtifact(model, options.targets)) {
      await staged.stage(path.join(options.out, artifact.path), artifact.pieces);
      written.push(artifact.path);
    }
  } catch (error) {
    await staged.discard();
    throw error;
  }
  const stale = await staleArtifacts(options.out, new Set(written));
  await staged.commit();
  // An artifact of an earlier compile that this one did not produce would sit beside the new manifest unlisted.
  for (const file of stale) await rm(path.join(options.out, file), { force: true });
  if (options.format === "json") {
    writeStdout(JSON.stringify({ ok: true, out: options.out, artifacts: written, sourcesSha256: model.sourcesSha256 }, null, 2) + "\n");
  } else {
    for (const file of written) writeStdout(`wrote ${path.join(options.out, file)}\n`);
  }
  return 0;
}

/**
 * The front end for compile: prints the diagnostics and gives the model, or undefined when they
 * stop the command. Only the model outlives it: the syntax trees are let go before rendering.
 */
async function modelToCompile(options: FrontEndOptions & { out: string }): Promise<Model | undefined> {
  const { loaded, program, fails } = await runFrontEnd(options);
  if (fails || options.format === "text") printDiagnostics(program.diagnostics, loaded, options.format, useColor(options.color), { ok: false });
  if (fails) {
    if (options.format === "text") writeStderr(`rolec compile: nothing written to ${options.out}\n`);
    return undefined;
  }
  return program.model;
}

/** Artifacts the previous manifest in `out` lists that this compile does not write. Only rolec's own file names. */
async function staleArtifacts(out: string, written: ReadonlySet<string>): Promise<string[]> {
  const previous = await readFile(path.join(out, "manifest.json"), "utf8").catch(() => undefined);
  if (previous === undefined) return [];
  try {
    const manifest = JSON.parse(previous) as { format?: unknown; artifacts?: { path?: unknown }[] };
    if (manifest.format !== "rolec-manifest" || !Array.isArray(manifest.artifacts)) return [];
    const ours = new Set(Object.values(artifactFiles));
    return manifest.artifacts.map((a) => a.path).filter((p): p is string => typeof p === "string" && ours.has(p) && !written.has(p));
  } catch {
    return [];
  }
}

/** `rolec verify`: proves the compiled (or a given) script on an embedded PostgreSQL. */
export async function verifyCommand(
  options: FrontEndOptions & { script: string | undefined; db: string | undefined; target: "postgres" | "mysql"; timeouts: SessionTimeouts },
): Promise<number> {
  if (options.target === "mysql") {
    if (options.db === undefined) throw new InputError("verify --target mysql needs --db mysql://user:password@host:port (there is no embedded MySQL)");
    if (options.script !== undefined) throw new InputError("verify --target mysql cannot take --script: it compiles the script itself, for the scratch databases it creates");
  }
  const { loaded, program, fails } = await runFrontEnd({ ...options, targets: [options.target] });
  if (fails || options.format === "text") printDiagnostics(program.diagnostics, loaded, options.format, useColor(options.color), { ok: false });
  if (fails) return 1;
  if (options.target === "mysql") return verifyOnMysql(program.model, options.db!, options);
  const script =
    options.script === undefined
      ? renderPostgres(program.model)
      : await readFile(options.script, "utf8").catch((error: NodeJS.ErrnoException) => {
          throw new InputError(`cannot read ${JSON.stringify(options.script)}: ${describeFsError(error)}`);
        });
  const label = options.paths.length > 0 ? options.paths.join(" ") : ".";
  // Loaded here so that the other commands do not pay for starting the WebAssembly PostgreSQL.
  const { openPglite, renderVerifyReport, verifyScript, verified, withServerScratch, redactUrl } = await import("../verify/index.js");
  const run = async (session: Awaited<ReturnType<typeof openPglite>>) => {
    const report = await verifyScript(program.model, script, session);
    if (options.format === "json") writeStdout(JSON.stringify({ ok: verified(report), ...report }, null, 2) + "\n");
    else writeStdout(renderVerifyReport(report, label));
    return verified(report) ? 0 : 1;
  };
  if (options.db !== undefined) {
    if (options.format === "text") writeStderr(`rolec verify: using a scratch database on ${redactUrl(options.db)} for ${label}\n`);
    return withServerScratch(options.db, program.model, options.timeouts, run);
  }
  if (options.format === "text") writeStderr(`rolec verify: starting an embedded PostgreSQL (PGlite) for ${label}\n`);
  const session = await openPglite();
  try {
    return await run(session);
  } finally {
    await session.close();
  }
}

/** `rolec verify --target mysql --db URL`: the same proof on a MySQL/MariaDB server, in scratch databases. */
async function verifyOnMysql(model: Model, url: string, options: FrontEndOptions & { timeouts: SessionTimeouts }): Promise<number> {
  const { verifyMysql, renderVerifyReport, verified, redactUrl } = await import("../verify/index.js");
  const label = options.paths.length > 0 ? options.paths.join(" ") : ".";
  if (options.format === "text") writeStderr(`rolec verify: using scratch databases on ${redactUrl(url)} for ${label}\n`);
  const report = await verifyMysql(model, url, { timeouts: options.timeouts });
  if (options.format === "json") writeStdout(JSON.stringify({ ok: verified(report), ...report }, null, 2) + "\n");
  else writeStdout(renderVerifyReport(report, label));
  return verified(report) ? 0 : 1;
}
