import { compareSpans, type Span } from "../source/source.js";
import { inheritedParents, transitiveParents } from "../model/effective.js";
import { compareText, objectKey, PUBLIC, type Grant, type Model } from "../model/index.js";
import type { AccessQuestion } from "./resolve-question.js";
import { membershipChains } from "./membership-chains.js";

/** A role whose own lines (or, for PUBLIC, whose `public` block) grant what was asked. */
export interface GrantHolder {
  readonly role: string;
  /** "all" for the whole object; otherwise the columns its lines reach, in the object's order. */
  readonly columns: "all" | readonly string[];
  readonly sources: readonly Span[];
}

/** One role that can do what was asked, and why. */
export interface RoleThatCan {
  readonly role: string;
  readonly login: boolean;
  /** Declared `external`: another program or a person manages it. */
  readonly external: boolean;
  /** Live answers only: a superuser, which passes every privilege check. */
  readonly superuser?: true;
  /**
   * What it reaches. For a question about a column, that column; for one about an object and a
   * per-column verb, "all" only when a line reaches the whole object (the database's own
   * has_table_privilege), else the columns it reaches.
   */
  readonly columns: "all" | readonly string[];
  /** Membership chains from the role to each holder, the role itself being `[role]` and PUBLIC `[role, "PUBLIC"]`. */
  readonly paths: readonly (readonly string[])[];
  /** More chains lead there than are listed. */
  readonly pathsTruncated: boolean;
  /** The lines the privilege comes from, in file order. */
  readonly sources: readonly Span[];
  readonly holders: readonly GrantHolder[];
}

/**
 * Every declared role (and PUBLIC, where a `public` block gives it) that can do what was asked
 * by the program's rules: its own lines, those of the roles it inherits from (not through a
 * NOINHERIT role) and PUBLIC's. A column question counts only lines that reach the column: a
 * whole-object grant does, an `except` has already taken it out of the line it narrows. Sorted by role.
 */
export function whoCan(model: Model, question: AccessQuestion): RoleThatCan[] {
  const holders = grantHolders(model, question);
  if (holders.size === 0) return [];
  const parents = inheritedParents(model.roles);
  const ancestors = transitiveParents(parents);
  const chains = membershipChains(parents);
  const answers: RoleThatCan[] = [];
  const candidates = [...model.roles.map((r) => ({ name: r.name, login: r.login, external: r.external })), ...(holders.has(PUBLIC) ? [{ name: PUBLIC, login: false, external: false }] : [])];
  for (const role of candidates) {
    const reached = [role.name, ...(ancestors.get(role.name) ?? [])].filter((name) => holders.has(name));
    if (role.name !== PUBLIC && holders.has(PUBLIC)) reached.push(PUBLIC);
    if (reached.length === 0) continue;
    const paths: string[][] = [];
    let pathsTruncated = false;
    for (const holder of reached) {
      if (holder === PUBLIC) {
        paths.push(role.name === PUBLIC ? [PUBLIC] : [role.name, PUBLIC]);
        continue;
      }
      const found = chains(role.name, holder);
      paths.push(...found.chains);
      pathsTruncated ||= found.truncated;
    }
    const held = reached.map((name) => holders.get(name)!);
    answers.push({
      role: role.name,
      login: role.login,
      external: role.external,
      columns: mergeColumns(question, held),
      paths: paths.sort((a, b) => a.length - b.length || compareText(a.join("\0"), b.join("\0"))),
      pathsTruncated,
      sources: uniqueSpans(held.flatMap((h) => h.sources)),
      holders: held,
    });
  }
  return answers.sort((a, b) => compareText(a.role, b.role));
}

/** The roles whose own lines grant the verb on the object (on the column, for a column question). */
function grantHolders(model: Model, question: AccessQuestion): Map<string, GrantHolder> {
  const key = objectKey(question.object);
  const out = new Map<string, GrantHolder>();
  const reaches = (g: Grant) => g.verb === question.verb && objectKey(g.object) === key && (question.column === undefined || g.columns === "all" || g.columns.includes(question.column));
  for (const g of [...model.grants, ...(model.public?.grants ?? [])]) {
    if (!reaches(g)) continue;
    const columns = question.column !== undefined ? [question.column] : g.columns;
    out.set(g.role, { role: g.role, columns: question.column !== undefined && g.columns === "all" ? "all" : columns, sources: [...g.sources] });
  }
  return out;
}

function mergeColumns(question: AccessQuestion, held: readonly GrantHolder[]): "all" | string[] {
  if (held.some((h) => h.columns === "all")) return "all";
  const columns = new Set(held.flatMap((h) => h.columns as readonly string[]));
  return question.object.columns.filter((c) => columns.has(c));
}

function uniqueSpans(spans: readonly Span[]): Span[] {
  const seen = new Map<string, Span>();
  for (const s of spans) seen.set(`${s.file}\0${s.startOffset}`, s);
  return [...seen.values()].sort(compareSpans);
}
