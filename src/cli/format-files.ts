import path from "node:path";
import { loadSources } from "../load/load-sources.js";
import { parseFile } from "../syntax/parse.js";
import { printFile } from "../syntax/printer.js";
import { unifiedDiff } from "./line-diff.js";
import { printDiagnostics, showPath, useColor, writeStdout, writeStderr } from "./output.js";
import { writeFilesAtomically } from "./write-files.js";

/**
 * Formats each file on its own. A file with syntax errors is never rewritten: recovery may
 * have dropped some of it, and formatting must never lose a line.
 */
export async function formatFiles(options: { paths: readonly string[]; check: boolean; color: boolean | undefined }): Promise<number> {
  const loaded = await loadSources(options.paths);
  const changed: { path: string; content: string; before: string }[] = [];
  let broken = 0;
  for (const file of loaded.files) {
    const parsed = parseFile(file);
    if (parsed.diagnostics.length > 0) {
      printDiagnostics(parsed.diagnostics, { root: loaded.root, files: [file] }, "text", useColor(options.color));
      broken += 1;
      continue;
    }
    const formatted = printFile(parsed.ast, parsed.comments, file.text);
    if (formatted !== file.text) changed.push({ path: path.join(loaded.root, file.path), content: formatted, before: file.text });
  }
  if (options.check) {
    // What fmt would change, as a diff `patch -p0` or `git apply -p0` takes.
    for (const file of changed) {
      const shown = showPath(file.path);
      writeStdout(`${shown} is not formatted\n${unifiedDiff(file.before, file.content, { from: shown, to: shown })}`);
    }
    if (changed.length === 0 && broken === 0) writeStderr(`rolec fmt: ${loaded.files.length} files are formatted\n`);
    return changed.length > 0 || broken > 0 ? 1 : 0;
  }
  await writeFilesAtomically(changed);
  for (const file of changed) writeStdout(`formatted ${showPath(file.path)}\n`);
  if (broken > 0) writeStderr(`rolec fmt: ${broken} file${broken === 1 ? "" : "s"} left as they were because of syntax errors\n`);
  return broken > 0 ? 1 : 0;
}
