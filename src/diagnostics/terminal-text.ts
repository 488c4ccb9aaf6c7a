/**
 * Text for a person's terminal or a review tool. Names come from .roles files and from live
 * databases, and either may hold characters a terminal acts on instead of showing: an escape
 * sequence (`\e[1A\e[2K` wipes the line above), a carriage return that overwrites a line, C1
 * controls (U+009B is a one-byte escape sequence in some terminals), line and paragraph
 * separators, and the bidirectional controls that make text read differently from what it is
 * ("Trojan Source"). Each is shown as a visible escape such as `\u{1b}` instead.
 */
const actedOn = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu;
/** The same, and line feeds and tabs too: for a value that must stay on its line, such as a name. */
const actedOnOrLineFeed = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu;

function escaped(character: string): string {
  return `\\u{${character.codePointAt(0)!.toString(16)}}`;
}

/** Whole lines of output: line feeds and tabs are kept, everything a terminal would act on is escaped. */
export function terminalText(text: string): string {
  return text.replace(actedOn, escaped);
}

/** One value inside a line (a name, a comment): line feeds are escaped too, so it cannot fake a line of its own. */
export function terminalValue(text: string): string {
  return text.replace(actedOnOrLineFeed, escaped);
}

/**
 * JSON for a terminal: JSON.stringify already escapes C0 controls, but not C1 controls, the
 * separators or the bidirectional controls. Those can only stand inside JSON strings, where a
 * `\uXXXX` escape means the same character, so the value read back is unchanged.
 */
export function terminalJson(json: string): string {
  return json.replace(actedOn, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
