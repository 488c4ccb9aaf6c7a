import { StatementAnalyzer, type NameResolver } from "./analyze-statement.js";
import { NotUnderstood, type Need } from "./needs.js";
import { fingerprintOf } from "./fingerprint.js";
import { parseSql, type SqlNode } from "./parse-sql.js";

/**
 * A new search path a statement sets. It holds once the server has run the statement: a caller
 * that keeps the session's state applies it on success, and keeps the old path on an error.
 */
export interface SettingChange {
  readonly name: "search_path";
  readonly value: readonly string[];
}

/** A statement prepared with PREPARE, kept by the session: read again at each EXECUTE. */
export interface PreparedQuery {
  readonly query: SqlNode;
}

export interface AnalyzedStatement {
  /** The statement's own text, as it stands in the query string. */
  readonly text: string;
  /** Its fingerprint (fingerprint.ts): the same for statements that differ only in constants. */
  readonly fingerprint?: string;
  readonly needs: readonly Need[];
  readonly setting?: SettingChange;
  /** PREPARE: the statement prepared under this name, for the session to keep. */
  readonly prepare?: { readonly name: string; readonly statement: PreparedQuery };
  /** DEALLOCATE: the name, or true for every prepared statement. */
  readonly deallocate?: string | true;
  /** EXECUTE: the prepared statement it runs (its needs are that statement's, and its parameters'). */
  readonly executes?: string;
  /** COPY FROM STDIN: the client's messages after it are the data, up to CopyDone or CopyFail. */
  readonly copiesFromClient?: true;
  /** DECLARE opens a cursor under this name; FETCH and MOVE use one (judged when it was declared). */
  readonly cursor?: { readonly declares: string } | { readonly uses: string };
  /** PREPARE, EXECUTE or DEALLOCATE: what it does depends on the session's prepared statements, not only on its text. */
  readonly usesPrepared?: true;
  /** Set when the statement was not judged: it is denied whatever the grants. */
  readonly notUnderstood?: NotUnderstood;
}

export interface AnalyzedSql {
  readonly statements: readonly AnalyzedStatement[];
  /** PostgreSQL's parser refused the text: nothing in it is judged. */
  readonly syntaxError?: { readonly message: string; readonly offset: number };
}

/** The longest query string the library reads. */
export const maxQueryBytes = 1024 * 1024;
/** The most statements one query string may hold. */
export const maxStatements = 1000;

/** The session state a statement's reading depends on, as the server has it. */
export interface SqlSessionState {
  /** The search path in force (`SHOW search_path`, split into names). */
  readonly searchPath: readonly string[];
  /** Whether a transaction block is open (ReadyForQuery's status is T or E). */
  readonly inTransaction: boolean;
  /** SQL-level prepared statements (PREPARE name AS ...), by name. */
  readonly prepared?: ReadonlyMap<string, PreparedQuery>;
}

/**
 * Reads a query string (one statement or several) as PostgreSQL would and says what each
 * statement needs. A PREPARE applies to an EXECUTE after it in the same string; a prepared
 * statement is read again at each EXECUTE, with the search path then in force, as PostgreSQL
 * reads it again when the path has changed.
 *
 * A new search path is accepted only from a `SET search_path TO ...` that is the whole query
 * string, outside a transaction block: then it holds exactly when the server says the statement
 * succeeded. Anywhere else the server could undo it behind a caller's back (a later error in the
 * same string, a ROLLBACK, the end of a transaction for SET LOCAL), and RESET would bring back a
 * default (the role's or the database's settings) the library cannot see; those are refused.
 */
export function analyzeSql(text: string, state: SqlSessionState, resolverFor: (searchPath: readonly string[]) => NameResolver): AnalyzedSql {
  // The wire protocol ends a query at a NUL; PostgreSQL's parser would stop there too, leaving the rest unjudged.
  if (text.includes("\u0000")) return { statements: [], syntaxError: { message: "the query holds a NUL character", offset: text.indexOf("\u0000") } };
  if (text.trim() === "") return { statements: [] };
  // Reading is synchronous and grows with the text: a cap keeps one query from stalling a caller for seconds.
  if (Buffer.byteLength(text, "utf8") > maxQueryBytes) {
    return { statements: [{ text: text.slice(0, 80), needs: [], notUnderstood: new NotUnderstood("unsupported", `the query is longer than ${maxQueryBytes / 1024 / 1024} MiB, more than the library reads`) }] };
  }
  const parsed = parseSql(text);
  if (!parsed.ok) {
    if (parsed.syntax) return { statements: [], syntaxError: { message: parsed.message, offset: parsed.offset } };
    return { statements: [{ text, needs: [], notUnderstood: new NotUnderstood("unsupported", parsed.message) }] };
  }
  // Each statement is judged and recorded on its own: a string of many thousands would hold up every caller while it is.
  if (parsed.parsed.statements.length > maxStatements) {
    return { statements: [{ text: text.slice(0, 80), needs: [], notUnderstood: new NotUnderstood("unsupported", `the query string holds ${parsed.parsed.statements.length} statements, more than the ${maxStatements} the library judges in one`) }] };
  }
  const statements: AnalyzedStatement[] = [];
  const path = state.searchPath;
  const prepared = new Map(state.prepared ?? []);
  // The parser's locations count bytes of UTF-8, not characters.
  const bytes = Buffer.from(text, "utf8");
  const alone = parsed.parsed.statements.length === 1;
  for (const { stmt, location, length } of parsed.parsed.statements) {
    const own = bytes.subarray(location, length === undefined ? undefined : location + length).toString("utf8").trim();
    const fingerprint = fingerprintOf(stmt);
    try {
      const [type] = Object.keys(stmt);
      const body = (stmt[type!] ?? {}) as Record<string, unknown>;
      const preparedStatement = preparedStatementStep(type!, body, prepared, path, resolverFor);
      if (preparedStatement) {
        statements.push({ text: own, fingerprint, usesPrepared: true, ...preparedStatement });
        continue;
      }
      const session = sessionStatement(stmt, alone && !state.inTransaction);
      if (session) {
        statements.push({ text: own, fingerprint, needs: [], ...(session.setting ? { setting: session.setting } : {}), ...(session.cursor ? { cursor: session.cursor } : {}) });
        continue;
      }
      const declares = type === "DeclareCursorStmt" ? { cursor: { declares: body.portalname as string } } : {};
      const copiesFromClient = type === "CopyStmt" && body.is_from === true ? { copiesFromClient: true as const } : {};
      statements.push({ text: own, fingerprint, needs: new StatementAnalyzer(resolverFor(path)).needsOf(stmt), ...declares, ...copiesFromClient });
    } catch (error) {
      if (!(error instanceof NotUnderstood) && !(error instanceof RangeError)) throw error;
      // A statement nested deeper than the analysis can follow (PostgreSQL's parser takes a few
      // thousand levels) is denied, not a crash of whoever asked.
      const notUnderstood = error instanceof NotUnderstood ? error : new NotUnderstood("unsupported", "the statement is nested too deeply to judge");
      statements.push({ text: own, fingerprint, needs: [], notUnderstood });
    }
  }
  return { statements };
}

/**
 * PREPARE, EXECUTE and DEALLOCATE, kept in `prepared` as the session would keep them; undefined
 * for any other statement. A step that cannot be taken is denied, as the server would refuse it.
 */
function preparedStatementStep(
  type: string,
  body: Record<string, unknown>,
  prepared: Map<string, PreparedQuery>,
  path: readonly string[],
  resolverFor: (searchPath: readonly string[]) => NameResolver,
): Omit<AnalyzedStatement, "text"> | undefined {
  const name = body.name as string;
  try {
    if (type === "PrepareStmt") {
      if (prepared.has(name)) throw new NotUnderstood("unknown-name", `prepared statement ${name} already exists`);
      const statement = { query: body.query as SqlNode };
      // Read now too, so that what the library does not understand is refused when it is prepared.
      new StatementAnalyzer(resolverFor(path)).needsOf(statement.query);
      prepared.set(name, statement);
      return { needs: [], prepare: { name, statement } };
    }
    if (type === "ExecuteStmt") {
      const statement = prepared.get(name);
      if (!statement) throw new NotUnderstood("unknown-name", `prepared statement ${name} does not exist`);
      // The parameters are expressions like any other: a subquery or a function call among them needs its own privileges.
      const needs = new StatementAnalyzer(resolverFor(path)).needsOf(statement.query, (body.params as SqlNode[] | undefined) ?? []);
      return { needs, executes: name };
    }
    if (type === "DeallocateStmt") {
      if (body.isall === true) prepared.clear();
      else prepared.delete(name);
      return { needs: [], deallocate: body.isall === true ? true : name };
    }
    return undefined;
  } catch (error) {
    if (!(error instanceof NotUnderstood)) throw error;
    return { needs: [], notUnderstood: error };
  }
}

/**
 * Transaction control, SHOW, FETCH, MOVE and CLOSE of a cursor, and the SET of harmless
 * parameters: allowed, needing nothing. Undefined for anything else. `pathMaySet`: the
 * statement is the whole query string, outside a transaction block (see analyzeSql).
 */
function sessionStatement(stmt: SqlNode, pathMaySet: boolean): { setting?: SettingChange; cursor?: { uses: string } } | undefined {
  const [type] = Object.keys(stmt);
  const body = (stmt[type!] ?? {}) as Record<string, unknown>;
  switch (type) {
    case "TransactionStmt":
      if (["TRANS_STMT_PREPARE", "TRANS_STMT_COMMIT_PREPARED", "TRANS_STMT_ROLLBACK_PREPARED"].includes(body.kind as string)) {
        throw new NotUnderstood("unsupported", "two-phase commit (PREPARE TRANSACTION, COMMIT PREPARED) is not understood");
      }
      return {};
    case "FetchStmt":
      return { cursor: { uses: body.portalname as string } };
    case "VariableShowStmt":
    case "ClosePortalStmt":
      return {};
    case "VariableSetStmt":
      return setStatement(body, pathMaySet);
    default:
      // DDL, GRANT and REVOKE, DO blocks and the like: a session behind the allow-list changes no rules.
      if (/^(Create|Alter|Drop|Grant|Rename|Comment|SecLabel|Reassign|Vacuum|Cluster|Reindex|Refresh|Import|Do|Load|Define|Composite|Rule)/.test(type!)) {
        throw new NotUnderstood("refused", `${type!.replace(/Stmt$/, "")} changes the database or the rules, which the allow-list never lets a session do`);
      }
      return undefined;
  }
}

/**
 * Parameters a session may set: none changes who it is, what it may read, or how a statement
 * is parsed. Left out on purpose: role and session_authorization (identity),
 * session_replication_role (skips triggers, the append-only ones among them),
 * standard_conforming_strings and client_encoding (the server would read a string's quotes and
 * backslashes otherwise than the library did), row_security, and anything else not listed.
 */
const settableParameters: ReadonlySet<string> = new Set([
  "search_path", "statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout", "application_name",
  "timezone", "datestyle", "intervalstyle", "extra_float_digits", "client_min_messages", "bytea_output",
  "transaction_isolation", "transaction_read_only", "default_transaction_isolation", "default_transaction_read_only",
  "work_mem", "jit", "TRANSACTION", "SESSION CHARACTERISTICS",
]);

function setStatement(body: Record<string, unknown>, pathMaySet: boolean): { setting?: SettingChange } {
  const kind = body.kind as string;
  if (kind === "VAR_RESET_ALL") throw new NotUnderstood("refused", "RESET ALL brings back a search path the library cannot see; set the parameters one by one");
  const name = body.name as string;
  if (!settableParameters.has(name)) throw new NotUnderstood("refused", `SET ${name} is not a setting a session may change behind the allow-list`);
  if (name !== "search_path") return {};
  if (kind === "VAR_SET_DEFAULT" || kind === "VAR_RESET") throw new NotUnderstood("refused", "the default search path comes from settings the library cannot see; SET search_path TO the schemas instead");
  if (body.is_local === true) throw new NotUnderstood("refused", "SET LOCAL search_path ends with the transaction, which the library does not follow; SET it on its own, outside a transaction block");
  if (!pathMaySet) throw new NotUnderstood("refused", "SET search_path is taken only as a query of its own, outside a transaction block, where it holds exactly when the server says it succeeded");
  if (kind !== "VAR_SET_VALUE") throw new NotUnderstood("unsupported", "this form of SET search_path is not understood");
  const value = ((body.args as SqlNode[] | undefined) ?? []).map((arg) => {
    const sval = ((arg.A_Const as Record<string, unknown> | undefined)?.sval as Record<string, unknown> | undefined)?.sval;
    if (typeof sval !== "string") throw new NotUnderstood("unsupported", "a search path that is not a list of names is not understood");
    return sval;
  });
  return { setting: { name, value } };
}
