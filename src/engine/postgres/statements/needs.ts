// What a statement needs, in PostgreSQL's terms: per relation, the verbs and the columns the
// server checks before running it, and per sequence, the privileges a sequence function checks.

export type RelationVerb = "select" | "insert" | "update" | "delete" | "truncate";
export type SequenceVerb = "usage" | "select" | "update";

export interface RelationNeed {
  readonly kind: "relation";
  readonly schema: string;
  readonly object: string;
  readonly verb: RelationVerb;
  /**
   * The columns the verb needs, in the order first met. Empty: no column in particular, which
   * the verb on the whole relation or on any one column satisfies (`SELECT count(*) FROM t`,
   * `INSERT INTO t DEFAULT VALUES`), as PostgreSQL checks it; DELETE and TRUNCATE are always empty.
   */
  readonly columns: readonly string[];
}

export interface SequenceNeed {
  readonly kind: "sequence";
  readonly schema: string;
  readonly object: string;
  /** Any one of these is enough (nextval: USAGE or UPDATE). */
  readonly anyOf: readonly SequenceVerb[];
  /** The function that needs it, for messages. */
  readonly via: string;
}

export interface RoutineNeed {
  readonly kind: "routine";
  readonly schema: string;
  readonly name: string;
  /** The routine's argument types, as RoutineInfo gives them: which overload. */
  readonly args: readonly string[];
  readonly routineKind: "function" | "procedure";
}

export type Need = RelationNeed | SequenceNeed | RoutineNeed;

/**
 * Why a statement could not be judged. The library denies it (fail closed), and the category
 * says which kind of statement rolec does not yet understand, or refuses whatever the rules.
 */
export class NotUnderstood extends Error {
  override readonly name = "NotUnderstood";
  constructor(
    readonly category: NotUnderstoodCategory,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The kinds of statement denied without looking at any grant. Documented in the README's section
 * on the decision library; the differential test counts its false denies by these.
 */
export type NotUnderstoodCategory =
  /** A statement type, clause or expression the library does not analyse. */
  | "unsupported"
  /** A function outside the built-ins it knows to be harmless. */
  | "function"
  /** A name it cannot resolve: an object the allow-list does not declare, a column no relation in scope has, or one several have. */
  | "unknown-name"
  /** Something that would change who the session is or bypass the rules (SET ROLE, DDL, DO, ...). */
  | "refused"
  /** PostgreSQL's parser refused the text. */
  | "syntax";
