import path from "node:path";
import { displayPathFor, printDiagnostics, useColor, writeStderr, writeStdout } from "./output.js";
import { diagnosticsToSarif, sarifUri } from "../diagnostics/sarif.js";
import { rolecVersion } from "../version.js";
import { runFrontEnd, type FrontEndOptions } from "./run-front-end.js";

// A module of its own: `rolec check` loads the front end and nothing behind it (emitters,
// templates, drivers), since every editor save may run it.

/** `rolec check`: every diagnostic, exit 1 on errors (or warnings with --strict). */
export async function checkCommand(options: FrontEndOptions & { sarif?: boolean }): Promise<number> {
  const { loaded, program, fails } = await runFrontEnd(options);
  if (options.sarif) {
    const displayPath = displayPathFor(loaded);
    writeStdout(JSON.stringify(diagnosticsToSarif(program.diagnostics, (p) => sarifUri(displayPath(p), path.sep), { version: rolecVersion }), null, 2) + "\n");
    return fails ? 1 : 0;
  }
  printDiagnostics(program.diagnostics, loaded, options.format, useColor(options.color), { ok: !fails, files: loaded.files.length });
  if (options.format === "text") {
    const summary = `${loaded.files.length} file${loaded.files.length === 1 ? "" : "s"}, ${program.model.roles.length} roles, ${program.model.objects.length} objects${program.model.routines.length > 0 ? `, ${program.model.routines.length} functions and procedures` : ""}${program.model.types.length > 0 ? `, ${program.model.types.length} types and domains` : ""}`;
    writeStderr(fails ? `rolec check: failed (${summary})\n` : `rolec check: ok (${summary})\n`);
  }
  return fails ? 1 : 0;
}
