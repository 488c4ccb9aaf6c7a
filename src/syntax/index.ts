export type * from "./ast.js";
export type { SourceFile, Span } from "../source/source.js";
export { joinSpans, spanLocation, compareSpans } from "../source/source.js";
export { parseFile, LineIndex, type ParsedFile, type Comment } from "./parse.js";
export { printFile } from "./printer.js";
export { formatName, isBareName } from "./names.js";
