import type { Diagnostic } from "./diagnostic.js";
import type { Span } from "../source/source.js";
import { terminalValue } from "./terminal-text.js";

export interface RenderOptions {
  /** Source text per file path, for the code frame. */
  readonly texts: ReadonlyMap<string, string>;
  /** How to show a file's path (e.g. relative to the working directory); identity by default. */
  readonly displayPath?: (path: string) => string;
  readonly color: boolean;
}

const ansi = { red: "\x1b[31m", yellow: "\x1b[33m", cyan: "\x1b[36m", bold: "\x1b[1m", dim: "\x1b[2m", reset: "\x1b[0m" };
const severityColor = { error: ansi.red, warning: ansi.yellow, info: ansi.cyan } as const;

/** `file:line:col: error RC0103: message`, a code frame with a caret under the span, and related places. */
export function renderDiagnostic(d: Diagnostic, options: RenderOptions): string {
  const paint = (code: string, text: string) => (options.color ? code + text + ansi.reset : text);
  // Messages, paths and source lines quote names, which may hold what a terminal acts on.
  const where = (span: Span) => `${terminalValue((options.displayPath ?? ((p) => p))(span.file))}:${span.startLine}:${span.startColumn}`;
  const lines = [`${paint(ansi.bold, where(d.span))}: ${paint(severityColor[d.severity], `${d.severity} ${d.code}`)}: ${terminalValue(d.message)}`];
  lines.push(...codeFrame(d.span, options, paint));
  for (const r of d.related ?? []) lines.push(`  ${paint(ansi.dim, `${where(r.span)}: ${terminalValue(r.message)}`)}`);
  return lines.join("\n");
}

/** Lines longer than this are shown as a window around the span, so a minified or garbage file prints a readable frame. */
const maxFrameWidth = 200;

function codeFrame(span: Span, options: RenderOptions, paint: (code: string, text: string) => string): string[] {
  const text = options.texts.get(span.file);
  if (text === undefined || span.startOffset > text.length) return [];
  // The line is found from the span's offset, not by splitting the file: a large file may have many diagnostics.
  const lineStart = text.lastIndexOf("\n", span.startOffset - 1) + 1;
  const newline = text.indexOf("\n", span.startOffset);
  const lineText = text.slice(lineStart, newline === -1 ? text.length : newline);
  let shown = lineText.replace(/\r$/, "").replaceAll("\t", " ");
  const gutter = String(span.startLine);
  const pad = " ".repeat(gutter.length);
  let startColumn = span.startColumn;
  let endColumn = span.endLine === span.startLine ? span.endColumn : shown.length + 1;
  if (shown.length > maxFrameWidth) {
    const from = Math.max(0, Math.min(startColumn - 1 - 40, shown.length - maxFrameWidth));
    const to = Math.min(shown.length, from + maxFrameWidth);
    shown = `${from > 0 ? "…" : ""}${shown.slice(from, to)}${to < shown.length ? "…" : ""}`;
    const shift = from - (from > 0 ? 1 : 0);
    startColumn -= shift;
    endColumn = Math.min(endColumn - shift, shown.length + 1);
  }
  // Escaped piece by piece, so the caret still stands under the span when an escape widens the text.
  const before = terminalValue(shown.slice(0, Math.max(0, startColumn - 1)));
  const under = terminalValue(shown.slice(Math.max(0, startColumn - 1), Math.max(startColumn - 1, endColumn - 1)));
  const after = terminalValue(shown.slice(Math.max(startColumn - 1, endColumn - 1)));
  const caret = " ".repeat(before.length) + "^".repeat(Math.max(1, under.length));
  return [` ${gutter} | ${before}${under}${after}`, ` ${pad} | ${paint(ansi.red, caret)}`];
}

export function summarize(list: readonly Diagnostic[]): string {
  const count = (s: Diagnostic["severity"]) => list.filter((d) => d.severity === s).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const parts = [plural(count("error"), "error"), plural(count("warning"), "warning")];
  const infos = count("info");
  if (infos > 0) parts.push(plural(infos, "note"));
  return parts.join(", ");
}

/** The same diagnostics as data, for editors and CI. Lines and columns are 1-based. */
export function diagnosticsToJson(list: readonly Diagnostic[], displayPath: (path: string) => string = (p) => p): unknown {
  const place = (span: Span) => ({
    file: displayPath(span.file),
    line: span.startLine,
    column: span.startColumn,
    endLine: span.endLine,
    endColumn: span.endColumn,
  });
  return list.map((d) => ({
    ...place(d.span),
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.related ? { related: d.related.map((r) => ({ ...place(r.span), message: r.message })) } : {}),
  }));
}
