import mysql from "mysql2/promise";

/** One connection to a MySQL/MariaDB server; statements run one at a time, never several in one call. */
export interface MysqlSession {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface MysqlLogin {
  readonly user: string;
  readonly password: string;
}

/** Opens `url` (mysql://user:password@host:port/database), or the same server as another login. */
export async function openMysql(url: string, login?: MysqlLogin): Promise<MysqlSession> {
  const u = new URL(url);
  if (u.protocol !== "mysql:" && u.protocol !== "mariadb:") throw new Error(`not a mysql:// URL`);
  const connection = await mysql.createConnection({
    host: u.hostname || "127.0.0.1",
    port: u.port ? Number(u.port) : 3306,
    user: login ? login.user : decodeURIComponent(u.username) || "root",
    password: login ? login.password : decodeURIComponent(u.password),
    ...(u.pathname.length > 1 && !login ? { database: decodeURIComponent(u.pathname.slice(1)) } : {}),
    multipleStatements: false,
    charset: "utf8mb4_general_ci",
    connectTimeout: 10_000,
  });
  return {
    async query<T>(sql: string, params?: unknown[]) {
      const [rows] = await connection.query(sql, params);
      return (Array.isArray(rows) ? rows : []) as T[];
    },
    async close() {
      await connection.end().catch(() => connection.destroy());
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
