import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { sha256 } from "../model/digest.js";
import { describeFsError } from "../load/load-sources.js";
import { InputError } from "../diagnostics/input-error.js";
import { checkInputSize } from "../load/input-limit.js";
import type { Snapshot } from "./format.js";
import { parseSnapshot } from "./validate-snapshot.js";

/** A snapshot as the checker takes it: what it says, where it is, and its digest for the manifest. */
export interface LoadedSnapshot {
  /** Relative to the program root with `/` separators, like source paths, so artifacts do not depend on where rolec runs. */
  readonly path: string;
  /** SHA-256 of the file's bytes. */
  readonly sha256: string;
  readonly snapshot: Snapshot;
}

/** Reads and checks `file`; `root` is the directory the program's source paths are relative to. */
export async function loadSnapshot(file: string, root: string): Promise<LoadedSnapshot> {
  const shown = JSON.stringify(file);
  // The snapshot is parsed whole, as the sources are, so it has the same limit.
  const size = (await stat(file).catch(() => undefined))?.size;
  if (size !== undefined) checkInputSize(`the snapshot ${shown} is`, size, "snapshot");
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read the snapshot ${shown}: ${describeFsError(error)}`);
  });
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`the snapshot ${shown} is not UTF-8 text`);
  }
  const snapshot = parseSnapshot(text, file);
  return { path: path.relative(root, path.resolve(file)).split(path.sep).join("/"), sha256: sha256(bytes), snapshot };
}
