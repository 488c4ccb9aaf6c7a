/**
 * A unified diff of two texts, line by line, as `diff -u` and `gofmt -d` print it, for showing
 * what `fmt` would change. The lines between the common start and end are matched by a longest
 * common subsequence; a middle too large for that (more than maxCells pairs of lines to compare)
 * is shown as removed and added whole, which is still a correct diff, only a longer one.
 */

interface Edit {
  readonly op: " " | "-" | "+";
  readonly line: string;
}

const maxCells = 4_000_000;

export function unifiedDiff(before: string, after: string, names: { from: string; to: string }, context = 3): string {
  if (before === after) return "";
  const edits = diffLines(splitLines(before), splitLines(after));
  const out = [`--- ${names.from}\n`, `+++ ${names.to}\n`];
  for (const hunk of hunks(edits, context)) out.push(renderHunk(edits, hunk));
  return out.join("");
}

/** Lines with their line feed, so that a last line without one differs from the same line with one. */
function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines[lines.length - 1] === "" ? lines.slice(0, -1) : lines;
}

function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const middle = matchMiddle(a.slice(start, a.length - end), b.slice(start, b.length - end));
  const same = (line: string): Edit => ({ op: " ", line });
  return [...a.slice(0, start).map(same), ...middle, ...a.slice(a.length - end).map(same)];
}

/** The longest common subsequence of the two, as edits: removals before additions where both. */
function matchMiddle(a: readonly string[], b: readonly string[]): Edit[] {
  if (a.length * b.length > maxCells) return [...a.map((line): Edit => ({ op: "-", line })), ...b.map((line): Edit => ({ op: "+", line }))];
  const width = b.length + 1;
  // common[i * width + j]: the length of the longest common subsequence of a[i..] and b[j..].
  const common = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i * width + j] = a[i] === b[j] ? common[(i + 1) * width + j + 1]! + 1 : Math.max(common[(i + 1) * width + j]!, common[i * width + j + 1]!);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      edits.push({ op: " ", line: a[i++]! });
      j++;
    } else if (j >= b.length || (i < a.length && common[(i + 1) * width + j]! >= common[i * width + j + 1]!)) {
      edits.push({ op: "-", line: a[i++]! });
    } else {
      edits.push({ op: "+", line: b[j++]! });
    }
  }
  return edits;
}

/** Ranges of edits to show: each change with `context` unchanged lines either side, overlapping ones joined. */
function hunks(edits: readonly Edit[], context: number): { from: number; to: number }[] {
  const ranges: { from: number; to: number }[] = [];
  edits.forEach((edit, index) => {
    if (edit.op === " ") return;
    const from = Math.max(0, index - context);
    const to = Math.min(edits.length, index + 1 + context);
    const last = ranges[ranges.length - 1];
    if (last && from <= last.to) last.to = to;
    else ranges.push({ from, to });
  });
  return ranges;
}

function renderHunk(edits: readonly Edit[], hunk: { from: number; to: number }): string {
  // Line numbers where the hunk starts, counted over the edits before it.
  let oldLine = 0;
  let newLine = 0;
  for (const edit of edits.slice(0, hunk.from)) {
    if (edit.op !== "+") oldLine++;
    if (edit.op !== "-") newLine++;
  }
  const shown = edits.slice(hunk.from, hunk.to);
  const oldCount = shown.filter((e) => e.op !== "+").length;
  const newCount = shown.filter((e) => e.op !== "-").length;
  // As diff -u: an empty side is numbered by the line before it, and a count of one is left out.
  const range = (line: number, count: number) => (count === 0 ? `${line},0` : count === 1 ? `${line + 1}` : `${line + 1},${count}`);
  const lines = shown.map((e) => (e.line.endsWith("\n") ? `${e.op}${e.line}` : `${e.op}${e.line}\n\\ No newline at end of file\n`));
  return `@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@\n${lines.join("")}`;
}
