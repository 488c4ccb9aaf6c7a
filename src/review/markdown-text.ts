/**
 * Text from .roles files (names) as Markdown shows it literally: every character that Markdown
 * or GitHub could read as markup (emphasis, code, links, tables, HTML, @mentions, #references)
 * becomes a numeric character reference, and line breaks and other controls become visible
 * escapes, so a hostile name can neither format the comment nor ping anyone.
 */
export function markdownText(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (/[A-Za-z0-9 .,;/'$=?%]/.test(ch) || (code > 0x7f && !isInvisible(code))) out += ch;
    else if (code < 0x20 || code === 0x7f || isInvisible(code)) out += `\\u{${code.toString(16)}}`;
    else out += `&#${code};`;
  }
  return out;
}

/** C1 controls, bidirectional controls, zero-width characters and line separators: shown as escapes. */
function isInvisible(code: number): boolean {
  return (code >= 0x80 && code <= 0x9f) || (code >= 0x200b && code <= 0x200f) || (code >= 0x2028 && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0xfeff;
}
