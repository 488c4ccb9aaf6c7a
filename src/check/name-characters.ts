/**
 * Characters no name may hold: C0 and C1 controls, DEL, and the Unicode line and paragraph
 * separators. A name travels into SQL comments, client scripts, terminals and review tools, where
 * a line break ends a comment (and the rest of the line runs as SQL or as a client command such
 * as psql's `\!`) and an escape sequence rewrites what a reviewer sees. Quoting keeps them inert
 * inside SQL, but every other place would need its own escaping, so they are refused outright.
 */
const forbiddenCharacter = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

const characterNames: Record<string, string> = {
  "\u0000": "NUL",
  "\t": "tab",
  "\n": "line feed",
  "\r": "carriage return",
  "\u001b": "escape",
  "\u007f": "delete",
  "\u0085": "next line",
  "\u2028": "line separator",
  "\u2029": "paragraph separator",
};

/** `U+000A (line feed)` for the first character of `value` that no name may hold, or undefined. */
export function forbiddenCharacterIn(value: string): string | undefined {
  const found = forbiddenCharacter.exec(value)?.[0];
  if (found === undefined) return undefined;
  const code = `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  const name = characterNames[found] ?? "control character";
  return `${code} (${name})`;
}
