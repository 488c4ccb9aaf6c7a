import path from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnosticsToJson, renderDiagnostic, summarize } from "../diagnostics/render.js";
import type { LoadedSources } from "../load/load-sources.js";
import { terminalText } from "../diagnostics/terminal-text.js";

export type OutputFormat = "text" | "json";

/**
 * The only ways the CLI prints. Names from .roles files and from live databases reach reports,
 * plans and messages, so whatever a terminal would act on (escape sequences, carriage returns,
 * C1 controls, bidirectional controls) is shown as an escape instead; see terminalText.
 */
export function writeStdout(text: string): void {
  process.stdout.write(terminalText(text));
}

export function writeStderr(text: string): void {
  process.stderr.write(terminalText(text));
}

/** Colour only when stderr is a terminal and NO_COLOR is unset, unless --color says otherwise. */
export function useColor(flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  return Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;
}

/** Shows source paths relative to where rolec was started, which is what a terminal can click. */
export function displayPathFor(loaded: LoadedSources): (p: string) => string {
  return (p) => showPath(path.join(loaded.root, p));
}

/** A path relative to the working directory when it lies below it, absolute otherwise. */
export function showPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return relative === "" || relative.startsWith("..") ? absolute : relative;
}

/** Prints diagnostics: text with code frames on stderr, or JSON on stdout. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], loaded: LoadedSources, format: OutputFormat, color: boolean, extra: object = {}): void {
  const displayPath = displayPathFor(loaded);
  if (format === "json") {
    writeStdout(JSON.stringify({ diagnostics: diagnosticsToJson(diagnostics, displayPath), ...extra }, null, 2) + "\n");
    return;
  }
  const texts = new Map(loaded.files.map((f) => [f.path, f.text]));
  // Written as they are: renderDiagnostic escapes the names it shows, and its colours are escape sequences of its own.
  for (const d of diagnostics) process.stderr.write(renderDiagnostic(d, { texts, displayPath, color }) + "\n");
  if (diagnostics.length > 0) writeStderr(summarize(diagnostics) + "\n");
}

/** Whether diagnostics stop the command: errors always, warnings under --strict. */
export function failsCheck(diagnostics: readonly Diagnostic[], strict: boolean): boolean {
  return diagnostics.some((d) => d.severity === "error" || (strict && d.severity === "warning"));
}
