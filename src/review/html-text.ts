import { isInvisible } from "./invisible-characters.js";

/**
 * Text as HTML shows it literally, in element content and in double-quoted attribute values:
 * the five characters HTML gives meaning to become references, and controls (line breaks and
 * bidirectional marks included) become visible escapes, so a hostile name can neither add markup
 * nor reorder what a reviewer reads.
 */
export function htmlText(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "&") out += "&amp;";
    else if (ch === "<") out += "&lt;";
    else if (ch === ">") out += "&gt;";
    else if (ch === '"') out += "&quot;";
    else if (ch === "'") out += "&#39;";
    else if (isInvisible(code)) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return out;
}
