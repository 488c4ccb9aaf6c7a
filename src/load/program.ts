import { checkProgram, type CheckOptions } from "../check/index.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Model } from "../model/ir.js";
import { parseFile, type ParsedFile } from "../syntax/parse.js";
import type { SourceFile } from "../source/source.js";

/** A program taken through the front end: parsed files, every diagnostic, and the model. */
export interface Program {
  readonly sources: readonly SourceFile[];
  readonly parsed: readonly ParsedFile[];
  readonly model: Model;
  readonly diagnostics: readonly Diagnostic[];
}

export function compileProgram(sources: readonly SourceFile[], options: CheckOptions = {}): Program {
  const parsed = sources.map((source) => parseFile(source));
  const { model, diagnostics } = checkProgram(parsed, sources, options);
  return { sources, parsed, model, diagnostics };
}
