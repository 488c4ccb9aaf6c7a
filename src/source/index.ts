export type { SourceFile, Span } from "./source.js";
export { joinSpans, spanLocation, compareSpans, LineIndex } from "./source.js";
