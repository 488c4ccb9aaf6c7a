import type { Span } from "../source/source.js";
import { diagnosticCodes, type DiagnosticCode } from "./codes.js";
import type { Diagnostic, Severity } from "./diagnostic.js";

const levels: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

/**
 * Diagnostics as a SARIF 2.1.0 log (the OASIS standard GitHub code scanning reads): one run of
 * rolec, a rule for every code the results use (title, explanation, default level), and each
 * diagnostic as a result at its place, related places included. `uri` turns a source path into
 * the path the log names (relative to where rolec ran, which is what code scanning resolves
 * against the repository). Columns count UTF-16 code units, as rolec's do.
 */
export function diagnosticsToSarif(list: readonly Diagnostic[], uri: (path: string) => string, tool: { readonly version: string }): object {
  const used = [...new Set(list.map((d) => d.code))].sort();
  const ruleIndex = new Map(used.map((code, i) => [code, i]));
  const location = (span: Span, message?: string) => ({
    physicalLocation: {
      artifactLocation: artifactLocation(uri(span.file)),
      region: { startLine: span.startLine, startColumn: span.startColumn, endLine: span.endLine, endColumn: Math.max(span.endColumn, span.startLine === span.endLine ? span.startColumn + 1 : 1) },
    },
    ...(message !== undefined ? { message: { text: message } } : {}),
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "rolec",
            semanticVersion: tool.version,
            version: tool.version,
            rules: used.map((code) => rule(code)),
          },
        },
        columnKind: "utf16CodeUnits",
        results: list.map((d) => ({
          ruleId: d.code,
          ruleIndex: ruleIndex.get(d.code)!,
          level: levels[d.severity],
          message: { text: d.message },
          locations: [location(d.span)],
          ...(d.related && d.related.length > 0 ? { relatedLocations: d.related.map((r, i) => ({ id: i + 1, ...location(r.span, r.message) })) } : {}),
        })),
      },
    ],
  };
}

function rule(code: DiagnosticCode): object {
  const entry = diagnosticCodes[code];
  return {
    id: code,
    name: entry.title.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_, _sep: string, ch: string) => ch.toUpperCase()),
    shortDescription: { text: entry.title },
    fullDescription: { text: entry.explain },
    help: { text: entry.explain },
    defaultConfiguration: { level: levels[entry.severity as Severity] },
  };
}

/**
 * A displayed path as a URI reference: relative (to where rolec ran) with `/` separators, or a
 * `file://` URI for a path outside it, each segment percent-encoded (spaces, `#`, `%`, `?`, a
 * backslash in a POSIX file name and non-ASCII included).
 */
export function sarifUri(displayed: string, separator: string): string {
  const segments = displayed.split(separator).map((segment) => encodeURIComponent(segment));
  const absolute = displayed.startsWith(separator) || /^[A-Za-z]:/.test(displayed);
  return absolute ? `file://${separator === "/" ? "" : "/"}${segments.join("/")}` : segments.join("/");
}

/** A relative URI is resolved against the checkout (%SRCROOT%); an absolute one stands alone. */
function artifactLocation(uri: string): { uri: string; uriBaseId?: string } {
  return uri.startsWith("file://") ? { uri } : { uri, uriBaseId: "%SRCROOT%" };
}
