import { StatementAnalyzer, type NameResolver } from "./analyze-statement.js";
import { NotUnderstood, type Need } from "./needs.js";
import { parseSql, type SqlNode } from "./parse-sql.js";

/** A change a statement makes to the session state the library reads (only the search path, so far). */
export interface SettingChange {
  readonly name: "search_path";
  /** The new path; undefined: back to the server's default. */
  readonly value: readonly string[] | undefined;
  /** SET LOCAL: until the end of the transaction. */
  readonly local: boolean;
}

export interface AnalyzedStatement {
  /** The statement's own text, as it stands in the query string. */
  readonly text: string;
  readonly needs: readonly Need[];
  readonly setting?: SettingChange;
  /** PREPARE: the statement prepared under this name needs these when it is executed. */
  readonly prepare?: { readonly name: string; readonly needs: readonly Need[] };
  /** DEALLOCATE: the name, or true for every prepared statement. */
  readonly deallocate?: string | true;
  /** EXECUTE: the prepared statement it runs (its needs are that statement's). */
  readonly executes?: string;
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

/** The server's default search path. */
export const defaultSearchPath: readonly string[] = ["$user", "public"];

/** The session state a statement's reading depends on. */
export interface SqlSessionState {
  readonly searchPath: readonly string[];
  /** SQL-level prepared statements (PREPARE name AS ...), by name, with what each needs. */
  readonly prepared?: ReadonlyMap<string, readonly Need[]>;
}

/**
 * Reads a query string (one statement or several) as PostgreSQL would and says what each
 * statement needs. Names are resolved through the search path in force at each statement: a
 * `SET search_path` earlier in the same string applies to the statements after it, and so does
 * a PREPARE to an EXECUTE. A prepared statement's names are resolved when it is prepared, as
 * PostgreSQL resolves them, and its privileges checked when it is executed, as PostgreSQL checks them.
 */
export function analyzeSql(text: string, state: SqlSessionState, resolverFor: (searchPath: readonly string[]) => NameResolver): AnalyzedSql {
  const parsed = parseSql(text);
  if (!parsed.ok) {
    if (parsed.syntax) return { statements: [], syntaxError: { message: parsed.message, offset: parsed.offset } };
    return { statements: [{ text, needs: [], notUnderstood: new NotUnderstood("unsupported", parsed.message) }] };
  }
  const statements: AnalyzedStatement[] = [];
  let path = state.searchPath;
  const prepared = new Map(state.prepared ?? []);
  for (const { stmt, location, length } of parsed.parsed.statements) {
    const own = text.slice(location, length === undefined ? undefined : location + length).trim();
    try {
      const [type] = Object.keys(stmt);
      const body = (stmt[type!] ?? {}) as Record<string, unknown>;
      const preparedStatement = preparedStatementStep(type!, body, prepared, path, resolverFor);
      if (preparedStatement) {
        statements.push({ text: own, usesPrepared: true, ...preparedStatement });
        continue;
      }
      const session = sessionStatement(stmt);
      if (session) {
        if (session.setting) path = session.setting.value ?? defaultSearchPath;
        statements.push({ text: own, needs: [], ...(session.setting ? { setting: session.setting } : {}) });
        continue;
      }
      statements.push({ text: own, needs: new StatementAnalyzer(resolverFor(path)).needsOf(stmt) });
    } catch (error) {
      if (!(error instanceof NotUnderstood) && !(error instanceof RangeError)) throw error;
      // A statement nested deeper than the analysis can follow (PostgreSQL's parser takes a few
      // thousand levels) is denied, not a crash of whoever asked.
      const notUnderstood = error instanceof NotUnderstood ? error : new NotUnderstood("unsupported", "the statement is nested too deeply to judge");
      statements.push({ text: own, needs: [], notUnderstood });
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
  prepared: Map<string, readonly Need[]>,
  path: readonly string[],
  resolverFor: (searchPath: readonly string[]) => NameResolver,
): Omit<AnalyzedStatement, "text"> | undefined {
  const name = body.name as string;
  try {
    if (type === "PrepareStmt") {
      if (prepared.has(name)) throw new NotUnderstood("unknown-name", `prepared statement ${name} already exists`);
      const needs = new StatementAnalyzer(resolverFor(path)).needsOf(body.query as SqlNode);
      prepared.set(name, needs);
      return { needs: [], prepare: { name, needs } };
    }
    if (type === "ExecuteStmt") {
      const needs = prepared.get(name);
      if (!needs) throw new NotUnderstood("unknown-name", `prepared statement ${name} does not exist`);
      // The parameters are values: they read no column.
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

/** Transaction control, SHOW, FETCH, MOVE and CLOSE of a cursor, and the SET of harmless parameters: allowed, needing nothing. Undefined for anything else. */
function sessionStatement(stmt: SqlNode): { setting?: SettingChange } | undefined {
  const [type] = Object.keys(stmt);
  const body = (stmt[type!] ?? {}) as Record<string, unknown>;
  switch (type) {
    case "TransactionStmt":
      if (["TRANS_STMT_PREPARE", "TRANS_STMT_COMMIT_PREPARED", "TRANS_STMT_ROLLBACK_PREPARED"].includes(body.kind as string)) {
        throw new NotUnderstood("unsupported", "two-phase commit (PREPARE TRANSACTION, COMMIT PREPARED) is not understood");
      }
      return {};
    case "VariableShowStmt":
    case "FetchStmt":
    case "ClosePortalStmt":
      return {};
    case "VariableSetStmt":
      return setStatement(body);
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

function setStatement(body: Record<string, unknown>): { setting?: SettingChange } {
  const kind = body.kind as string;
  const local = body.is_local === true;
  if (kind === "VAR_RESET_ALL") return { setting: { name: "search_path", value: undefined, local } };
  const name = body.name as string;
  if (!settableParameters.has(name)) throw new NotUnderstood("refused", `SET ${name} is not a setting a session may change behind the allow-list`);
  if (name !== "search_path") return {};
  if (kind === "VAR_SET_DEFAULT" || kind === "VAR_RESET") return { setting: { name, value: undefined, local } };
  if (kind !== "VAR_SET_VALUE") throw new NotUnderstood("unsupported", "this form of SET search_path is not understood");
  const value = ((body.args as SqlNode[] | undefined) ?? []).map((arg) => {
    const sval = ((arg.A_Const as Record<string, unknown> | undefined)?.sval as Record<string, unknown> | undefined)?.sval;
    if (typeof sval !== "string") throw new NotUnderstood("unsupported", "a search path that is not a list of names is not understood");
    return sval;
  });
  return { setting: { name, value, local } };
}
