/**
 * What a MySQL/MariaDB account requires of its connections and its password, beside its
 * privileges: `REQUIRE` (TLS, a client certificate, a certificate's issuer or subject, a cipher),
 * the hourly resource limits, and how long a password lasts. PostgreSQL has none of them on a
 * role (it says the TLS part in pg_hba.conf). A login role holds exactly what its options say:
 * what it does not say is the server's default (no TLS required, no limit, the server's
 * password lifetime).
 */
export interface AccountOptions {
  /** `none`, `ssl` (any TLS connection), `x509` (a valid client certificate) or `specified` (issuer, subject and cipher, where not empty). */
  readonly require: AccountRequirement;
  /** The client certificate's issuer, subject, and the TLS cipher required; "" where not required. */
  readonly issuer: string;
  readonly subject: string;
  readonly cipher: string;
  /** MAX_QUERIES_PER_HOUR, MAX_UPDATES_PER_HOUR and MAX_CONNECTIONS_PER_HOUR; 0 is no limit. */
  readonly maxQueriesPerHour: number;
  readonly maxUpdatesPerHour: number;
  readonly maxConnectionsPerHour: number;
  /** Days a password lasts before it must be changed; 0 forever; null the server's default_password_lifetime. */
  readonly passwordLifetime: number | null;
}

export type AccountRequirement = "none" | "ssl" | "x509" | "specified";

export const defaultAccountOptions: AccountOptions = {
  require: "none",
  issuer: "",
  subject: "",
  cipher: "",
  maxQueriesPerHour: 0,
  maxUpdatesPerHour: 0,
  maxConnectionsPerHour: 0,
  passwordLifetime: null,
};

/** The largest hourly limit: both engines store more, but MariaDB wraps a limit past 2^32 around to 0, no limit at all. */
export const maxHourlyLimit = 2147483647;
/** MySQL keeps a password's lifetime in 16 bits. */
export const maxPasswordLifetime = 65535;

/** The hourly limits, with the words the language and plan use for each. */
export const hourlyLimits = [
  { field: "maxQueriesPerHour", option: "max_queries_per_hour", label: "max queries per hour" },
  { field: "maxUpdatesPerHour", option: "max_updates_per_hour", label: "max updates per hour" },
  { field: "maxConnectionsPerHour", option: "max_connections_per_hour", label: "max connections per hour" },
] as const;

/** A `specified` requirement's texts that are required, in SHOW CREATE USER's order, each with its REQUIRE word; unquoted. */
export function requiredTexts(options: AccountOptions): [word: "ISSUER" | "SUBJECT" | "CIPHER", value: string][] {
  const parts: [word: "ISSUER" | "SUBJECT" | "CIPHER", value: string][] = [
    ["ISSUER", options.issuer],
    ["SUBJECT", options.subject],
    ["CIPHER", options.cipher],
  ];
  return parts.filter(([, value]) => value !== "");
}

export function isDefaultAccount(options: AccountOptions): boolean {
  return sameAccountOptions(options, defaultAccountOptions);
}

export function sameAccountOptions(a: AccountOptions, b: AccountOptions): boolean {
  return (
    a.require === b.require &&
    a.issuer === b.issuer &&
    a.subject === b.subject &&
    a.cipher === b.cipher &&
    a.maxQueriesPerHour === b.maxQueriesPerHour &&
    a.maxUpdatesPerHour === b.maxUpdatesPerHour &&
    a.maxConnectionsPerHour === b.maxConnectionsPerHour &&
    a.passwordLifetime === b.passwordLifetime
  );
}

/** Whether a value read back (a recorded state's, a plan's) is a well-formed AccountOptions. */
export function isAccountOptions(value: unknown): value is AccountOptions {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  const limit = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0 && (n as number) <= maxHourlyLimit;
  return (
    (["none", "ssl", "x509", "specified"] as unknown[]).includes(v.require) &&
    typeof v.issuer === "string" &&
    typeof v.subject === "string" &&
    typeof v.cipher === "string" &&
    limit(v.maxQueriesPerHour) &&
    limit(v.maxUpdatesPerHour) &&
    limit(v.maxConnectionsPerHour) &&
    (v.passwordLifetime === null || (Number.isSafeInteger(v.passwordLifetime) && (v.passwordLifetime as number) >= 0 && (v.passwordLifetime as number) <= maxPasswordLifetime))
  );
}
