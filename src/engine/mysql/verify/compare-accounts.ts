import { defaultAccountOptions, type AccountOptions } from "../../../model/account-options.js";
import type { Model } from "../../../model/ir.js";
import type { RoleMismatch } from "../../verify-report.js";
import { mysqlErrno, openMysql, type MysqlLogin, type MysqlSession } from "../session/mysql-session.js";
import type { SessionTimeouts } from "../../session-timeouts.js";
import { quoteMysqlGrantee } from "../quote.js";

/** ER_ACCESS_DENIED_ERROR: the login was refused. */
const accessDenied = 1045;

/**
 * Each declared account's options as mysql.user holds them after the script, field by field, in
 * the server's own words (ssl_type ANY for require_ssl, max_questions for max_queries_per_hour,
 * ...), against what the files say, written out here from docs/language.md rather than taken
 * from the statements that set them. MariaDB keeps the password's lifetime in global_priv only.
 */
export async function compareAccounts(model: Model, admin: MysqlSession, mariadb: boolean): Promise<RoleMismatch[]> {
  const mismatches: RoleMismatch[] = [];
  for (const role of model.roles.filter((r) => r.login && !r.external)) {
    const want = role.account ?? defaultAccountOptions;
    const [row] = await admin.query<Record<string, string | number | null>>(
      `SELECT u.ssl_type AS ssl_type, CONVERT(u.x509_issuer USING utf8mb4) AS issuer, CONVERT(u.x509_subject USING utf8mb4) AS subject,
              CONVERT(u.ssl_cipher USING utf8mb4) AS cipher, u.max_questions AS queries, u.max_updates AS updates, u.max_connections AS connections,
              ${mariadb ? "(SELECT JSON_VALUE(g.Priv, '$.password_lifetime') FROM mysql.global_priv g WHERE g.User = u.User AND g.Host = u.Host)" : "u.password_lifetime"} AS lifetime
       FROM mysql.user u WHERE u.User = ? AND u.Host = ?`,
      [role.name, role.host],
    );
    if (!row) continue; // a missing account is reported by the probes, which cannot log in
    const expectedType = { none: "", ssl: "ANY", x509: "X509", specified: "SPECIFIED" }[want.require];
    const lifetime = row.lifetime === null || Number(row.lifetime) < 0 ? "the server's default" : `${Number(row.lifetime)} days`;
    const fields: [string, string, string][] = [
      ["ssl_type", expectedType, String(row.ssl_type ?? "")],
      ["x509_issuer", want.issuer, String(row.issuer ?? "")],
      ["x509_subject", want.subject, String(row.subject ?? "")],
      ["ssl_cipher", want.cipher, String(row.cipher ?? "")],
      ["max_questions", String(want.maxQueriesPerHour), String(Number(row.queries))],
      ["max_updates", String(want.maxUpdatesPerHour), String(Number(row.updates))],
      ["max_connections", String(want.maxConnectionsPerHour), String(Number(row.connections))],
      ["password lifetime", want.passwordLifetime === null ? "the server's default" : `${want.passwordLifetime} days`, lifetime],
    ];
    for (const [what, expected, actual] of fields) {
      if (expected !== actual) mismatches.push({ role: role.name, what: `account option ${what}`, expected: JSON.stringify(expected), actual: JSON.stringify(actual) });
    }
  }
  return mismatches;
}

/**
 * An account that requires TLS must be refused a plain connection: verify's own connection to it
 * uses none, so the login has to fail with access denied. The requirement and the hourly limits
 * are then lifted for the probes (the accounts are verify's scratch copies), which connect
 * without TLS and run more statements than a limit may allow.
 */
export async function proveAndLiftAccountOptions(
  account: { name: string; host: string; options: AccountOptions | undefined },
  url: string,
  login: MysqlLogin,
  admin: MysqlSession,
  timeouts: SessionTimeouts,
): Promise<RoleMismatch[]> {
  const options = account.options ?? defaultAccountOptions;
  const mismatches: RoleMismatch[] = [];
  if (options.require !== "none") {
    let refused: boolean;
    try {
      await (await openMysql(url, login, timeouts)).close();
      refused = false;
    } catch (error) {
      if (mysqlErrno(error) !== accessDenied) throw error;
      refused = true;
    }
    if (!refused) mismatches.push({ role: account.name, what: `login without TLS (require ${options.require})`, expected: "refused", actual: "allowed" });
  }
  if (options.require !== "none" || options.maxQueriesPerHour + options.maxUpdatesPerHour + options.maxConnectionsPerHour > 0) {
    await admin.query(`ALTER USER ${quoteMysqlGrantee(account.name, account.host)} REQUIRE NONE WITH MAX_QUERIES_PER_HOUR 0 MAX_UPDATES_PER_HOUR 0 MAX_CONNECTIONS_PER_HOUR 0`);
  }
  return mismatches;
}
