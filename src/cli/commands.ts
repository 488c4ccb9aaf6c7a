import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { artifactFiles, eachArtifact, type Target } from "../emit/index.js";
import { engineFor, verified, type DatabaseTarget } from "../engine/index.js";
import { renderVerifyReport } from "../verify/index.js";
import type { Model } from "../model/ir.js";
import { printDiagnostics, useColor, writeStdout, writeStderr } from "./output.js";
import { runFrontEnd, type FrontEndOptions } from "./run-front-end.js";
import type { SessionTimeouts } from "../engine/session-timeouts.js";
import { StagedFiles } from "./write-files.js";
import { readPrivateKey, signatureFile, signatureNamespace, signSsh, type KeySource } from "../sign/index.js";

/**
 * `rolec compile`: writes the artifacts and manifest, or nothing at all when the program has
 * errors. With a signing key, also manifest.json.sig, an SSH signature of the manifest (which
 * holds every other file's SHA-256); the key is read before anything is written, and never shown.
 */
export async function compileCommand(options: FrontEndOptions & { out: string; targets: readonly Target[]; sign?: KeySource }): Promise<number> {
  const signingKey = options.sign ? readPrivateKey(options.sign) : undefined;
  const model = await modelToCompile(options);
  if (!model) return 1;
  const written: string[] = [];
  const staged = new StagedFiles();
  try {
    for (const artifact of eachArtifact(model, options.targets)) {
      if (artifact.path === "manifest.json" && signingKey) {
        const manifest = [...artifact.pieces].join("");
        await staged.stage(path.join(options.out, artifact.path), [manifest]);
        await staged.stage(path.join(options.out, signatureFile), [signSsh(Buffer.from(manifest, "utf8"), signatureNamespace, signingKey)]);
      } else {
        await staged.stage(path.join(options.out, artifact.path), artifact.pieces);
      }
      written.push(artifact.path);
    }
  } catch (error) {
    await staged.discard();
    throw error;
  }
  const stale = await staleArtifacts(options.out, new Set(written));
  await staged.commit();
  // An artifact of an earlier compile that this one did not produce would sit beside the new manifest unlisted;
  // an earlier signature would sign a manifest that is no longer there.
  for (const file of stale) await rm(path.join(options.out, file), { force: true });
  if (signingKey) written.push(signatureFile);
  else await rm(path.join(options.out, signatureFile), { force: true });
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
    const ours = new Set(artifactFiles);
    return manifest.artifacts.map((a) => a.path).filter((p): p is string => typeof p === "string" && ours.has(p) && !written.has(p));
  } catch {
    return [];
  }
}

/** `rolec verify`: proves the compiled (or a given) script enforces exactly the program, with real statements. */
export async function verifyCommand(
  options: FrontEndOptions & { script: string | undefined; db: string | undefined; target: DatabaseTarget; timeouts: SessionTimeouts },
): Promise<number> {
  const engine = engineFor(options.target);
  const { loaded, program, fails } = await runFrontEnd({ ...options, engines: [engine.name] });
  if (fails || options.format === "text") printDiagnostics(program.diagnostics, loaded, options.format, useColor(options.color), { ok: false });
  if (fails) return 1;
  const label = options.paths.length > 0 ? options.paths.join(" ") : ".";
  const report = await engine.verify(program.model, {
    db: options.db,
    script: options.script,
    timeouts: options.timeouts,
    announce: (where) => {
      if (options.format === "text") writeStderr(`rolec verify: ${where} for ${label}\n`);
    },
  });
  if (options.format === "json") writeStdout(JSON.stringify({ ok: verified(report), ...report }, null, 2) + "\n");
  else writeStdout(renderVerifyReport(report, label));
  return verified(report) ? 0 : 1;
}
