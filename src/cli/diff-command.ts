import { existsSync } from "node:fs";
import { InputError } from "../diagnostics/input-error.js";
import { compileProgram, loadGitRevision, loadSources, type LoadedSources } from "../load/index.js";
import type { Model } from "../model/ir.js";
import { accessSnapshot, diffAccess, diffJson, hasChanges, renderDiffMarkdown, renderDiffText } from "../review/index.js";
import { failsCheck, printDiagnostics, useColor, writeStdout, writeStderr } from "./output.js";

export interface DiffOptions {
  readonly old: string;
  readonly new: string;
  readonly paths: readonly string[];
  readonly format: "text" | "markdown" | "json";
  readonly color: boolean | undefined;
}

/**
 * `rolec diff OLD NEW [paths..]`: the effective-access difference between two versions. Two words
 * that name directories or files on disk are read as such; otherwise they are git revisions, read
 * at the paths (the current directory by default). Exit 0 when nothing changes, 2 when access
 * changes, 1 when a version cannot be read or does not check.
 */
export async function diffCommand(options: DiffOptions): Promise<number> {
  // One after the other, so that when both are unreadable the message is always about OLD.
  const before = await readVersion(options.old, options);
  const after = await readVersion(options.new, options);
  const models: Model[] = [];
  for (const [label, loaded] of [[options.old, before], [options.new, after]] as const) {
    const program = compileProgram(loaded.files);
    if (failsCheck(program.diagnostics, false)) {
      printDiagnostics(program.diagnostics, loaded, options.format === "json" ? "json" : "text", useColor(options.color), { ok: false, version: label });
      writeStderr(`rolec diff: ${label} does not check; no difference computed\n`);
      return 1;
    }
    models.push(program.model);
  }
  const diff = diffAccess(accessSnapshot(models[0]!), accessSnapshot(models[1]!));
  if (options.format === "json") writeStdout(JSON.stringify(diffJson(diff, options.old, options.new), null, 2) + "\n");
  else if (options.format === "markdown") writeStdout(renderDiffMarkdown(diff, options.old, options.new));
  else writeStdout(renderDiffText(diff, options.old, options.new));
  return hasChanges(diff) ? 2 : 0;
}

async function readVersion(word: string, options: DiffOptions): Promise<LoadedSources> {
  if (options.paths.length > 0) return loadGitRevision(word, options.paths);
  const onDisk = [options.old, options.new].map((w) => existsSync(w));
  if (onDisk[0] && onDisk[1]) return loadSources([word]);
  if (!onDisk[0] && !onDisk[1]) return loadGitRevision(word, []);
  const [path, revision] = onDisk[0] ? [options.old, options.new] : [options.new, options.old];
  throw new InputError(`${JSON.stringify(path)} is a path and ${JSON.stringify(revision)} is not; compare two directories (rolec diff old/ new/) or two git revisions of a folder (rolec diff ${revision} HEAD ${path})`);
}
