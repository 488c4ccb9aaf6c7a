import { diagnosticCodes } from "../src/diagnostics/codes.js";
import { renderAllowlist } from "../src/emit/index.js";
import { renderMysql } from "../src/engine/mysql/index.js";
import { renderPostgres } from "../src/engine/postgres/index.js";
import { compileProgram } from "../src/load/index.js";
import { parseFile } from "../src/syntax/parse.js";
import { printFile } from "../src/syntax/printer.js";

/**
 * One fuzz input through the whole front end: parse, check (for every target), and, when the
 * file parses, format. It must never throw; every diagnostic must carry a known code and a span
 * inside the text; formatting must be stable (formatting the output changes nothing) and must
 * not change what the program means; a program without errors must compile for every target.
 * Returns what went wrong, or undefined.
 */
export function frontEndProblem(text: string): string | undefined {
  try {
    const source = { path: "fuzz.roles", text };
    const program = compileProgram([source], { databases: ["mysql"] });
    for (const d of program.diagnostics) {
      if (!(d.code in diagnosticCodes)) return `unknown diagnostic code ${d.code}`;
      if (d.span.startOffset < 0 || d.span.endOffset > text.length || d.span.startOffset > d.span.endOffset) return `${d.code} has a span outside the text: ${d.span.startOffset}..${d.span.endOffset} of ${text.length}`;
      if (d.message.trim() === "") return `${d.code} has no message`;
    }
    const errors = program.diagnostics.filter((d) => d.severity === "error");
    if (errors.length === 0) {
      renderPostgres(program.model);
      renderMysql(program.model);
      renderAllowlist(program.model);
    }
    const parsed = parseFile(source);
    if (parsed.diagnostics.length > 0) return undefined;
    const formatted = printFile(parsed.ast, parsed.comments, text);
    const reparsed = parseFile({ path: source.path, text: formatted });
    if (reparsed.diagnostics.length > 0) return `the formatted text does not parse: ${reparsed.diagnostics[0]!.code} ${reparsed.diagnostics[0]!.message}`;
    if (printFile(reparsed.ast, reparsed.comments, formatted) !== formatted) return "formatting twice changes the text";
    const after = compileProgram([{ path: source.path, text: formatted }], { databases: ["mysql"] });
    if (after.model.sourcesSha256 !== "" && errors.length === 0 && JSON.stringify(meaning(after)) !== JSON.stringify(meaning(program))) return "formatting changed what the program means";
    return undefined;
  } catch (error) {
    return `threw: ${(error as Error)?.stack ?? String(error)}`;
  }
}

/** The model without source positions and digests, which formatting may change. */
function meaning(program: ReturnType<typeof compileProgram>) {
  const { objects, roles, grants } = program.model;
  return {
    objects: objects.map(({ span: _span, ...o }) => o),
    roles: roles.map(({ span: _span, ...r }) => r),
    grants: grants.map(({ sources: _sources, ...g }) => g),
    codes: program.diagnostics.map((d) => d.code),
  };
}
