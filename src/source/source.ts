/** A `.roles` file as the compiler sees it: its text and the path it is shown under. */
export interface SourceFile {
  /** Path shown in diagnostics and recorded in artifacts, relative to the program root, with `/` separators. */
  readonly path: string;
  readonly text: string;
}

/** A range in one source file. Lines and columns are 1-based; offsets are 0-based, end exclusive. */
export interface Span {
  readonly file: string;
  readonly startOffset: number;
  readonly endOffset: number;
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** The smallest span that covers both. Both must lie in the same file. */
export function joinSpans(a: Span, b: Span): Span {
  const start = a.startOffset <= b.startOffset ? a : b;
  const end = a.endOffset >= b.endOffset ? a : b;
  return {
    file: a.file,
    startOffset: start.startOffset,
    startLine: start.startLine,
    startColumn: start.startColumn,
    endOffset: end.endOffset,
    endLine: end.endLine,
    endColumn: end.endColumn,
  };
}

/** `file:line`, the form used to point a reader at the line a grant came from. */
export function spanLocation(span: Span): string {
  return `${span.file}:${span.startLine}`;
}

export function compareSpans(a: Span, b: Span): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.startOffset - b.startOffset;
}

/** Maps offsets to 1-based line and column numbers. */
export class LineIndex {
  private readonly starts: number[] = [0];
  /** The line (0-based) the last lookup found: a parse asks in nearly increasing order, so most lookups land on it or the next. */
  private last = 0;

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  /** The 0-based line holding `offset`. */
  lineAt(offset: number): number {
    const starts = this.starts;
    const last = this.last;
    if (starts[last]! <= offset && (last + 1 === starts.length || offset < starts[last + 1]!)) return last;
    if (last + 2 <= starts.length && starts[last + 1]! <= offset && (last + 2 === starts.length || offset < starts[last + 2]!)) return (this.last = last + 1);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (this.last = lo);
  }

  /** The offset at which a 0-based line starts. */
  lineStart(line: number): number {
    return this.starts[line]!;
  }

  position(offset: number): { line: number; column: number } {
    const line = this.lineAt(offset);
    return { line: line + 1, column: offset - this.starts[line]! + 1 };
  }

  span(file: string, start: number, end: number): Span {
    const s = this.position(start);
    const e = this.position(end);
    return { file, startOffset: start, endOffset: end, startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column };
  }
}
