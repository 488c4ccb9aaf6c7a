import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { InputError } from "../diagnostics/input-error.js";
import type { SourceFile } from "../source/source.js";
import type { LoadedSources } from "./load-sources.js";
import { checkInputSize } from "./input-limit.js";

const run = promisify(execFile);
const skippedDirectories = new Set(["node_modules"]);

async function git(args: readonly string[], what: string): Promise<Buffer> {
  try {
    // No fetching of missing objects (a partial clone would run the repository's configured ssh command).
    const { stdout } = await run("git", args, { encoding: "buffer", maxBuffer: 1 << 30, env: { ...process.env, GIT_NO_LAZY_FETCH: "1", GIT_TERMINAL_PROMPT: "0" } });
    return stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === "ENOENT") throw new InputError(`${what}: git is not installed`);
    const said = e.stderr?.toString("utf8").trim().split("\n")[0] ?? "";
    throw new InputError(`${what}: ${said || e.message}`);
  }
}

/**
 * Reads the program as it was at a git revision: every `.roles` file under the paths (relative to
 * the working directory, as for the other commands; `.` by default) in that commit, skipping
 * hidden folders and node_modules as loadSources does. Nothing in the working tree is read or
 * changed. Files are named `REVISION:path` (the path from the repository's top), so diagnostics
 * say which version they are about. The revision is checked to name a commit before it is used,
 * and never taken for an option.
 */
export async function loadGitRevision(revision: string, paths: readonly string[]): Promise<LoadedSources> {
  if (revision === "" || revision.startsWith("-")) throw new InputError(`${JSON.stringify(revision)} is not a git revision`);
  const commit = (await git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${revision}^{commit}`], `${JSON.stringify(revision)} is not a commit of the git repository here`).catch(() => {
    throw new InputError(`${JSON.stringify(revision)} is not a commit of the git repository here (a branch, tag or commit hash; is this a git working tree?)`);
  }))
    .toString("utf8")
    .trim();
  const requested = paths.length > 0 ? paths : ["."];
  const listing = (await git(["ls-tree", "-r", "-z", "-l", "--full-name", commit, "--", ...requested], `cannot list ${revision}`)).toString("utf8");
  const entries = listing.split("\0").filter(Boolean).map((line) => {
    const tab = line.indexOf("\t");
    // `-l` adds each blob's size, so the input limit is checked before anything is read.
    const [mode, type, object, size] = line.slice(0, tab).split(/ +/);
    return { mode: mode!, type: type!, object: object!, size: Number(size) || 0, file: line.slice(tab + 1) };
  });
  const inProgram = (file: string) => !file.split("/").slice(0, -1).some((d) => d.startsWith(".") || skippedDirectories.has(d));
  // Reading from disk follows links to files and folders; a link in a commit points at text git does not resolve, so
  // passing over it would leave out lines the compiled program has. It is refused instead.
  const link = entries.find((e) => e.mode === "120000" && inProgram(e.file));
  if (link) throw new InputError(`${revision}:${link.file} is a symbolic link; rolec diff cannot follow links inside a git revision, and leaving it out could hide access it gives. Compare two directories instead (git worktree add)`);
  const wanted = entries.filter((e) => e.type === "blob" && e.file.endsWith(".roles") && inProgram(e.file));
  if (wanted.length === 0) throw new InputError(`no .roles files in ${requested.map((p) => JSON.stringify(p)).join(", ")} at ${revision}`);
  checkInputSize(`the .roles files at ${revision} are together`, wanted.reduce((n, e) => n + e.size, 0), ".roles sources");
  let total = 0;
  const files: SourceFile[] = [];
  for (const entry of wanted) {
    const bytes = await git(["cat-file", "blob", entry.object], `cannot read ${entry.file} at ${revision}`);
    total += bytes.length;
    checkInputSize(`the .roles files at ${revision} are together`, total, ".roles sources");
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new InputError(`${revision}:${entry.file} is not UTF-8 text; .roles files must be UTF-8`);
    }
    files.push({ path: `${revision}:${entry.file}`, text });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root: process.cwd(), files };
}
