import type { CstNode, IToken } from "chevrotain";
import { rolesParser, strictRolesParser, tokenEnd, tokenizeRoles } from "../../grammar/index.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type * as A from "./ast.js";
import { buildAst } from "./build-ast.js";
import { DocComments } from "./doc-comments.js";
import { LineIndex, type SourceFile, type Span } from "../source/source.js";

export { LineIndex };

export interface Comment {
  readonly text: string;
  readonly span: Span;
}

export interface ParsedFile {
  readonly ast: A.RolesFile;
  /** Every comment, in order, for the formatter to put back. */
  readonly comments: readonly Comment[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface ParseOptions {
  /** Parse a file that lexes cleanly a few blocks at a time (the default); false parses it whole, as a file with errors always is. */
  readonly chunked?: boolean;
}

/** Lexes and parses one file. Never throws on bad input: every problem becomes a diagnostic. */
export function parseFile(source: SourceFile, options: ParseOptions = {}): ParsedFile {
  const diagnostics: Diagnostic[] = [];
  const lines = new LineIndex(source.text);
  const spanAt = (start: number, length: number): Span => lines.span(source.path, start, start + Math.max(length, 0));

  // No database takes a NUL in a name or a comment, so none may stand anywhere in a file.
  for (let at = source.text.indexOf("\u0000"); at !== -1; at = source.text.indexOf("\u0000", at + 1)) {
    diagnostics.push({ code: "RC0001", severity: "error", message: "NUL character; remove it", span: spanAt(at, 1) });
  }
  // A file without errors is read a few blocks at a time (see parseSegments); any problem sends it
  // down the whole-file path below, whose error recovery and messages are the reference.
  if (diagnostics.length === 0 && options.chunked !== false) {
    const parsed = parseSegments(source, lines);
    if (parsed) {
      return {
        ast: { kind: "File", path: source.path, items: parsed.items, span: spanAt(0, source.text.length) },
        comments: parsed.comments.map((t) => ({ text: t.image, span: spanAt(t.startOffset, t.image.length) })),
        diagnostics,
      };
    }
  }
  let lexed: ReturnType<typeof lex> | undefined = lex(source.text);
  for (const error of lexed.errors) {
    const ch = source.text.slice(error.offset, error.offset + error.length);
    diagnostics.push({
      code: "RC0001",
      severity: "error",
      message: `unexpected character ${JSON.stringify(ch)}; names with special characters go in double quotes`,
      span: spanAt(error.offset, error.length),
    });
  }
  for (const token of lexed.unterminated) {
    const what = token.tokenType.name === "UnterminatedQuotedIdentifier" ? "quoted name" : token.tokenType.name === "UnterminatedStringLiteral" ? "quoted value" : "block comment";
    const closer = what === "quoted name" ? '"' : what === "quoted value" ? "'" : "*/";
    diagnostics.push({
      code: "RC0003",
      severity: "error",
      message: `this ${what} is never closed; add ${closer} where it should end`,
      span: spanAt(token.startOffset, 1),
    });
  }
  const commentTokens = lexed.comments;
  const docs = new DocComments(commentTokens, source.text);
  const comments = commentTokens.map((t) => ({ text: t.image, span: spanAt(t.startOffset, t.image.length) }));
  const file = (items: A.TopLevel[]): ParsedFile => ({
    ast: { kind: "File", path: source.path, items, span: spanAt(0, source.text.length) },
    comments,
    diagnostics,
  });

  const tokens = (lexed ?? lex(source.text)).tokens;
  lexed = undefined;

  let parser = rolesParser;
  let cst: CstNode | undefined;
  try {
    parser.input = tokens;
    cst = parser.file();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    // Too many errors to recover from one by one: report the first, and read nothing past it.
    parser = strictRolesParser();
    parser.input = tokens;
    cst = parser.file();
  }
  const tooBroken = parser !== rolesParser;
  // After an unclosed quote or comment, the parser only ever sees the end of the file; the lexer's error says it all.
  const unterminatedAt = diagnostics.find((d) => d.code === "RC0003")?.span.startOffset ?? Number.POSITIVE_INFINITY;
  for (const error of parser.errors) {
    const token = error.token;
    const atEnd = token.tokenType.name === "EOF" || Number.isNaN(token.startOffset);
    const previous = (error as { previousToken?: IToken }).previousToken;
    const offset = atEnd ? (previous && !Number.isNaN(previous.startOffset) ? tokenEnd(previous) : source.text.length) : token.startOffset;
    if (atEnd && unterminatedAt !== Number.POSITIVE_INFINITY) continue;
    diagnostics.push({
      code: "RC0002",
      severity: "error",
      message: tooBroken ? `${error.message} (the file holds too many syntax errors to read past this one: fix it, then check again)` : error.message,
      span: spanAt(offset, atEnd ? 0 : token.image.length),
    });
  }
  // The parsers are shared: they would otherwise hold this file's tokens (and errors) until the next parse.
  rolesParser.input = [];
  if (tooBroken) parser.input = [];
  return file(cst ? buildAst(cst, source.path, docs, lines) : []);
}

/** The lexer's tokens for the parser, with unclosed quotes and comments set apart. */
function lex(text: string) {
  const lexed = tokenizeRoles(text);
  const tokens: IToken[] = [];
  const unterminated: IToken[] = [];
  for (const token of lexed.tokens) {
    const name = token.tokenType.name;
    if (name === "UnterminatedQuotedIdentifier" || name === "UnterminatedStringLiteral" || name === "UnterminatedBlockComment") unterminated.push(token);
    else tokens.push(token);
  }
  return { tokens, unterminated, errors: lexed.errors, comments: (lexed.groups.comments ?? []) as IToken[] };
}

/** Characters per segment: some tens of thousands of tokens, few enough to die young. */
const segmentChars = 64 * 1024;

/**
 * Lexes and parses a file a segment at a time, each segment some whole top-level blocks, so that
 * a large file's tokens and syntax trees never live all at once: lexing the whole file first kept
 * every token alive until its turn came, and the garbage collector copied them all. Undefined at
 * the first lexing or syntax error, for the whole-file path to report.
 */
function parseSegments(source: SourceFile, lines: LineIndex): { items: A.TopLevel[]; comments: IToken[] } | undefined {
  const text = source.text;
  const items: A.TopLevel[] = [];
  const comments: IToken[] = [];
  const names = new Map<string, string>();
  let start = 0;
  try {
    for (const end of [...segmentEnds(text, segmentChars), text.length]) {
      if (end <= start) continue;
      const lexed = lex(text.slice(start, end));
      if (lexed.errors.length > 0 || lexed.unterminated.length > 0) return undefined;
      // Offsets in the file, not the segment.
      for (const token of lexed.tokens) {
        token.startOffset += start;
        // The parser's node locations end at their last token's endOffset.
        token.endOffset! += start;
      }
      for (const token of lexed.comments) token.startOffset += start;
      rolesParser.input = lexed.tokens;
      const cst = rolesParser.file();
      if (rolesParser.errors.length > 0) return undefined;
      // A block's doc comments are in its own segment: a segment begins just after a block's `}`.
      const docs = new DocComments(lexed.comments, text);
      for (const item of buildAst(cst, source.path, docs, lines, names)) items.push(item);
      for (const comment of lexed.comments) comments.push(comment);
      start = end;
    }
    return { items, comments };
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  } finally {
    rolesParser.input = [];
  }
}

/**
 * Offsets just past a `}` that closes a top-level block, at least `every` characters apart. The
 * scan skips what the lexer reads as one token (quoted names, quoted values, comments), so a
 * brace inside one never counts; where the two could disagree (an unclosed quote), the segment
 * then fails to lex or parse and the whole file is read again the reference way.
 */
export function segmentEnds(text: string, every: number): number[] {
  const ends: number[] = [];
  let depth = 0;
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39) {
      // "..." or '...': a doubled quote inside reads as closing and reopening, which skips the same text.
      const close = text.indexOf(text[i]!, i + 1);
      if (close === -1) return ends;
      i = close;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const newline = text.indexOf("\n", i);
      if (newline === -1) return ends;
      i = newline;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf("*/", i + 2);
      if (close === -1) return ends;
      i = close + 1;
    } else if (c === 123) {
      depth++;
    } else if (c === 125) {
      if (--depth < 0) return ends;
      if (depth === 0 && i + 1 - last >= every) ends.push((last = i + 1));
    }
  }
  return ends;
}
