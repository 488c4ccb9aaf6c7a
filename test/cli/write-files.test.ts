import test from "ava";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { StagedFiles, writeFilesAtomically } from "../../src/cli/write-files.js";
import { InputError } from "../../src/diagnostics/index.js";
import { tempDir } from "../helpers/cli.js";

// Artifacts are written in chunks of 2^20 characters, staged beside their destinations and
// renamed into place only once all are written.
const chunk = 1 << 20;

test("a text longer than a chunk, with a surrogate pair across the chunk boundary, is written byte for byte", async (t) => {
  const dir = tempDir();
  const text = `${"a".repeat(chunk - 1)}😀${"é".repeat(chunk)}日本\n`;
  t.is(text.charCodeAt(chunk - 1) >= 0xd800 && text.charCodeAt(chunk - 1) <= 0xdbff, true, "the pair straddles the boundary");
  await writeFilesAtomically([{ path: path.join(dir, "whole.txt"), content: text }]);
  const staged = new StagedFiles();
  await staged.stage(path.join(dir, "pieces.txt"), [text.slice(0, 10), text.slice(10, chunk + 5), text.slice(chunk + 5)]);
  await staged.commit();
  for (const name of ["whole.txt", "pieces.txt"]) t.true(readFileSync(path.join(dir, name)).equals(Buffer.from(text, "utf8")), name);
  t.deepEqual(readdirSync(dir).sort(), ["pieces.txt", "whole.txt"]);
});

test("a file that cannot be written leaves every destination as it was and no staged file behind", async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "a.txt"), "before\n");
  writeFileSync(path.join(dir, "blocker"), "a file where a folder should be\n");
  const error = await t.throwsAsync(
    writeFilesAtomically([
      { path: path.join(dir, "a.txt"), content: "after\n" },
      { path: path.join(dir, "blocker", "b.txt"), content: "never\n" },
    ]),
  );
  t.true(error instanceof InputError);
  t.regex(error!.message, /^cannot write ".*blocker.*": .*; nothing was written$/);
  t.is(readFileSync(path.join(dir, "a.txt"), "utf8"), "before\n");
  t.deepEqual(readdirSync(dir).sort(), ["a.txt", "blocker"]);
});
