export { type Diagnostic, type Severity, sortDiagnostics, hasErrors } from "./diagnostic.js";
export { diagnosticCodes, type DiagnosticCode } from "./codes.js";
export { renderDiagnostic, summarize, diagnosticsToJson, type RenderOptions } from "./render.js";
export { terminalText, terminalValue } from "./terminal-text.js";
