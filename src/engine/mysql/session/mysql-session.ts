import mysql from "mysql2/promise";
import { redactUrl } from "../../redact-url.js";
import { clientGraceMs, connectTimedOut, defaultTimeouts, statementTimedOut, type SessionTimeouts } from "../../session-timeouts.js";

/**
 * Errors a statement timeout shows as: MariaDB's max_statement_time (1969), MySQL's
 * max_execution_time (3024), and a lock wait over lock_wait_timeout (1205), which rolec sets too.
 */
const timeoutErrnos = new Set([1969, 3024, 1205]);
/** ER_UNKNOWN_SYSTEM_VARIABLE: MySQL has no max_statement_time. */
const unknownVariable = 1193;

/** One connection to a MySQL/MariaDB server; statements run one at a time, never several in one call. */
export interface MysqlSession {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface MysqlLogin {
  readonly user: string;
  readonly password: string;
}

/**
 * Opens `url` (mysql://user:password@host:port/database), or the same server as another login.
 * The server ends a statement that runs over the statement timeout (MariaDB: any statement;
 * MySQL: lock waits); the client gives up a little later, for a server that does not answer at all.
 */
export async function openMysql(url: string, login?: MysqlLogin, timeouts: SessionTimeouts = defaultTimeouts): Promise<MysqlSession> {
  const u = new URL(url);
  if (u.protocol !== "mysql:" && u.protocol !== "mariadb:") throw new Error(`not a mysql:// URL`);
  const started = Date.now();
  const connection = await mysql.createConnection({
    host: u.hostname || "127.0.0.1",
    port: u.port ? Number(u.port) : 3306,
    user: login ? login.user : decodeURIComponent(u.username) || "root",
    password: login ? login.password : decodeURIComponent(u.password),
    ...(u.pathname.length > 1 && !login ? { database: decodeURIComponent(u.pathname.slice(1)) } : {}),
    multipleStatements: false,
    charset: "utf8mb4_general_ci",
    connectTimeout: Math.max(1, Math.round(timeouts.connectSeconds * 1000)),
  }).catch((error: unknown) => {
    if (Date.now() - started >= timeouts.connectSeconds * 1000) throw connectTimedOut(timeouts);
    throw error;
  });
  const shown = redactUrl(url);
  const statementMs = Math.round(timeouts.statementSeconds * 1000);
  const run = async <T>(sql: string, params?: unknown[]): Promise<T[]> => {
    const sent = Date.now();
    try {
      const [rows] = await connection.query(statementMs > 0 ? { sql, timeout: statementMs + clientGraceMs } : { sql }, params);
      return (Array.isArray(rows) ? rows : []) as T[];
    } catch (error) {
      // mysql2 drops the connection when its own timeout fires: the statement may still be running on the server.
      const clientGaveUp = (error as { code?: unknown } | null)?.code === "PROTOCOL_SEQUENCE_TIMEOUT";
      if (clientGaveUp || (timeoutErrnos.has(mysqlErrno(error) ?? 0) && statementMs > 0 && Date.now() - sent >= statementMs)) throw statementTimedOut(shown, timeouts, sql);
      throw error;
    }
  };
  if (statementMs > 0) {
    try {
      await run("SET SESSION max_statement_time = ?", [timeouts.statementSeconds]).catch((error: unknown) => {
        if (mysqlErrno(error) !== unknownVariable) throw error;
      });
      await run("SET SESSION lock_wait_timeout = ?", [Math.max(1, Math.ceil(timeouts.statementSeconds))]);
    } catch (error) {
      connection.destroy();
      throw error;
    }
  }
  return {
    query: run,
    async close() {
      // A server that does not acknowledge the goodbye in time gets its connection cut.
      let timer: NodeJS.Timeout | undefined;
      const cut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeouts.connectSeconds * 1000)));
      try {
        await Promise.race([connection.end().catch(() => connection.destroy()), cut.then(() => connection.destroy())]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** MySQL's error number, or undefined for anything that is not a server error. */
export function mysqlErrno(error: unknown): number | undefined {
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === "number" ? errno : undefined;
}

export function mysqlSqlState(error: unknown): string | undefined {
  const state = (error as { sqlState?: unknown } | null)?.sqlState;
  return typeof state === "string" ? state : undefined;
}
