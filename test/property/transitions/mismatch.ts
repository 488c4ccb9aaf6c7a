import type { ExpectedFact } from "../reference-evaluator.js";

/** Where the database and the reference disagree, in words a failing test can print. */
export interface Mismatch {
  /** The role (or account) concerned. */
  readonly role: string;
  /** The privilege or property, e.g. `SELECT ("email") on "s"."t"`. */
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
  /** How the database was asked: a catalog function, a statement, a grant table. */
  readonly how: string;
  /** The privilege question, when the mismatch is about one. */
  readonly fact?: ExpectedFact;
}

export function describeFact(f: Pick<ExpectedFact, "verb" | "schema" | "object" | "column">): string {
  return `${f.verb.toUpperCase()}${f.column !== null ? ` (${JSON.stringify(f.column)})` : " (whole object)"} on ${JSON.stringify(f.schema)}.${JSON.stringify(f.object)}`;
}

export function allowedWord(allowed: boolean): string {
  return allowed ? "allowed" : "denied";
}

/** Mismatches as lines: role, privilege, what the reference expected, what the database did. */
export function renderMismatches(title: string, mismatches: readonly Mismatch[], limit = 25): string {
  const lines = mismatches.slice(0, limit).map((m) => `  role ${JSON.stringify(m.role)}: ${m.what}: the reference expects ${m.expected}, the database says ${m.actual} (${m.how})`);
  if (mismatches.length > limit) lines.push(`  ... and ${mismatches.length - limit} more`);
  return `${title}: ${mismatches.length} disagreement(s) between the database and the reference (docs/language.md):\n${lines.join("\n")}`;
}

/** Throws with the mismatches, if any. */
export function expectNoMismatches(title: string, mismatches: readonly Mismatch[]): void {
  if (mismatches.length > 0) throw new Error(renderMismatches(title, mismatches));
}
