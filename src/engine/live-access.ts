/**
 * What a live database says about one access question (a verb on a relation or one of its
 * columns), as raw facts for the review stage to explain: the roles the server's own privilege
 * functions say yes for, the roles whose ACL entries grant it, and the memberships between them.
 */
export interface LiveAccessQuestion {
  readonly verb: string;
  readonly schema: string;
  readonly name: string;
  readonly column?: string;
}

export interface LiveAccessFacts {
  readonly kind: "table" | "view" | "sequence";
  /** The relation's columns, in the table's order. */
  readonly columns: readonly string[];
  /** Every role (predefined pg_* roles left out) for which the server says yes, with what it knows of it. */
  readonly roles: readonly { readonly name: string; readonly login: boolean; readonly superuser: boolean }[];
  /**
   * The grantees whose ACL entries give it: a role, PUBLIC, or a predefined role that reaches
   * every table (pg_read_all_data, pg_write_all_data). "all" when the entry is on the whole
   * relation, else the columns whose own ACL gives it (for a column question, that column).
   */
  readonly holders: readonly { readonly role: string; readonly columns: "all" | readonly string[] }[];
  /** Memberships that pass privileges on: the member holds what the parent holds. */
  readonly memberships: readonly { readonly member: string; readonly parent: string }[];
}
