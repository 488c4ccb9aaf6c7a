/**
 * The conditions under which the PostgreSQL script refuses to run, each with its SQLSTATE and
 * message. Each one's predicate is a query in targets/postgres/checks/<name>.sql.hbs that returns
 * one row per thing found (`schema_name`, `object_name` of the declared object it concerns, or
 * `role_name` of the declared role, and `what`, in words). The script wraps that query in a DO block that raises (refuse.sql.hbs);
 * `rolec plan` and `apply` run the very same query and report its rows as blockers, and a
 * migration starts with the same DO blocks. So there is one list, and one predicate per entry:
 * the script and the live commands cannot disagree about what blocks.
 */
export interface PreflightCheck {
  /** Also the name of its query template under targets/postgres/checks/. */
  readonly name: "owned-by-declared-role" | "undeclared-children" | "still-guarded" | "external-roles-missing" | "unrevokable-grants";
  /** What each row concerns: a declared object (`schema_name`, `object_name`) or a declared role (`role_name`). */
  readonly subject: "object" | "role";
  readonly sqlstate: string;
  /** The exception's message, which the rows' `what` texts follow. */
  readonly message: string;
  readonly hint: string;
  /** Whether the script has this check for a program: only when there is something for it to look at. */
  readonly applies: (data: PreflightData) => boolean;
}

/** What of the script's data decides whether a check applies. */
export interface PreflightData {
  readonly requiredExternalRoles: readonly unknown[];
  readonly undeclaredCreators: readonly unknown[];
  readonly relations: readonly unknown[];
  readonly routines: readonly unknown[];
  readonly types: readonly unknown[];
  readonly appendOnlyTables: readonly unknown[];
  readonly plainTables: readonly unknown[];
}

/** SQLSTATEs rolec raises. Class R is left to implementations by the SQL standard, so these mean rolec and nothing else. */
export const rolecSqlstates = {
  /** An append-only trigger refused a statement. */
  appendOnly: "RC001",
  /** Before anything changes: a declared role owns a declared object or schema. */
  ownership: "RC002",
  /** The tables' structure does not match an append_only declaration (undeclared children, a leftover owner). */
  structure: "RC003",
  /** Before anything changes: an external role the program needs does not exist (the program never creates one). */
  missingRole: "RC004",
  /**
   * Before anything changes: a grant the script must take away was made by a role that can no
   * longer revoke it (a superuser, whose REVOKE acts as the owner, or a role without the grant option).
   */
  unrevokable: "RC005",
} as const;

export const preflightChecks: readonly PreflightCheck[] = [
  {
    name: "external-roles-missing",
    subject: "role",
    sqlstate: rolecSqlstates.missingRole,
    message: "roles the .roles files need but never create (external roles they grant something to or make members of their roles, creators of default privileges) do not exist: ",
    hint: "This program never creates an external role, nor a creator it does not declare: create it with the program that manages it (or by hand), then run again.",
    applies: (data) => data.requiredExternalRoles.length > 0 || data.undeclaredCreators.length > 0,
  },
  {
    name: "owned-by-declared-role",
    subject: "object",
    sqlstate: rolecSqlstates.ownership,
    message: "a role declared in the .roles files owns (or is a member of the owner of) what they manage: ",
    hint: "An owner can grant itself anything. Give these to a role the .roles files do not declare (ALTER ... OWNER TO), then run again.",
    applies: (data) => data.relations.length > 0 || data.routines.length > 0 || data.types.length > 0,
  },
  {
    name: "undeclared-children",
    subject: "object",
    sqlstate: rolecSqlstates.structure,
    message: "append-only tables have child tables the .roles files do not declare: ",
    hint: "List every partition in the table's partitions (...) clause; a table that merely inherits (INHERITS) must be detached (ALTER TABLE ... NO INHERIT). Then run again.",
    applies: (data) => data.appendOnlyTables.length > 0,
  },
  {
    name: "still-guarded",
    subject: "object",
    sqlstate: rolecSqlstates.structure,
    message: "tables that are no longer append-only need a real owner before rolec's triggers come off: ",
    hint: "Give each to the role that should own it (ALTER TABLE ... OWNER TO ...), then run again.",
    applies: (data) => data.plainTables.length > 0,
  },
  {
    name: "unrevokable-grants",
    subject: "object",
    sqlstate: rolecSqlstates.unrevokable,
    message: "grants the script must take away (every grant on what the .roles files manage that is not the owner's) were made by roles that cannot revoke them, so they would stay: ",
    hint: "Run the fix each finding names (it makes the grantor able to revoke its grant), run again, then undo it.",
    applies: (data) => data.relations.length > 0 || data.routines.length > 0 || data.types.length > 0,
  },
];

export function preflightCheck(name: string): PreflightCheck {
  const check = preflightChecks.find((c) => c.name === name);
  if (!check) throw new Error(`bug: no preflight check named ${JSON.stringify(name)}`);
  return check;
}
