import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { describeFsError } from "../diagnostics/fs-error.js";
import { InputError } from "../diagnostics/input-error.js";

/**
 * Files written next to their destinations first and renamed into place only once all were
 * written, so a failure (disk full, permissions) never leaves a half-written one. Each file's
 * text can be let go as soon as it is staged, which matters for artifacts of tens of megabytes.
 */
export class StagedFiles {
  private readonly staged: { temp: string; final: string }[] = [];

  /** Writes a file's text, given whole or in pieces (written one after another, never joined). */
  async stage(file: string, content: string | Iterable<string>): Promise<void> {
    try {
      await mkdir(path.dirname(file), { recursive: true });
      // A name nobody can guess, created only if nothing has that name: a link planted there beforehand is never written through.
      const temp = path.join(path.dirname(file), `.${path.basename(file)}.rolec-${randomBytes(12).toString("hex")}.tmp`);
      this.staged.push({ temp, final: file });
      await writeInChunks(temp, typeof content === "string" ? [content] : content);
    } catch (error) {
      await this.discard();
      throw writeError(error, 0, this.staged.length);
    }
  }

  /** Renames every staged file into place. */
  async commit(): Promise<void> {
    let renamed = 0;
    try {
      for (const { temp, final } of this.staged) {
        await rename(temp, final);
        renamed += 1;
      }
    } catch (error) {
      await this.discard();
      throw writeError(error, renamed, this.staged.length);
    }
  }

  async discard(): Promise<void> {
    await Promise.all(this.staged.map(({ temp }) => rm(temp, { force: true })));
  }
}

/** Characters per write: each becomes a buffer of its own, so a large text never needs one buffer as large as itself. */
const chunkChars = 1 << 20;

async function writeInChunks(file: string, pieces: Iterable<string>): Promise<void> {
  const handle = await open(file, "wx");
  // One buffer for every chunk, large enough for any: a UTF-16 code unit is at most 3 bytes of UTF-8.
  const buffer = Buffer.allocUnsafe(3 * chunkChars);
  try {
    for (const content of pieces) {
      for (let start = 0; start < content.length; ) {
        let end = Math.min(start + chunkChars, content.length);
        // Never split a surrogate pair: each half alone is not UTF-8.
        const last = content.charCodeAt(end - 1);
        if (end < content.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
        const length = buffer.write(content.slice(start, end), 0, "utf8");
        for (let written = 0; written < length; ) written += (await handle.write(buffer, written, length - written)).bytesWritten;
        start = end;
      }
    }
  } finally {
    await handle.close();
  }
}

function writeError(error: unknown, renamed: number, total: number): InputError {
  const e = error as NodeJS.ErrnoException;
  const outcome = renamed === 0 ? "nothing was written" : `${renamed} of ${total} files were replaced, none is partial`;
  return new InputError(`cannot write ${JSON.stringify(e.path ?? "output")}: ${describeFsError(e)}; ${outcome}`);
}

/** Writes every file, or (on a failure) none of them partially: see StagedFiles. */
export async function writeFilesAtomically(files: readonly { path: string; content: string }[]): Promise<void> {
  const staged = new StagedFiles();
  for (const file of files) await staged.stage(file.path, file.content);
  await staged.commit();
}
