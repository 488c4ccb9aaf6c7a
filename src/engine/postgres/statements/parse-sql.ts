// PostgreSQL's own parser (libpg-query: the server's grammar compiled to WebAssembly), so that a
// statement is read exactly as the server reads it, never by a pattern. It needs loading once
// before use: the WebAssembly module is compiled on first load. It is imported only then, so
// that the commands that never read SQL (check, compile, plan) do not load it.

/** A parse tree node as libpg-query gives it: `{ NodeType: { ...fields } }`. */
export type SqlNode = Readonly<Record<string, unknown>>;

export interface ParsedSql {
  readonly statements: readonly { readonly stmt: SqlNode; readonly location: number; readonly length: number | undefined }[];
}

export type ParseOutcome = { readonly ok: true; readonly parsed: ParsedSql } | { readonly ok: false; readonly message: string; readonly offset: number };

interface LibpgQuery {
  loadModule(): Promise<void>;
  parseSync(text: string): unknown;
}

let loading: Promise<void> | undefined;
let parser: LibpgQuery | undefined;

/** Loads the parser; call (and await) once before parseSql. */
export function loadSqlParser(): Promise<void> {
  return (loading ??= import("libpg-query").then(async (module) => {
    const loaded = ((module as { default?: LibpgQuery }).default ?? module) as LibpgQuery;
    await loaded.loadModule();
    parser = loaded;
  }));
}

/** Parses one query string (one or several statements); a syntax error is an outcome, not an exception. */
export function parseSql(text: string): ParseOutcome {
  let tree: { stmts?: { stmt?: SqlNode; stmt_location?: number; stmt_len?: number }[] };
  try {
    if (!parser) throw new Error("bug: parseSql before loadSqlParser finished");
    tree = parser.parseSync(text) as typeof tree;
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    if (details === undefined) throw error;
    return { ok: false, message: (error as Error).message, offset: details.cursorPosition ?? 0 };
  }
  const statements = (tree.stmts ?? []).map((s) => ({ stmt: s.stmt ?? {}, location: s.stmt_location ?? 0, length: s.stmt_len }));
  return { ok: true, parsed: { statements } };
}
