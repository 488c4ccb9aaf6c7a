import { InputError } from "../diagnostics/input-error.js";

/**
 * How long rolec waits for a database server. Without a limit, a server that accepts the
 * connection and never answers (or a statement stuck behind another session's lock) would hang
 * a command with no output; with one, the command ends with a line that says what timed out.
 */
export interface SessionTimeouts {
  /** From opening the socket to the server being ready for the first statement. */
  readonly connectSeconds: number;
  /** For each statement; 0 for no limit. */
  readonly statementSeconds: number;
}

/**
 * Generous on purpose: each of rolec's statements is one GRANT, REVOKE or catalog query, but a
 * catalog of many thousands of objects, or a busy server, can take a while, and a timeout in the
 * middle of a legitimate apply is a failure of its own.
 */
export const defaultTimeouts: SessionTimeouts = { connectSeconds: 10, statementSeconds: 300 };

/**
 * How much longer than the server's own statement timeout the client waits before it gives up on
 * the connection: a server that honours its timeout reports it first, and the session stays usable.
 */
export const clientGraceMs = 2000;

/** A server that did not answer in time: bad luck or a bad server, not a bug, so it is reported on one line. */
export class TimeoutError extends InputError {}

export function connectTimedOut(timeouts: SessionTimeouts): TimeoutError {
  return new TimeoutError(`no answer within ${timeouts.connectSeconds} s (--connect-timeout ${timeouts.connectSeconds})`);
}

export function statementTimedOut(shown: string, timeouts: SessionTimeouts, sql: string): TimeoutError {
  return new TimeoutError(
    `${shown} did not finish a statement within ${timeouts.statementSeconds} s (--statement-timeout ${timeouts.statementSeconds}): ${statementExcerpt(sql)}`,
  );
}

/** The statement's start, on one line; JSON quoting keeps a hostile name's control characters from reaching the terminal raw. */
function statementExcerpt(sql: string): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}...` : flat);
}

/** Reads a timeout option: a number of seconds, 0 allowed only where it means "no limit". */
export function parseSeconds(option: string, value: unknown, allowZero: boolean): number {
  const seconds = typeof value === "number" ? value : Number(value);
  const smallest = allowZero ? 0 : Number.MIN_VALUE;
  if (!Number.isFinite(seconds) || seconds < smallest || seconds > 86_400) {
    throw new InputError(`--${option} takes a number of seconds${allowZero ? " (0 for no limit)" : " above 0"}, at most 86400, not ${JSON.stringify(String(value))}`);
  }
  return seconds;
}
