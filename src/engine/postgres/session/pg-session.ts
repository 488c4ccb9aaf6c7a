import pg from "pg";
import { redactUrl } from "../../redact-url.js";
import { clientGraceMs, connectTimedOut, defaultTimeouts, statementTimedOut, type SessionTimeouts } from "../../session-timeouts.js";
import { sqlState, type SqlSession } from "../../session.js";

/** query_canceled: statement_timeout, or someone's pg_cancel_backend; how long the statement ran tells which. */
const canceled = "57014";

/**
 * A session on a PostgreSQL server through node-postgres; one connection, so SET ROLE and savepoints hold.
 * The server enforces the statement timeout (and ends a statement stuck behind a lock, inside a
 * transaction that then rolls back); the client gives up a little later, for a server that does not answer at all.
 */
export async function openPgServer(connectionString: string, timeouts: SessionTimeouts = defaultTimeouts): Promise<SqlSession> {
  const statementMs = Math.round(timeouts.statementSeconds * 1000);
  const client = new pg.Client({
    connectionString,
    connectionTimeoutMillis: Math.max(1, Math.round(timeouts.connectSeconds * 1000)),
    ...(statementMs > 0 ? { query_timeout: statementMs + clientGraceMs } : {}),
  });
  // An idle connection can report an error (e.g. the server shutting down); surface it on the next query instead of crashing.
  client.on("error", () => undefined);
  const started = Date.now();
  try {
    await client.connect();
  } catch (error) {
    if (Date.now() - started >= timeouts.connectSeconds * 1000) throw connectTimedOut(timeouts);
    throw error;
  }
  const shown = redactUrl(connectionString);
  const run = async (sql: string, params: unknown[] = []) => {
    const sent = Date.now();
    try {
      // Without parameters, the simple protocol: a script of several statements runs as one.
      return params.length > 0 ? await client.query(sql, params) : await client.query(sql);
    } catch (error) {
      if ((error as Error)?.message === "Query read timeout") {
        // The query is still in flight: later statements would queue behind it, so the connection goes.
        destroy(client);
        throw statementTimedOut(shown, timeouts, sql);
      }
      if (sqlState(error) === canceled && statementMs > 0 && Date.now() - sent >= statementMs) throw statementTimedOut(shown, timeouts, sql);
      throw error;
    }
  };
  // set_config, not a startup parameter: connection poolers such as PgBouncer refuse unknown startup parameters.
  if (statementMs > 0) {
    await run("SELECT pg_catalog.set_config('statement_timeout', $1, false)", [String(statementMs)]).catch((error: unknown) => {
      destroy(client);
      throw error;
    });
  }
  // No JIT: rolec's catalog queries are large but cheap, and compiling them cost the server more
  // than running them (a third of a second of one plan's on 10,000 tables). Servers before 11 have no setting.
  await run("SELECT pg_catalog.set_config(name, 'off', false) FROM pg_catalog.pg_settings WHERE name = 'jit'").catch((error: unknown) => {
    destroy(client);
    throw error;
  });
  return {
    exec: async (sql) => {
      await run(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await run(sql, params)).rows as T[],
    close: () => closeWithin(client, timeouts.connectSeconds * 1000),
  };
}

/** Ends the connection politely, or cuts it when the server does not acknowledge the goodbye in time. */
async function closeWithin(client: pg.Client, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const cut = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      destroy(client);
      resolve();
    }, ms);
  });
  try {
    await Promise.race([client.end().catch(() => undefined), cut]);
  } finally {
    clearTimeout(timer);
  }
}

/** node-postgres has no public way to drop a connection whose query is still in flight. */
function destroy(client: pg.Client): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}
