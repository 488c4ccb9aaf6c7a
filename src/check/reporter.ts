import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnosticCodes, type DiagnosticCode } from "../diagnostics/codes.js";
import type { Span } from "../source/source.js";
import { formatName } from "../syntax/names.js";

/** Collects diagnostics; each code carries its own severity, so rules only say what they found. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  report(code: DiagnosticCode, message: string, span: Span, related?: Diagnostic["related"]): void {
    const severity = diagnosticCodes[code].severity;
    this.diagnostics.push(related && related.length > 0 ? { code, severity, message, span, related } : { code, severity, message, span });
  }
}

/** A single name in a message. */
export function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `schema.object` in a message, written as the `.roles` file would write it. */
export function objectRef(schema: string, name?: string): string {
  return `${formatName(schema)}.${name === undefined ? "*" : formatName(name)}`;
}

/** Where another place is, as seen from `from`: `line 12` in the same file, `roles/app.roles:12` otherwise. */
export function placeFrom(span: Span, from: Span): string {
  return span.file === from.file ? `line ${span.startLine}` : `${span.file}:${span.startLine}`;
}
