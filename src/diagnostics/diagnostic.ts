import type { Span } from "../source/source.js";
import type { DiagnosticCode } from "./codes.js";

export type Severity = "error" | "warning" | "info";

/** Anything a user can get wrong is reported as one of these, never thrown. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** A whole sentence that says what is wrong and, where it can, what to do. */
  readonly message: string;
  readonly span: Span;
  /** Further places worth showing, e.g. the first declaration of a duplicate. */
  readonly related?: readonly { readonly message: string; readonly span: Span }[];
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Diagnostics in reading order: by file, then position, then severity and code. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : 0) ||
      a.span.startOffset - b.span.startOffset ||
      severityRank[a.severity] - severityRank[b.severity] ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === "error");
}
