import test from "ava";
import { htmlText, markdownText } from "../../src/review/index.js";

test("Markdown text: no markup, link, mention or invisible character of a name survives as itself", (t) => {
  t.is(markdownText("www.evil"), "www&#46;evil", "a bare domain would become a link");
  t.is(markdownText("@here #1 `x` *b* [l](u) <i> |"), "&#64;here &#35;1 &#96;x&#96; &#42;b&#42; &#91;l&#93;&#40;u&#41; &#60;i&#62; &#124;");
  for (const invisible of ["\u061c", "\u200f", "\u2060", "\u00ad", "\u3164", "\ufe0f", "\u{e0041}", "\n"]) {
    t.is(markdownText(`a${invisible}b`), `a\\u{${invisible.codePointAt(0)!.toString(16)}}b`, invisible.codePointAt(0)!.toString(16));
  }
  t.is(markdownText("café 日本"), "café 日本");
});

test("HTML text: the five special characters become references, invisible ones visible escapes", (t) => {
  t.is(htmlText(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  t.is(htmlText("a\u202eb\u061cc"), "a\\u{202e}b\\u{61c}c");
  t.is(htmlText("www.example.com"), "www.example.com");
});
