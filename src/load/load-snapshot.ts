import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { sha256 } from "../model/digest.js";
import { describeFsError } from "../diagnostics/fs-error.js";
import { InputError } from "../diagnostics/input-error.js";
import { checkInputSize } from "./input-limit.js";
import type { LoadedSnapshot, Snapshot } from "../model/snapshot.js";
import { parseSnapshot } from "../snapshot/validate-snapshot.js";

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
