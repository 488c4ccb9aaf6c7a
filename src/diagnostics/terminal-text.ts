/**
 * Text for a person's terminal or a review tool. Names come from .roles files and from live
 * databases, and either may hold characters a terminal acts on instead of showing: an escape
 * sequence (`\e[1A\e[2K` wipes the line above), a carriage return that overwrites a line, C1
 * controls (U+009B is a one-byte escape sequence in some terminals), line and paragraph
 * separators, and the bidirectional controls that make text read differently from what it is
 * ("Trojan Source"). Each is shown as a visible `\uXXXX` escape instead, the form JSON uses, so
 * the same escaping serves text and JSON output alike: those characters stand only inside JSON
 * strings, where the escape means the same character.
 */
const actedOn = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu;
/** The same, and line feeds and tabs too: for a value that must stay on its line, such as a name. */
const actedOnOrLineFeed = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu;

function escaped(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** Whole lines of output, text or JSON: line feeds and tabs are kept, everything a terminal would act on is escaped. */
export function terminalText(text: string): string {
  return text.replace(actedOn, escaped);
}

/** One value inside a line (a name, a comment): line feeds are escaped too, so it cannot fake a line of its own. */
export function terminalValue(text: string): string {
  return text.replace(actedOnOrLineFeed, escaped);
}
