import type { CstNode, IToken } from "chevrotain";
import { rolesLexer, rolesParser, strictRolesParser, tokenEnd, tokens as grammarTokens } from "../../grammar/index.js";
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

  // A file that lexed cleanly is parsed a few blocks at a time, so that the tokens and syntax
  // trees of a large file never live all at once; any syntax error sends it down the whole-file
  // path below, whose error recovery and messages are the reference.
  if (diagnostics.length === 0 && options.chunked !== false) {
    const chunks = blockChunks(lexed.tokens);
    lexed = undefined;
    const items = chunks && parseChunks(chunks, source.path, docs, lines);
    if (items) return file(items);
  }
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
  const lexed = rolesLexer.tokenize(text);
  const tokens: IToken[] = [];
  const unterminated: IToken[] = [];
  for (const token of lexed.tokens) {
    const name = token.tokenType.name;
    if (name === "UnterminatedQuotedIdentifier" || name === "UnterminatedStringLiteral" || name === "UnterminatedBlockComment") unterminated.push(token);
    else tokens.push(token);
  }
  return { tokens, unterminated, errors: lexed.errors, comments: (lexed.groups.comments ?? []) as IToken[] };
}

/** Tokens per chunk: large enough that parsing a chunk costs little, small enough to stay young. */
const chunkTokens = 20_000;

/**
 * The tokens cut between top-level blocks (after a `}` that closes the outermost `{`), in
 * chunks of some thousand tokens; undefined when the braces do not pair up, which is an error
 * the whole-file parse reports.
 */
function blockChunks(tokens: IToken[]): IToken[][] | undefined {
  const chunks: IToken[][] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const type = tokens[i]!.tokenType;
    if (type === grammarTokens.LBrace) depth++;
    else if (type === grammarTokens.RBrace && --depth < 0) return undefined;
    if (depth === 0 && type === grammarTokens.RBrace && i + 1 - start >= chunkTokens) {
      chunks.push(tokens.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (depth !== 0) return undefined;
  if (start < tokens.length) chunks.push(tokens.slice(start));
  return chunks;
}

/**
 * Parses each chunk as a file of its own (a file is a list of independent blocks) and builds
 * its part of the AST, letting each chunk's tokens go once parsed. Undefined at the first
 * syntax error.
 */
function parseChunks(chunks: (IToken[] | undefined)[], path: string, docs: DocComments, lines: LineIndex): A.TopLevel[] | undefined {
  const items: A.TopLevel[] = [];
  const names = new Map<string, string>();
  try {
    for (let i = 0; i < chunks.length; i++) {
      rolesParser.input = chunks[i]!;
      chunks[i] = undefined;
      const cst = rolesParser.file();
      if (rolesParser.errors.length > 0) return undefined;
      for (const item of buildAst(cst, path, docs, lines, names)) items.push(item);
    }
    return items;
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  } finally {
    rolesParser.input = [];
  }
}

