import { readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { SourceFile } from "../source/source.js";
import { InputError } from "../diagnostics/input-error.js";
import { describeFsError } from "../diagnostics/fs-error.js";
import { checkInputSize } from "./input-limit.js";

export interface LoadedSources {
  /** The directory every source path is relative to. */
  readonly root: string;
  /** Sorted by path. Paths are relative to `root`, with `/` separators, so artifacts do not depend on where rolec runs. */
  readonly files: readonly SourceFile[];
}

const skippedDirectories = new Set(["node_modules"]);

/**
 * Reads the program: every `.roles` file under each directory given (recursively, skipping
 * hidden folders and node_modules) plus each file named. Anything unreadable is an InputError.
 */
export async function loadSources(paths: readonly string[]): Promise<LoadedSources> {
  const requested = paths.length > 0 ? paths : ["."];
  const found = new Map<string, string>();
  const directories: string[] = [];
  for (const p of requested) {
    const info = await stat(p).catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`cannot read ${JSON.stringify(p)}: ${describeFsError(error)}`);
    });
    if (info.isDirectory()) {
      directories.push(path.resolve(p));
      if ((await collect(p, found, new Set())) === 0) throw new InputError(`no .roles files in ${JSON.stringify(p)}`);
    } else if (info.isFile()) {
      found.set(await realpath(p), path.resolve(p));
    } else {
      throw new InputError(`cannot read ${JSON.stringify(p)}: it is not a regular file`);
    }
  }

  const absolute = [...new Set(found.values())];
  const root = directories.length === 1 && requested.length === 1 ? directories[0]! : commonDirectory(absolute);
  const shown = (file: string) => JSON.stringify(path.relative(process.cwd(), file));
  const what = absolute.length === 1 ? `${shown(absolute[0]!)} is` : `the ${absolute.length} .roles files are together`;
  // From the sizes, before any is read: too much input would end in V8 running out of memory, minutes later.
  let total = 0;
  for (const file of absolute) total += (await stat(file).catch(() => undefined))?.size ?? 0;
  checkInputSize(what, total, ".roles sources");
  let read = 0;
  const files: SourceFile[] = [];
  for (const file of absolute) {
    const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`cannot read ${shown(file)}: ${describeFsError(error)}`);
    });
    // A file that grew after it was measured counts as it is now.
    read += bytes.length;
    checkInputSize(what, read, ".roles sources");
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new InputError(`${JSON.stringify(path.relative(process.cwd(), file))} is not UTF-8 text; .roles files must be UTF-8`);
    }
    files.push({ path: path.relative(root, file).split(path.sep).join("/"), text });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root, files };
}

/**
 * Adds every .roles file under `directory` to `found` and returns how many it saw (files already
 * found through another argument included). Links are followed; a folder reached twice is read once.
 */
async function collect(directory: string, found: Map<string, string>, visited: Set<string>): Promise<number> {
  const real = await realpath(directory);
  if (visited.has(real)) return 0;
  visited.add(real);
  let count = 0;
  const entries = await readdir(directory, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read ${JSON.stringify(directory)}: ${describeFsError(error)}`);
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    // A link counts as what it points to; a broken link, a FIFO or a socket is passed over.
    const info = entry.isSymbolicLink() ? await stat(full).catch(() => undefined) : entry;
    if (!info) continue;
    if (info.isDirectory()) {
      if (entry.name.startsWith(".") || skippedDirectories.has(entry.name)) continue;
      count += await collect(full, found, visited);
    } else if (info.isFile() && entry.name.endsWith(".roles")) {
      found.set(await realpath(full), path.resolve(full));
      count += 1;
    }
  }
  return count;
}

function commonDirectory(files: readonly string[]): string {
  if (files.length === 0) return process.cwd();
  let common = path.dirname(files[0]!);
  for (const file of files) {
    while (common !== path.dirname(common) && !(file + path.sep).startsWith(common + path.sep)) common = path.dirname(common);
  }
  return common;
}

