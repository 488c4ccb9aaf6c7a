// PostgreSQL's own parser (libpg-query: the server's grammar compiled to WebAssembly), so that a
// statement is read exactly as the server reads it, never by a pattern. It needs loading once
// before use: the WebAssembly module is compiled on first load. It is required only then, so
// that the commands that never read SQL (check, compile, plan) do not load it.
import { createRequire } from "node:module";
import { sep } from "node:path";

/** A parse tree node as libpg-query gives it: `{ NodeType: { ...fields } }`. */
export type SqlNode = Readonly<Record<string, unknown>>;

export interface ParsedSql {
  readonly statements: readonly { readonly stmt: SqlNode; readonly location: number; readonly length: number | undefined }[];
}

export type ParseOutcome =
  | { readonly ok: true; readonly parsed: ParsedSql }
  /** PostgreSQL's parser refused the text. */
  | { readonly ok: false; readonly syntax: true; readonly message: string; readonly offset: number }
  /** The parser could not read it (nested too deeply for the stack), or is being loaded again after that. */
  | { readonly ok: false; readonly syntax: false; readonly message: string };

interface LibpgQuery {
  loadModule(): Promise<void>;
  parseSync(text: string): unknown;
}

const requireHere = createRequire(import.meta.url);
let loading: Promise<void> | undefined;
let parser: LibpgQuery | undefined;

/**
 * Loads the parser; call (and await) once before parseSql, and again to wait for it after a
 * statement too deep for it made it load afresh.
 */
export function loadSqlParser(): Promise<void> {
  return (loading ??= (async () => {
    // A fresh module each time, its own WebAssembly instance with it (see parseSql).
    for (const key of Object.keys(requireHere.cache)) if (key.includes(`${sep}libpg-query${sep}`)) delete requireHere.cache[key];
    const fresh = requireHere("libpg-query") as LibpgQuery;
    await fresh.loadModule();
    parser = fresh;
  })());
}

/** Parses one query string (one or several statements); a refusal is an outcome, never an exception. */
export function parseSql(text: string): ParseOutcome {
  if (!parser) {
    if (!loading) throw new Error("bug: parseSql before loadSqlParser");
    return { ok: false, syntax: false, message: "PostgreSQL's parser is loading again after a statement too deep for it; nothing is judged until it is back" };
  }
  let tree: { stmts?: { stmt?: SqlNode; stmt_location?: number; stmt_len?: number }[] };
  try {
    tree = parser.parseSync(text) as typeof tree;
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    if (details !== undefined) return { ok: false, syntax: true, message: (error as Error).message, offset: details.cursorPosition ?? 0 };
    // Anything else went wrong inside the WebAssembly parser. It recurses on the JavaScript stack:
    // a statement nested deeply enough (`1+1+...+1`, some tens of thousands of terms) runs out of
    // it mid-parse, which leaves the instance's own stack and memory in disorder (later parses
    // then fail or read wrong); a huge one can make it exit or return nothing. So the instance is
    // dropped and a fresh one loaded; until it is, every statement is refused.
    parser = undefined;
    loading = undefined;
    // A failure to load shows to whoever awaits loadSqlParser; parseSql keeps refusing meanwhile.
    loadSqlParser().catch(() => undefined);
    return { ok: false, syntax: false, message: "PostgreSQL's parser could not read the statement here (nested too deeply, or too large)" };
  }
  const statements = (tree.stmts ?? []).map((s) => ({ stmt: s.stmt ?? {}, location: s.stmt_location ?? 0, length: s.stmt_len }));
  return { ok: true, parsed: { statements } };
}
