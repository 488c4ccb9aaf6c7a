import { isInvisible } from "./invisible-characters.js";

/**
 * Text from .roles files (names) as Markdown shows it literally: every character that Markdown
 * or GitHub could read as markup (emphasis, code, links, tables, HTML, @mentions, #references)
 * (the dot included, which GitHub reads as part of a link) becomes a numeric character reference,
 * and line breaks and characters a reader cannot see become visible escapes, so a hostile name
 * can neither format the comment nor ping anyone.
 */
export function markdownText(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    // A dot is a reference too: `www.example` would otherwise become a link.
    if (/[A-Za-z0-9 ,;/'$=?%]/.test(ch) || (code > 0x7f && !isInvisible(code))) out += ch;
    else if (isInvisible(code)) out += `\\u{${code.toString(16)}}`;
    else out += `&#${code};`;
  }
  return out;
}
