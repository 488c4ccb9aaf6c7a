import test from "ava";
import { commentText, quoteDollar, quoteIdent, quoteLiteral } from "../../src/engine/postgres/index.js";

test("identifiers are always double-quoted, quotes doubled", (t) => {
  t.is(quoteIdent("orders"), '"orders"');
  t.is(quoteIdent('a"b'), '"a""b"');
  t.is(quoteIdent("Robert'); DROP TABLE x;--"), `"Robert'); DROP TABLE x;--"`);
  t.throws(() => quoteIdent(""));
  t.throws(() => quoteIdent("a\u0000b"));
});

test("literals double single quotes and escape backslashes safely", (t) => {
  t.is(quoteLiteral("it's"), "'it''s'");
  t.is(quoteLiteral("a\\b'"), "E'a\\\\b'''");
});

test("dollar quoting picks a tag the body does not contain", (t) => {
  t.is(quoteDollar("x"), "$rolec$x$rolec$");
  t.is(quoteDollar("$rolec$"), "$rolec_1$$rolec$$rolec_1$");
});

test("comment text cannot end the comment", (t) => {
  t.false(commentText("a\nDROP TABLE x").includes("\n"));
  t.false(/[\r\n\u2028]/.test(commentText("a\u2028b\rc")));
});
