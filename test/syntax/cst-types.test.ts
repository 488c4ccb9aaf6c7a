import test from "ava";
import { readFileSync } from "node:fs";
import path from "node:path";
import { cstTypesSource } from "../../grammar/generate-cst-types.js";
import { repoRoot } from "../helpers/program.js";

test("grammar/cst-types.ts is generated from the current parser (npm run cst-types)", (t) => {
  const committed = readFileSync(path.join(repoRoot, "grammar/cst-types.ts"), "utf8");
  t.is(committed, cstTypesSource(), "grammar/cst-types.ts is stale: run `npm run cst-types` and commit the result");
});
