/**
 * Splits a MySQL script into statements the way the mysql client does: on the current
 * delimiter, outside quotes and comments, with `DELIMITER x` lines changing it (the server
 * knows no DELIMITER; it is how a script holds procedure bodies with `;` inside).
 * Statements that are only comments are dropped.
 */
export interface ScriptStatement {
  readonly sql: string;
  /** 1-based line of the statement's first character, for messages. */
  readonly line: number;
}

export function splitMysqlScript(script: string): ScriptStatement[] {
  const statements: ScriptStatement[] = [];
  let delimiter = ";";
  let start = 0;
  let i = 0;
  let line = 1;
  let startLine = 1;
  const n = script.length;

  const push = (end: number) => {
    const sql = script.slice(start, end);
    if (!isOnlyComments(sql)) {
      const leading = sql.length - sql.trimStart().length;
      statements.push({ sql: sql.trim(), line: startLine + countLines(sql.slice(0, leading)) });
    }
  };

  while (i < n) {
    // A DELIMITER command is a line of its own, where a statement would begin.
    if ((i === 0 || script[i - 1] === "\n") && /^delimiter[ \t]/i.test(script.slice(i, i + 10)) && isOnlyComments(script.slice(start, i))) {
      const end = script.indexOf("\n", i);
      const lineEnd = end === -1 ? n : end;
      const value = script.slice(i + "delimiter".length, lineEnd).trim();
      if (value === "") throw new Error(`line ${line}: DELIMITER needs a value`);
      delimiter = value;
      i = lineEnd;
      start = i;
      startLine = line;
      continue;
    }
    const c = script[i]!;
    if (c === "\n") {
      line++;
      i++;
      continue;
    }
    if (c === "'" || c === '"' || c === "`") {
      i = skipQuoted(script, i, c, () => line++);
      continue;
    }
    if (c === "#" || (c === "-" && script[i + 1] === "-" && /[ \t\r\n]/.test(script[i + 2] ?? "\n"))) {
      while (i < n && script[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && script[i + 1] === "*") {
      const end = script.indexOf("*/", i + 2);
      const stop = end === -1 ? n : end + 2;
      line += countLines(script.slice(i, stop));
      i = stop;
      continue;
    }
    if (script.startsWith(delimiter, i)) {
      push(i);
      i += delimiter.length;
      start = i;
      startLine = line;
      continue;
    }
    i++;
  }
  push(n);
  return statements;
}

function skipQuoted(script: string, open: number, quote: string, onNewline: () => void): number {
  let i = open + 1;
  while (i < script.length) {
    const c = script[i]!;
    if (c === "\n") onNewline();
    if (c === "\\" && quote !== "`") {
      if (script[i + 1] === "\n") onNewline();
      i += 2;
      continue;
    }
    if (c === quote) {
      if (script[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return i;
}

function countLines(text: string): number {
  let count = 0;
  for (const c of text) if (c === "\n") count++;
  return count;
}

function isOnlyComments(sql: string): boolean {
  const stripped = sql
    .replace(/\/\*(?![!M])[\s\S]*?\*\//g, "")
    .replace(/(^|\n)[ \t]*(--[ \t][^\n]*|--$|#[^\n]*)/g, "$1")
    .trim();
  return stripped === "";
}
