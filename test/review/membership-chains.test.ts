import test from "ava";
import { chainLimit, membershipChains } from "../../src/review/index.js";

test("membership chains: shortest first, a NOINHERIT role's parents unreached, cycles and diamonds bounded", (t) => {
  // a -> b -> d, a -> c -> d; e has no inheriting parents (NOINHERIT: its list is empty).
  const parents = new Map<string, readonly string[]>([["a", ["b", "c"]], ["b", ["d"]], ["c", ["d"]], ["d", []], ["e", []], ["x", ["y"]], ["y", ["x"]]]);
  const chains = membershipChains(parents);
  t.deepEqual(chains("a", "d"), { chains: [["a", "b", "d"], ["a", "c", "d"]], truncated: false });
  t.deepEqual(chains("a", "a"), { chains: [["a"]], truncated: false });
  t.deepEqual(chains("e", "d"), { chains: [], truncated: false });
  t.deepEqual(chains("x", "y"), { chains: [["x", "y"]], truncated: false }, "a cycle ends");
  // A ladder of 10 diamonds has 2^10 chains: the shortest chainLimit are listed, and it says there are more.
  const ladder = new Map<string, readonly string[]>();
  for (let i = 0; i < 10; i++) {
    ladder.set(`n${i}`, [`l${i}`, `r${i}`]);
    ladder.set(`l${i}`, [`n${i + 1}`]);
    ladder.set(`r${i}`, [`n${i + 1}`]);
  }
  const many = membershipChains(ladder)("n0", "n10");
  t.is(many.chains.length, chainLimit);
  t.true(many.truncated);
});
