import type { IToken } from "chevrotain";
import { tokenEnd } from "../../grammar/index.js";

/**
 * Finds the `///` lines that document a role or object: the run of doc comments that ends
 * on the line just above the declaration, with nothing but white space in between.
 */
export class DocComments {
  private readonly docs: IToken[];

  constructor(
    comments: readonly IToken[],
    private readonly text: string,
  ) {
    this.docs = comments.filter((t) => t.tokenType.name === "DocComment").sort((a, b) => a.startOffset - b.startOffset);
  }

  before(offset: number): string | undefined {
    let i = this.lastDocBefore(offset);
    const lines: string[] = [];
    let next = offset;
    while (i >= 0) {
      const doc = this.docs[i]!;
      const between = this.text.slice(tokenEnd(doc), next);
      if (!/^[ \t\r\f\v]*\n[ \t\r\f\v]*$/.test(between)) break;
      lines.unshift(doc.image.slice(3).replace(/^ /, "").trimEnd());
      next = doc.startOffset;
      i -= 1;
    }
    return lines.length > 0 ? lines.join("\n") : undefined;
  }

  private lastDocBefore(offset: number): number {
    let lo = 0;
    let hi = this.docs.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.docs[mid]!.startOffset < offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}
