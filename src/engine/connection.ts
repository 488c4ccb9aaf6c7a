import { InputError } from "../diagnostics/input-error.js";
import { redactUrl } from "./redact-url.js";
import { defaultTimeouts, type SessionTimeouts } from "./session-timeouts.js";

import type { EngineName } from "./engine-name.js";

export interface Connection {
  readonly engine: EngineName;
  /** The URL to connect with, password included. */
  readonly url: string;
  /** The URL as it may be printed: never with its password. */
  readonly shown: string;
  /** How long to wait for the server to connect, and for each statement. */
  readonly timeouts: SessionTimeouts;
}

/**
 * Reads --db (and --db-password-env): postgres:// or postgresql:// for PostgreSQL, mysql:// or
 * mariadb:// for MySQL/MariaDB. A password may come from an environment variable instead of the
 * URL, so it appears neither in shell history nor in CI logs; PGPASSWORD works as with psql.
 * A PostgreSQL URL must name its database: every command that takes one reads or changes that one.
 */
export function parseConnection(db: string, passwordEnv: string | undefined, timeouts: SessionTimeouts = defaultTimeouts): Connection {
  let url: URL;
  try {
    url = new URL(db);
  } catch {
    throw new InputError(`--db is not a connection URL (postgres://user@host:port/database or mysql://user@host:port)`);
  }
  const engine: EngineName | undefined =
    url.protocol === "postgres:" || url.protocol === "postgresql:" ? "postgres" : url.protocol === "mysql:" || url.protocol === "mariadb:" ? "mysql" : undefined;
  if (!engine) throw new InputError(`--db must start with postgres://, postgresql://, mysql:// or mariadb://, not ${url.protocol}//`);
  // libpq would quietly take the user's name (or PGDATABASE) for it, and plan a database nobody meant.
  if (engine === "postgres" && decodeURIComponent(url.pathname.replace(/^\//, "")) === "") {
    const example = `${url.protocol}//${url.username ? `${url.username}@` : ""}${url.host}/DBNAME`;
    throw new InputError(`--db ${redactUrl(db)} names no database; add /DBNAME, as in ${example}`);
  }
  if (passwordEnv !== undefined) {
    const password = process.env[passwordEnv];
    if (password === undefined) throw new InputError(`--db-password-env names ${passwordEnv}, which is not set`);
    url.password = encodeURIComponent(password);
  }
  const full = url.toString();
  return { engine, url: full, shown: redactUrl(full), timeouts };
}
