import test from "ava";
import { readFileSync } from "node:fs";
import path from "node:path";
import { rolecVersion } from "../src/version.js";
import { repoRoot } from "./helpers/program.js";

test("the version in artifacts is package.json's", (t) => {
  t.is(rolecVersion, JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")).version);
});
