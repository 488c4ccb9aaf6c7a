/**
 * The only way a value reaches MySQL/MariaDB SQL text. Identifiers, role names, account names
 * and hosts are backtick-quoted (a backtick doubled), which no sql_mode changes. Literals are
 * single-quoted with a quote doubled and a backslash escaped; the script first takes
 * NO_BACKSLASH_ESCAPES out of its session's sql_mode, so that escaping means what it says.
 */
export function quoteMysqlIdent(name: string): string {
  if (name.length === 0 || name.includes("\u0000")) throw new Error(`bug: invalid identifier reached the emitter: ${JSON.stringify(name)}`);
  return `\`${name.includes("`") ? name.replaceAll("`", "``") : name}\``;
}

export function quoteMysqlQualified(database: string, name: string): string {
  return `${quoteMysqlIdent(database)}.${quoteMysqlIdent(name)}`;
}

/** A role is named alone; an account (a login role) as `name`@`host`. */
export function quoteMysqlGrantee(name: string, host: string | null): string {
  if (host === null) return quoteMysqlIdent(name);
  if (host.includes("\u0000")) throw new Error("bug: NUL character in a host");
  // An anonymous account's user is the empty string, which an identifier cannot be: a literal says it.
  const user = name === "" ? "''" : quoteMysqlIdent(name);
  // An empty host is legal in MySQL (it means any host, like '%'), so it is not passed through quoteMysqlIdent.
  return `${user}@\`${host.replaceAll("`", "``")}\``;
}

export function quoteMysqlLiteral(value: string): string {
  if (value.includes("\u0000")) throw new Error("bug: NUL character in a literal");
  // Most literals are plain names: skip the replacing when there is nothing to replace.
  if (!value.includes("\\") && !value.includes("'")) return `'${value}'`;
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

export function mysqlInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`bug: not an integer: ${value}`);
  return String(value);
}

/**
 * Text for the inside of a `-- ` comment line. The mysql client ends a comment at a line break,
 * and control and separator characters would let a name start a statement of its own or hide
 * one on a terminal, so each becomes `\uXXXX`.
 */
export function mysqlCommentText(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
