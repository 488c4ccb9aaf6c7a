import type { Severity } from "./diagnostic.js";

/**
 * Every diagnostic rolec can report. Codes are stable: tools and CI scripts may match on them,
 * so a code is never reused for a different meaning. The README's diagnostics table mirrors this list.
 */
export const diagnosticCodes = {
  RC0001: { severity: "error", title: "unrecognised character", explain: "The lexer met a character that cannot start any token, or a NUL character anywhere. Remove it, or put the name in double quotes." },
  RC0002: { severity: "error", title: "syntax error", explain: "The parser expected something else at this point; the message says what. Parsing resumes at the next line it understands." },
  RC0003: { severity: "error", title: "unterminated quoted name or comment", explain: "A double-quoted name or a /* block comment */ is not closed before the end of the file." },
  RC0101: { severity: "error", title: "unknown schema", explain: "The grant names a schema that no `schema` block declares." },
  RC0102: { severity: "error", title: "unknown object", explain: "The grant names a table, view or sequence that the schema does not declare." },
  RC0103: { severity: "error", title: "unknown column", explain: "A column list names a column that the object does not declare." },
  RC0201: { severity: "error", title: "unknown role", explain: "`member of` names a role that no `role` block declares." },
  RC0202: { severity: "error", title: "membership cycle", explain: "Roles are members of each other in a circle; PostgreSQL refuses such grants. Break the cycle." },
  RC0301: { severity: "error", title: "duplicate object", explain: "The same table, view or sequence is declared twice in one schema (perhaps in two files)." },
  RC0302: { severity: "error", title: "duplicate column", explain: "A column is listed twice in one table or view." },
  RC0303: { severity: "error", title: "duplicate role", explain: "Two `role` blocks declare the same role." },
  RC0304: { severity: "error", title: "duplicate verb in grant", explain: "One grant line names the same verb twice; merge the column lists." },
  RC0305: { severity: "error", title: "duplicate role option", explain: "A role sets `login`, `connection_limit` or `host` twice." },
  RC0306: { severity: "error", title: "invalid connection limit", explain: "connection_limit takes -1 (no limit) or a whole number from 0 to 2147483647." },
  RC0307: { severity: "error", title: "host without login", explain: "`host` says where a MySQL/MariaDB account may connect from; only a `login` role becomes an account." },
  RC0401: { severity: "error", title: "verb does not apply to object", explain: "The verb cannot be granted on this kind of object, e.g. `usage` on a table or `insert` on a sequence." },
  RC0402: { severity: "error", title: "column list on a table-wide verb", explain: "Only select, insert, update and references can be granted per column." },
  RC0403: { severity: "error", title: "partitions on a view", explain: "Only tables are partitioned; remove `partitions (...)` from the view." },
  RC0404: { severity: "error", title: "append_only on a view", explain: "Only tables can be append-only: triggers that guard rows cannot be put on a view. Make the underlying table append_only." },
  RC0405: { severity: "error", title: "foreign key columns do not pair up", explain: "A foreign key lists a different number of referencing and referenced columns." },
  RC0501: { severity: "error", title: "forbidden verb on append-only table", explain: "Append-only tables can only be read and inserted into: no role may hold update, delete, truncate, trigger or references on them." },
  RC0502: { severity: "info", title: "grant narrowed on append-only table", explain: "A wildcard or `all` reached an append-only table; the verbs it may not hold were left out." },
  RC0503: { severity: "error", title: "foreign key rewrites an append-only table", explain: "on delete/update cascade, set null or set default would change an append-only table's rows: MySQL fires no trigger for that, and PostgreSQL's trigger would refuse it. Use restrict or no action." },
  RC0601: { severity: "error", title: "except removes nothing", explain: "The exclusion names an object or columns that the grant does not cover." },
  RC0701: { severity: "error", title: "identifier too long", explain: "PostgreSQL truncates identifiers longer than 63 bytes, so two names could silently become one." },
  RC0702: { severity: "error", title: "reserved role name", explain: "public, current_user, current_role, session_user and none are special in PostgreSQL, names starting with pg_ belong to it, and names starting with rolec_ to the roles rolec creates itself." },
  RC0703: { severity: "error", title: "invalid name", explain: "A name is empty or holds a NUL character; no database accepts it." },
  RC0801: { severity: "warning", title: "redundant grant", explain: "Everything the line grants is already granted by a parent role or by another line." },
  RC0802: { severity: "warning", title: "column grant subsumed by table grant", explain: "The role already holds the verb on the whole object, so the column list adds nothing." },
  RC0803: { severity: "warning", title: "empty role", explain: "The role has no grants and no memberships, so it can do nothing." },
  RC0804: { severity: "warning", title: "grant line grants nothing", explain: "Once exclusions and append-only narrowing are applied, nothing is left of the line." },
  RC0901: { severity: "error", title: "verb the target cannot grant", explain: "MySQL/MariaDB cannot grant truncate (it needs DROP there) nor trigger on a view. Reported only when compiling for mysql." },
  RC0902: { severity: "info", title: "all narrowed for the target", explain: "On MySQL/MariaDB, `all` means every verb but truncate (and trigger on views)." },
  RC0903: { severity: "warning", title: "sequence left out for the target", explain: "MySQL has no sequences, so the MySQL/MariaDB script skips them and their grants." },
  RC0904: { severity: "error", title: "name too long for the target", explain: "MySQL/MariaDB refuse object names over 64 characters and role or account names over 32." },
  RC0905: { severity: "error", title: "name the target does not accept", explain: "MySQL refuses names that end with a space or hold characters outside the Basic Multilingual Plane." },
  RC0906: { severity: "error", title: "columns differ only in case", explain: "MySQL column names are case-insensitive, so the two would be one column there." },
  RC0907: { severity: "error", title: "login role used as a parent", explain: "On MySQL/MariaDB a login role is an account, and accounts cannot be granted to roles. Put the shared grants in a role without login." },
  RC0908: { severity: "error", title: "connection limit the target cannot express", explain: "MySQL/MariaDB read MAX_USER_CONNECTIONS 0 as no limit, so a login role with connection_limit 0 cannot be compiled for mysql." },
} as const satisfies Record<string, { severity: Severity; title: string; explain: string }>;

export type DiagnosticCode = keyof typeof diagnosticCodes;
