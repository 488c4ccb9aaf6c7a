import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compileProgram, loadSources, type Program } from "../../src/load/index.js";
import { renderDiagnostic } from "../../src/diagnostics/index.js";
import type { SourceFile } from "../../src/syntax/index.js";
import type { CheckOptions } from "../../src/check/index.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const examplesDir = path.join(repoRoot, "examples");
export const exampleNames = readdirSync(examplesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && readdirSync(path.join(examplesDir, e.name), { recursive: true }).some((f) => String(f).endsWith(".roles")))
  .map((e) => e.name)
  .sort();

/** Checks source text given inline: one file, or several as `{ path: text }`. */
export function programOf(source: string | Record<string, string>, options: CheckOptions = {}): Program {
  const files: SourceFile[] = typeof source === "string" ? [{ path: "test.roles", text: source }] : Object.entries(source).map(([p, text]) => ({ path: p, text }));
  return compileProgram(files, options);
}

export async function exampleProgram(name: string, options: CheckOptions = {}): Promise<Program> {
  const loaded = await loadSources([path.join(examplesDir, name)]);
  return compileProgram(loaded.files, options);
}

/** Diagnostics as the CLI prints them, without colour. */
export function renderedDiagnostics(program: Program): string {
  const texts = new Map(program.sources.map((s) => [s.path, s.text]));
  return program.diagnostics.map((d) => renderDiagnostic(d, { texts, color: false })).join("\n") + (program.diagnostics.length > 0 ? "\n" : "");
}

/**
 * Compares text with a reviewed expectation file. ROLEC_UPDATE_EXPECT=1 rewrites the file instead,
 * after which `git diff` shows what changed for review.
 */
export function matchesExpectation(actual: string, expectationPath: string): { ok: boolean; expected: string } {
  if (process.env.ROLEC_UPDATE_EXPECT === "1") {
    writeFileSync(expectationPath, actual);
    return { ok: true, expected: actual };
  }
  const expected = existsSync(expectationPath) ? readFileSync(expectationPath, "utf8") : "<no expectation file: run with ROLEC_UPDATE_EXPECT=1>";
  return { ok: actual === expected, expected };
}
