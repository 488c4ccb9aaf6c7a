import { randomBytes } from "node:crypto";
import { mysqlNames, quoteMysqlIdent } from "../../src/engine/mysql/index.js";
import { quoteIdent } from "../../src/engine/postgres/index.js";
import { connectMysql } from "../../src/engine/mysql/index.js";
import type { Model } from "../../src/model/ir.js";
import { type SqlSession } from "../../src/engine/index.js";
import { openMysql, type MysqlSession } from "../../src/engine/mysql/index.js";
import { openPgServer } from "../../src/engine/postgres/index.js";
import { scratchSchemaSql } from "../../src/engine/postgres/verify/scratch-schema.js";

/**
 * Server tests read their server from an environment variable. Unset, they are skipped with a
 * one-line note; under ROLEC_REQUIRE_SERVERS=1 (as in .ci/run) a missing variable is a failure.
 */
export function serverUrl(variable: "ROLEC_TEST_PG_URL" | "ROLEC_TEST_MYSQL_URL"): string | undefined {
  const url = process.env[variable];
  if (!url) {
    if (process.env.ROLEC_REQUIRE_SERVERS === "1") throw new Error(`${variable} is not set, and ROLEC_REQUIRE_SERVERS=1 requires it`);
    process.stderr.write(`note: ${variable} is not set; skipping the tests that need that server\n`);
  }
  return url;
}

/** The same URL, pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}


/**
 * A fresh database on the PostgreSQL server, for one test or one file of tests. Roles are
 * cluster-wide, so `roles` are dropped before and on close, and the database is held under an
 * advisory lock: test files that ava runs in parallel processes take their turns on the server.
 */
export async function openScratchDatabase(url: string, roles: readonly string[]): Promise<{ databaseUrl: string; close: () => Promise<void> }> {
  const admin = await openPgServer(url);
  const database = `rolec_test_${randomBytes(4).toString("hex")}`;
  try {
    await admin.query("SELECT pg_advisory_lock(727274)");
    await dropRoles(admin, roles);
    await admin.exec(`CREATE DATABASE ${quoteIdent(database)}`);
  } catch (error) {
    await admin.close();
    throw error;
  }
  return {
    databaseUrl: withDatabase(url, database),
    close: async () => {
      try {
        await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
        await dropRoles(admin, roles);
      } finally {
        await admin.close(); // closing the session also releases the advisory lock
      }
    },
  };
}

export async function withScratchDatabase<T>(url: string, roles: readonly string[], fn: (databaseUrl: string) => Promise<T>): Promise<T> {
  const scratch = await openScratchDatabase(url, roles);
  try {
    return await fn(scratch.databaseUrl);
  } finally {
    await scratch.close();
  }
}

/**
 * A fresh database with a program's declared schemas and objects created (as `rolec verify`
 * creates them), and a session on it, for a test that plans or applies on the server.
 */
export async function withDeclaredObjects<T>(url: string, roles: readonly string[], model: Model, fn: (session: SqlSession, databaseUrl: string) => Promise<T>): Promise<T> {
  return withScratchDatabase(url, roles, async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(scratchSchemaSql(model).sql);
      return await fn(session, databaseUrl);
    } finally {
      await session.close();
    }
  });
}

async function dropRoles(admin: SqlSession, roles: readonly string[]): Promise<void> {
  for (const role of roles) {
    const exists = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    if (exists.length > 0) await admin.exec(`DROP OWNED BY ${quoteIdent(role)}; DROP ROLE ${quoteIdent(role)}`);
  }
}

/**
 * Runs `fn` while holding a lock on the MySQL/MariaDB server: accounts and roles are server-wide,
 * so test files that ava runs in parallel processes take their turns there.
 */
export async function withMysqlLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const holder = await openMysql(url);
  try {
    const [row] = await holder.query<{ got: number | null }>("SELECT GET_LOCK('rolec_tests', 600) AS got");
    if (row?.got !== 1) throw new Error("could not get the rolec_tests lock on the MySQL server in 10 minutes");
    return await fn();
  } finally {
    await holder.close(); // closing the connection also releases the lock
  }
}

/**
 * A fresh database on the MySQL/MariaDB server, named `prefix` and random hex, with a root
 * session on it, under the server lock. Accounts and roles are server-wide, so `dropPrincipals`
 * (DROP ... IF EXISTS statements) run before and after; the database and the helper database
 * compiled scripts leave are dropped afterwards.
 */
export async function withMysqlScratchDatabase<T>(url: string, prefix: string, dropPrincipals: readonly string[], fn: (session: MysqlSession, db: string) => Promise<T>): Promise<T> {
  return withMysqlLock(url, async () => {
    const db = `${prefix}${randomBytes(4).toString("hex")}`;
    const session = await connectMysql(url, "the test server");
    try {
      for (const sql of dropPrincipals) await session.query(sql);
      await session.query(`CREATE DATABASE ${quoteMysqlIdent(db)}`);
      return await fn(session, db);
    } finally {
      await session.query(`DROP DATABASE IF EXISTS ${quoteMysqlIdent(db)}`).catch(() => undefined);
      await session.query(`DROP DATABASE IF EXISTS ${quoteMysqlIdent(mysqlNames.helperDatabase)}`).catch(() => undefined);
      for (const sql of dropPrincipals) await session.query(sql).catch(() => undefined);
      await session.close();
    }
  });
}
