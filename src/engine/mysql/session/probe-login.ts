import { quoteMysqlGrantee, quoteMysqlLiteral } from "../quote.js";
import { InputError } from "../../../diagnostics/input-error.js";
import { errorMessage } from "../../session.js";
import type { SessionTimeouts } from "../../session-timeouts.js";
import { mysqlErrno, openMysql, type MysqlLogin, type MysqlSession } from "./mysql-session.js";

/** ER_ACCESS_DENIED_ERROR: the login was refused. */
const accessDenied = 1045;

/**
 * The host part of the account the server matched `admin`'s connection to, as the server sees
 * the client (e.g. `localhost` for 127.0.0.1 when it resolves names). verify's probe account is
 * created for exactly this host: MySQL and MariaDB match a login to the account with the most
 * specific host first and only then look at the user name, so a probe `'x'@'%'` would lose to an
 * anonymous `''@'localhost'`, as a fresh MariaDB has. A probe for the same host as the anonymous
 * account wins, since a named user sorts before the anonymous one.
 */
export async function clientHost(admin: MysqlSession): Promise<string> {
  const [row] = await admin.query<{ who: string }>("SELECT USER() AS who");
  const who = String(row?.who ?? "");
  return who.slice(who.lastIndexOf("@") + 1) || "%";
}

/**
 * Logs in as a declared account (or the probe) to run its probes. A refused login is the server's
 * set-up, not a bug: when an anonymous account took the match, it is named, with the fix.
 */
export async function loginToProbe(url: string, login: MysqlLogin, account: { name: string; host: string }, admin: MysqlSession, timeouts: SessionTimeouts): Promise<MysqlSession> {
  try {
    return await openMysql(url, login, timeouts);
  } catch (error) {
    if (mysqlErrno(error) !== accessDenied) throw new InputError(`verify cannot log in as ${quoteMysqlGrantee(account.name, account.host)} to probe it: ${errorMessage(error)}`);
    const host = await clientHost(admin);
    const anonymous = await admin.query<{ Host: string }>("SELECT Host FROM mysql.user WHERE User = '' AND ? LIKE Host ORDER BY Host", [host]);
    if (anonymous.length === 0) throw new InputError(`verify cannot log in as ${quoteMysqlGrantee(account.name, account.host)} to probe it: ${errorMessage(error)}`);
    // The anonymous user's name is the empty string, which quoteMysqlIdent rightly refuses for anything declared.
    const accounts = anonymous.map((a) => `''@${quoteMysqlLiteral(a.Host)}`);
    throw new InputError(
      `verify cannot log in as ${quoteMysqlGrantee(account.name, account.host)}: the server matches a login from ${quoteMysqlLiteral(host)} to the anonymous account ${accounts.join(", ")} first (the most specific host wins, whatever the user name), as it would for any client there; drop it with DROP USER ${accounts.join(", ")} (as mariadb-secure-installation does), or verify from another host`,
    );
  }
}
