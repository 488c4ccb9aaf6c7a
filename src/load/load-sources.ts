import { readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { SourceFile } from "../syntax/source.js";
import { InputError } from "./input-error.js";

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
      const before = found.size;
      await collect(p, found);
      if (found.size === before) throw new InputError(`no .roles files in ${JSON.stringify(p)}`);
    } else {
      found.set(await realpath(p), path.resolve(p));
    }
  }

  const absolute = [...new Set(found.values())];
  const root = directories.length === 1 && requested.length === 1 ? directories[0]! : commonDirectory(absolute);
  const files: SourceFile[] = [];
  for (const file of absolute) {
    const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`cannot read ${JSON.stringify(path.relative(process.cwd(), file))}: ${describeFsError(error)}`);
    });
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

async function collect(directory: string, found: Map<string, string>): Promise<void> {
  const entries = await readdir(directory, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read ${JSON.stringify(directory)}: ${describeFsError(error)}`);
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith(".") || skippedDirectories.has(entry.name)) continue;
      await collect(full, found);
    } else if (entry.isFile() && entry.name.endsWith(".roles")) {
      found.set(await realpath(full), path.resolve(full));
    }
  }
}

function commonDirectory(files: readonly string[]): string {
  if (files.length === 0) return process.cwd();
  let common = path.dirname(files[0]!);
  for (const file of files) {
    while (common !== path.dirname(common) && !(file + path.sep).startsWith(common + path.sep)) common = path.dirname(common);
  }
  return common;
}

export function describeFsError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a directory";
    case "ENOTDIR":
      return "a part of the path is not a directory";
    default:
      return error.message;
  }
}
