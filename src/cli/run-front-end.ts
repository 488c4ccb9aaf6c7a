import { compileProgram, type Program } from "../load/program.js";
import { applyProjectSeverities, loadProjectConfig } from "../load/load-config.js";
import { loadSources, type LoadedSources } from "../load/load-sources.js";
import type { EngineName } from "../engine/index.js";
import { loadSnapshot } from "../load/load-snapshot.js";
import { failsCheck, type OutputFormat } from "./output.js";

export interface FrontEndOptions {
  readonly paths: readonly string[];
  /** The engines the program is checked for: their own limits are checked too (mysql has some). */
  readonly engines?: readonly EngineName[];
  readonly format: OutputFormat;
  readonly strict: boolean;
  readonly color: boolean | undefined;
  /** A schema snapshot (`rolec pull`) whose objects count as declared. */
  readonly snapshot?: string | undefined;
}

export interface CheckedProgram {
  readonly loaded: LoadedSources;
  readonly program: Program;
  /** Whether the diagnostics stop the command: any error, or any warning under --strict. */
  readonly fails: boolean;
}

/** Loads every source and runs the whole front end; the caller decides how to report. */
export async function runFrontEnd(options: FrontEndOptions): Promise<CheckedProgram> {
  const loaded = await loadSources(options.paths);
  const snapshot = options.snapshot === undefined ? undefined : await loadSnapshot(options.snapshot, loaded.root);
  const config = await loadProjectConfig(loaded.root);
  const compiled = compileProgram(loaded.files, { databases: options.engines ?? [], lints: true, ...(snapshot ? { snapshot } : {}) });
  const program = { ...compiled, diagnostics: applyProjectSeverities(compiled.diagnostics, config) };
  return { loaded, program, fails: failsCheck(program.diagnostics, options.strict) };
}
