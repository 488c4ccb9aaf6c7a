import { decide, type Decision, type Session } from "./decide.js";
import type { Allowlist } from "./allowlist.js";

/**
 * Decisions for one allow-list, kept by role, search path, transaction state and exact text: a proxy sees the same
 * few hundred statements again and again, and reading one with PostgreSQL's parser costs a
 * hundred times a lookup. Only decisions that depend on nothing else are kept: none that
 * prepares, deallocates or executes a prepared statement (those depend on the session's
 * prepared statements). The text is the key, not a fingerprint: two statements that differ only
 * in a constant can need different privileges (`nextval('a')`, `nextval('b')`). A new
 * allow-list is a new cache. The least recently used decisions go first once it is full.
 */
export class DecisionCache {
  private readonly entries = new Map<string, Decision>();
  hits = 0;
  misses = 0;

  constructor(
    readonly allowlist: Allowlist,
    private readonly capacity = 10_000,
  ) {}

  decide(session: Session, sql: string): Decision {
    // No role name holds NUL, and JSON text holds none raw: the two NULs mark the parts.
    const key = `${session.role}\u0000${JSON.stringify([session.searchPath, session.inTransaction])}\u0000${sql}`;
    const cached = this.entries.get(key);
    if (cached) {
      this.hits++;
      // Moved to the end: a Map keeps insertion order, so its first key is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    this.misses++;
    const decision = decide(this.allowlist, session, sql);
    if (cacheable(sql, decision)) {
      this.entries.set(key, decision);
      if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    return decision;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * The longest text and the most statements a kept decision may have: what an application sends
 * again and again is short, and a cache of ten thousand 1 MiB texts (or of decisions of
 * thousands of statements each) would let one client fill the proxy's memory.
 */
const maxCachedText = 8 * 1024;
const maxCachedStatements = 64;

function cacheable(sql: string, decision: Decision): boolean {
  return sql.length <= maxCachedText && decision.statements.length <= maxCachedStatements && decision.statements.every((s) => s.usesPrepared === undefined);
}
