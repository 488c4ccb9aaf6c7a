import { sqlState } from "../../session.js";
import type { SessionTimeouts } from "../../session-timeouts.js";
import { openPgServer } from "../session/pg-session.js";

/** What logging in as a role gave: in, refused for want of CONNECT (42501), or not tried to the end (no way to log in as it here). */
export type ConnectOutcome = "connected" | "refused" | "cannot log in here";

/**
 * Logs in to a database as a role, without a password (rolec never sets one): on a server that
 * lets it (trust or peer authentication, as scratch servers are set up), PostgreSQL checks the
 * role's CONNECT on the database as it starts the session. An authentication failure says
 * nothing about CONNECT, so it is told apart.
 */
export function connectProbe(databaseUrl: string, timeouts: SessionTimeouts): (role: string) => Promise<ConnectOutcome> {
  return async (role) => {
    const target = new URL(databaseUrl);
    target.username = encodeURIComponent(role);
    target.password = "";
    try {
      const session = await openPgServer(target.toString(), timeouts);
      await session.close();
      return "connected";
    } catch (error) {
      return sqlState(error) === "42501" ? "refused" : "cannot log in here";
    }
  };
}
