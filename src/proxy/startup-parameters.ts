import { WireError } from "./wire.js";

/**
 * The startup parameters a client may pass through the proxy. Any other name in a startup
 * packet is a run-time setting the server applies before the first statement, out of the
 * proxy's sight: `options=-c role=...`, `search_path=...`, `session_replication_role=...`. So
 * the list is closed: these are formatting preferences that change no name and no privilege.
 */
const passedParameters = new Set(["application_name", "datestyle", "timezone", "extra_float_digits", "intervalstyle"]);

/** What the client asked for, checked: its role, database, and the parameters to pass on. */
export interface ClientStartup {
  readonly role: string;
  readonly database: string;
  readonly parameters: ReadonlyMap<string, string>;
  /** `_pq_.` protocol options the client offered, which the proxy declines. */
  readonly protocolOptions: readonly string[];
}

/** Reads a StartupMessage's parameters; throws StartupRefused for anything the proxy does not pass on. */
export function checkStartup(pairs: ReadonlyMap<string, string>): ClientStartup {
  const role = pairs.get("user");
  if (role === undefined || role === "") throw new StartupRefused("28000", "no role given: the startup message names no user");
  const parameters = new Map<string, string>();
  const protocolOptions: string[] = [];
  for (const [key, value] of pairs) {
    const name = key.toLowerCase();
    if (name === "user" || name === "database") continue;
    if (key.startsWith("_pq_.")) {
      protocolOptions.push(key);
      continue;
    }
    if (name === "client_encoding") {
      // Statements are judged as UTF-8; in another encoding the server would read other characters (and in some, other quotes).
      if (!/^(utf-?8|unicode)$/i.test(value.trim())) throw new StartupRefused("0A000", `client_encoding ${value} is not passed through the proxy: statements are judged as UTF-8 (set PGCLIENTENCODING=UTF8)`);
      continue;
    }
    if (name === "options" && value.trim() === "") continue;
    if (!passedParameters.has(name)) throw new StartupRefused("0A000", `the startup parameter ${key} is not passed through the proxy: it could change the session behind the allow-list`);
    parameters.set(key, value);
  }
  // The server would take the role's name for a database left out.
  return { role, database: pairs.get("database") || role, parameters, protocolOptions };
}

/** Reads the name/value pairs of a StartupMessage body (after the protocol code). */
export function startupPairs(body: Buffer): Map<string, string> {
  const pairs = new Map<string, string>();
  let position = 4;
  for (;;) {
    const end = body.indexOf(0, position);
    if (end < 0) throw new WireError("the startup message is not terminated");
    if (end === position) return pairs;
    const key = body.toString("utf8", position, end);
    const valueEnd = body.indexOf(0, end + 1);
    if (valueEnd < 0) throw new WireError("a startup parameter has no value");
    pairs.set(key, body.toString("utf8", end + 1, valueEnd));
    position = valueEnd + 1;
  }
}

/** A client the proxy will not let in, with the SQLSTATE it is told. */
export class StartupRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
