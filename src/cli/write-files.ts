import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describeFsError } from "../load/load-sources.js";
import { InputError } from "../load/input-error.js";

/**
 * Writes every file next to its destination first and renames them into place only once all
 * were written, so a failure (disk full, permissions) never leaves a half-written artifact.
 */
export async function writeFilesAtomically(files: readonly { path: string; content: string }[]): Promise<void> {
  const staged: { temp: string; final: string }[] = [];
  let renamed = 0;
  try {
    for (const file of files) {
      await mkdir(path.dirname(file.path), { recursive: true });
      const temp = path.join(path.dirname(file.path), `.${path.basename(file.path)}.rolec-${process.pid}.tmp`);
      staged.push({ temp, final: file.path });
      await writeFile(temp, file.content, "utf8");
    }
    for (const { temp, final } of staged) {
      await rename(temp, final);
      renamed += 1;
    }
  } catch (error) {
    await Promise.all(staged.map(({ temp }) => rm(temp, { force: true })));
    const e = error as NodeJS.ErrnoException;
    const outcome = renamed === 0 ? "nothing was written" : `${renamed} of ${files.length} files were replaced, none is partial`;
    throw new InputError(`cannot write ${JSON.stringify(e.path ?? "output")}: ${describeFsError(e)}; ${outcome}`);
  }
}
