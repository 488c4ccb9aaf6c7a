/**
 * Quoting for the SQL these tests write by hand (drift, probes, catalog questions), kept apart
 * from rolec's own quoting helpers so that a bug there cannot hide here.
 */

/** A PostgreSQL identifier: "name", with " doubled. */
export function pgIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function pgQualified(schema: string, name: string): string {
  return `${pgIdent(schema)}.${pgIdent(name)}`;
}

/** A PostgreSQL string literal under standard_conforming_strings (the default): ' doubled, backslashes as they are. */
export function pgLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A MySQL/MariaDB identifier: `name`, with ` doubled. */
export function myIdent(name: string): string {
  return `\`${name.replaceAll("`", "``")}\``;
}

export function myQualified(schema: string, name: string): string {
  return `${myIdent(schema)}.${myIdent(name)}`;
}

/** An account `user`@`host`, or a role `name` when host is null. */
export function myGrantee(user: string, host: string | null): string {
  return host === null ? myIdent(user) : `${myIdent(user)}@${myIdent(host)}`;
}

/** A MySQL/MariaDB string literal: ' doubled and backslashes escaped (the default sql_mode reads them as escapes). */
export function myLiteral(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

/** A database name as a GRANT pattern that matches only itself: _ and % escaped, as MySQL reads them there. */
export function myLiteralPattern(text: string): string {
  return text.replace(/[\\_%]/g, (c) => `\\${c}`);
}
