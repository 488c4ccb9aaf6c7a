import { analyzeSql, type AnalyzedStatement, type Need, type NameResolver, type NotUnderstoodCategory, type PreparedQuery, type RelationInfo } from "../engine/index.js";
import { objectKeyOf, routineKeyOf, type Allowlist, type RoleAccess } from "./allowlist.js";

/**
 * Who is asking, and the session state that changes how a statement is read, as the server has
 * it (a caller follows it from the server, not from what it assumes the defaults are: a role's
 * own `set search_path` changes them).
 */
export interface Session {
  /** The session's role: the login role whose allow-list entry applies. */
  readonly role: string;
  /** The search path in force (`SHOW search_path`, split into names; `$user` stands for the role). */
  readonly searchPath: readonly string[];
  /** Whether a transaction block is open (ReadyForQuery's status is T or E). */
  readonly inTransaction: boolean;
  /** The session's SQL-level prepared statements, as earlier decisions' `prepare` gave them. */
  readonly prepared?: ReadonlyMap<string, PreparedQuery>;
}

/** A need, with whether the role holds it. */
export type CheckedNeed = Need & {
  readonly granted: boolean;
  /** For a column need only partly granted: the columns the role may not use. */
  readonly missingColumns?: readonly string[];
};

/**
 * One statement's decision: what the analysis found (its text, and for the caller to keep in the
 * session a new search path or a statement prepared, deallocated or executed), with the verdict.
 */
export type StatementDecision = Omit<AnalyzedStatement, "needs" | "notUnderstood"> & {
  readonly allowed: boolean;
  /** Why, in words: the first missing privilege, or why the statement was not judged. */
  readonly reason: string;
  /**
   * Why a statement was denied: a privilege the role lacks, a write to an append-only table, or
   * one of the kinds of statement the library does not judge (then no grant could allow it).
   */
  readonly denial?: "privilege" | "append-only" | NotUnderstoodCategory;
  readonly needs: readonly CheckedNeed[];
};

export interface Decision {
  /** All or nothing: a query string is allowed only when every statement in it is. */
  readonly allowed: boolean;
  readonly reason: string;
  readonly statements: readonly StatementDecision[];
  /** The allow-list the decision was made against. */
  readonly allowlistSha256: string;
}

/**
 * Decides one query string for one session: allowed only when PostgreSQL's parser reads it,
 * every statement in it is one the library understands, and the role holds every privilege
 * each one needs. Anything else is denied with a reason (fail closed).
 */
export function decide(allowlist: Allowlist, session: Session, sql: string): Decision {
  const base = { allowlistSha256: allowlist.sha256 };
  const role = allowlist.roles.get(session.role);
  if (!role) return { ...base, allowed: false, reason: `role ${session.role} is not in the allow-list`, statements: [] };
  const analyzed = analyzeSql(sql, { searchPath: session.searchPath, inTransaction: session.inTransaction, ...(session.prepared ? { prepared: session.prepared } : {}) }, (path) => resolverFor(allowlist, path, session.role));
  if (analyzed.syntaxError) return { ...base, allowed: false, reason: `PostgreSQL's parser refuses the statement: ${analyzed.syntaxError.message}`, statements: [] };
  if (analyzed.statements.length === 0) return { ...base, allowed: true, reason: "an empty query", statements: [] };
  const statements = analyzed.statements.map((statement): StatementDecision => {
    // Its text and what the caller keeps in the session, as the analysis found them.
    const { needs: found, notUnderstood, ...setting } = statement;
    if (notUnderstood) return { ...setting, allowed: false, reason: notUnderstood.message, denial: notUnderstood.category, needs: [] };
    const needs = found.map((need) => checkNeed(role, need));
    // An UPDATE always sets some column; UPDATE on no column in particular is a row lock (FOR UPDATE, FOR SHARE), which writes nothing.
    const writes = (n: CheckedNeed) => n.kind === "relation" && ((n.verb === "update" && n.columns.length > 0) || n.verb === "delete" || n.verb === "truncate");
    const appendOnly = needs.find((n) => writes(n) && n.kind === "relation" && allowlist.appendOnly.has(objectKeyOf(n.schema, n.object)));
    if (appendOnly && appendOnly.kind === "relation") {
      return { ...setting, allowed: false, reason: `${appendOnly.schema}.${appendOnly.object} is append-only: no role may ${appendOnly.verb.toUpperCase()} it`, denial: "append-only", needs };
    }
    const missing = needs.find((n) => !n.granted);
    if (missing) return { ...setting, allowed: false, reason: describeMissing(session.role, missing), denial: "privilege", needs };
    return { ...setting, allowed: true, reason: "every privilege it needs is granted", needs };
  });
  const denied = statements.find((s) => !s.allowed);
  return {
    ...base,
    allowed: denied === undefined,
    reason: denied ? (statements.length > 1 ? `statement ${statements.indexOf(denied) + 1} of ${statements.length}: ${denied.reason}` : denied.reason) : "every privilege it needs is granted",
    statements,
  };
}

function checkNeed(role: RoleAccess, need: Need): CheckedNeed {
  if (need.kind === "routine") return { ...need, granted: role.executable.has(routineKeyOf(need)) };
  const verbs = role.privileges.get(objectKeyOf(need.schema, need.object));
  if (need.kind === "sequence") return { ...need, granted: need.anyOf.some((verb) => verbs?.has(verb)) };
  const granted = verbs?.get(need.verb);
  if (!granted) return { ...need, granted: false };
  if (granted.columns === "*") return { ...need, granted: true };
  // No column in particular: PostgreSQL lets the verb on any one column do (SELECT count(*) FROM t).
  if (need.columns.length === 0) return { ...need, granted: granted.columns.size > 0 };
  const columns = granted.columns;
  const missingColumns = need.columns.filter((c) => !columns.has(c));
  return missingColumns.length === 0 ? { ...need, granted: true } : { ...need, granted: false, missingColumns };
}

function describeMissing(role: string, need: CheckedNeed): string {
  if (need.kind === "routine") return `role ${role} may not call ${need.routineKind} ${need.schema}.${need.name}: it needs EXECUTE on it`;
  const object = `${need.schema}.${need.object}`;
  if (need.kind === "sequence") return `role ${role} may not call ${need.via} on ${object}: it needs ${need.anyOf.map((v) => v.toUpperCase()).join(" or ")} on the sequence`;
  const verb = need.verb.toUpperCase();
  if (need.missingColumns) return `role ${role} may not ${verb} column${need.missingColumns.length > 1 ? "s" : ""} ${need.missingColumns.join(", ")} of ${object}`;
  return `role ${role} may not ${verb} ${object}`;
}

/**
 * Resolves names as PostgreSQL would through `searchPath`, among the relations the allow-list
 * declares. `$user` stands for the role's own name. Unqualified names beginning with `pg_` are
 * left unresolved: PostgreSQL looks in its own catalog first, and the allow-list does not know it.
 */
function resolverFor(allowlist: Allowlist, searchPath: readonly string[], role: string): NameResolver {
  const lookup = (schema: string, name: string): RelationInfo | undefined => allowlist.relations.get(schema)?.get(name);
  const schemasOnPath = searchPath.map((entry) => (entry === "$user" ? role : entry)).filter((s) => s !== "pg_catalog" && s !== "pg_temp");
  return {
    relation(schema, name) {
      if (schema !== undefined) return lookup(schema, name);
      if (name.startsWith("pg_")) return undefined;
      for (const inSchema of schemasOnPath) {
        const found = lookup(inSchema, name);
        if (found) return found;
      }
      return undefined;
    },
    routines(schema, name) {
      const named = (inSchema: string) => (allowlist.routines.get(inSchema) ?? []).filter((r) => r.name === name);
      return schema !== undefined ? named(schema) : schemasOnPath.flatMap(named);
    },
  };
}
