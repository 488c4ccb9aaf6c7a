export { type Diagnostic, type Severity, sortDiagnostics, hasErrors } from "./diagnostic.js";
export { diagnosticCodes, type DiagnosticCode } from "./codes.js";
export { renderDiagnostic, summarize, diagnosticsToJson, type RenderOptions } from "./render.js";
export { terminalText, terminalValue } from "./terminal-text.js";
export { InputError } from "./input-error.js";
export { didYouMean, closestName } from "./did-you-mean.js";
export { describeFsError } from "./fs-error.js";
