import test from "ava";
import { compositeKey, sameParts, splitCompositeKey } from "../../src/model/composite-key.js";
import { objectKey } from "../../src/model/ir.js";

// The bytes matter, not only equality: some keys are sorted (plan-default-privileges.ts) and some
// are extended by one more part. These are the bytes the hand-built keys had.
test("parts joined by NUL, null as U+0001, numbers as their text", (t) => {
  t.is(compositeKey("a", "b"), "a\u0000b");
  t.is(compositeKey("r", "s", "t", "select", null), "r\u0000s\u0000t\u0000select\u0000\u0001");
  t.is(compositeKey("r", "s", "t", "select", ""), "r\u0000s\u0000t\u0000select\u0000");
  t.is(compositeKey("f.roles", 12), "f.roles\u000012");
  t.is(compositeKey("x", ""), "x\u0000");
  t.is(compositeKey(), "");
  t.is(compositeKey(compositeKey("a", "b"), "option"), "a\u0000b\u0000option");
});

test("objectKey is the schema and name key", (t) => {
  t.is(objectKey({ schema: "s", name: "t" }), compositeKey("s", "t"));
});

test("a key of strings splits back into them", (t) => {
  t.deepEqual(splitCompositeKey(compositeKey("owner", "", "tables")), ["owner", "", "tables"]);
});

test("sameParts compares lists as their keys do", (t) => {
  t.true(sameParts(["a", "b"], ["a", "b"]));
  t.false(sameParts(["a", "b"], ["b", "a"]));
  t.false(sameParts(["a"], ["a", "b"]));
});
