import { describeChange, signOf } from "../engine/describe-change.js";
import { terminalValue } from "../diagnostics/terminal-text.js";
import type { Span } from "../source/source.js";
import { isDrift, type Blocker, type Plan, type PlanChange } from "../engine/plan.js";
import type { PlannedStatement } from "../engine/plan.js";
import { compositeKey } from "../model/composite-key.js";

export interface PlanSummary {
  readonly add: number;
  readonly change: number;
  readonly remove: number;
  readonly drift: number;
  /** Of those taken away, how many go with another revoke (CASCADE) rather than by a statement of their own. */
  readonly cascade: number;
}

export function summarize(plan: Plan): PlanSummary {
  let add = 0;
  let change = 0;
  let remove = 0;
  let drift = 0;
  let cascade = 0;
  for (const c of plan.changes) {
    const sign = signOf(c);
    if (sign === "+") add++;
    else if (sign === "~") change++;
    else remove++;
    if (isDrift(c)) drift++;
    if (c.kind === "cascade-revoke") cascade++;
  }
  return { add, change, remove, drift, cascade };
}

/** Where a change comes from: the .roles line that asks for it, or that it is drift. */
function origin(change: PlanChange, where: (span: Span) => string, removal?: string): string {
  if (change.kind === "cascade-revoke") return cascadeOrigin(change);
  if (change.kind === "regrant") return `again: ${cascadeCause(change.cause)} takes it (CASCADE)`;
  if (change.kind === "revoke-default" && change.fact.builtIn) return "PostgreSQL's built-in default, in no .roles file";
  if (isDrift(change)) {
    if (removal !== undefined) return removal;
    const grantor = "fact" in change && "grantor" in change.fact && change.fact.grantor ? `granted by ${change.fact.grantor}, ` : "";
    return `drift: ${grantor}in no .roles file`;
  }
  if (change.kind === "grant") return change.fact.sources?.[0] ? where(change.fact.sources[0]) : "";
  if ("span" in change && change.span) return where(change.span);
  return "";
}

/** Why a grant goes without a statement of its own: the revoke above it takes it with it. */
function cascadeOrigin(change: Extract<PlanChange, { kind: "cascade-revoke" }>): string {
  return `cascade: granted by ${change.grant.grantor}; goes with ${cascadeCause(change.cause)}`;
}

function cascadeCause(cause: PlanChange): string {
  return `the revoke of ${cause.role ?? ""}'s ${describeChange(cause)}`;
}

/**
 * Column grants of one verb on one object, from the same line, read better as one line:
 * `+ SELECT (email, id) on s.customers` rather than a line per column.
 */
function mergeColumns(items: { change: PlanChange; text: string; origin: string }[]): { text: string; origin: string }[] {
  const merged: { text: string; origin: string }[] = [];
  const byKey = new Map<string, { columns: string[]; at: number; prefix: string; suffix: string; origin: string }>();
  for (const item of items) {
    const c = item.change;
    if ((c.kind === "grant" || c.kind === "revoke") && c.fact.column !== null) {
      const key = compositeKey(c.kind, c.fact.verb, c.fact.schema, c.fact.name, item.origin);
      const entry = byKey.get(key);
      if (entry) {
        entry.columns.push(c.fact.column);
        continue;
      }
      byKey.set(key, { columns: [c.fact.column], at: merged.length, prefix: `${signOf(c)} ${c.fact.verb.toUpperCase()}`, suffix: `on ${c.fact.schema}.${c.fact.name}`, origin: item.origin });
      merged.push({ text: "", origin: item.origin });
      continue;
    }
    merged.push({ text: item.text, origin: item.origin });
  }
  for (const entry of byKey.values()) merged[entry.at] = { text: `${entry.prefix} (${entry.columns.join(", ")}) ${entry.suffix}`, origin: entry.origin };
  return merged;
}

/** The plan as text, grouped per role, then append-only tables, blockers and unmanaged roles. */
export function renderPlanText(
  plan: Plan,
  target: string,
  where: (span: Span) => string,
  /** For a plan between two versions of the sources, where a removal is not drift: how to mark it. */
  options: { removal?: string } = {},
): string {
  const lines: string[] = [`plan for ${target}`];
  const groups = new Map<string, PlanChange[]>();
  for (const change of plan.changes) {
    const group = change.role !== undefined ? `role ${change.role}` : `append-only ${change.schema}.${change.table}`;
    groups.set(group, [...(groups.get(group) ?? []), change]);
  }
  const rows = [...groups].map(([group, changes]) => ({ group, items: mergeColumns(changes.map((c) => ({ change: c, text: `${signOf(c)} ${describeChange(c)}`, origin: origin(c, where, options.removal) }))) }));
  const width = Math.min(72, Math.max(0, ...rows.flatMap((r) => r.items.map((i) => i.text.length))));
  for (const row of rows) {
    lines.push("", row.group);
    for (const item of row.items) lines.push(`  ${item.origin ? item.text.padEnd(width) + "   " + item.origin : item.text}`);
  }
  if (plan.blockers.length > 0) {
    lines.push("", "cannot apply until these are fixed:");
    for (const b of plan.blockers) lines.push(`  ! ${b.what}: ${b.hint}${b.span ? `   (${where(b.span)})` : ""}`);
  }
  if (plan.unmanaged.length > 0) {
    lines.push("", "not managed (roles the .roles files do not declare; left alone unless --prune):");
    for (const u of plan.unmanaged) lines.push(`  ${u.role}: ${u.holds.join("; ")}`);
  }
  const s = summarize(plan);
  lines.push("");
  if (plan.changes.length === 0 && plan.blockers.length === 0) lines.push("No changes: the database holds exactly what the .roles files say.");
  else {
    const why = [...(options.removal === undefined ? [`${s.drift} drift`] : []), ...(s.cascade > 0 ? [`${s.cascade} by cascade`] : [])];
    lines.push(`Plan: ${s.add} to add, ${s.change} to change, ${s.remove} to take away${why.length > 0 ? ` (${why.join(", ")})` : ""}.${linesNote(plan.changes.length, rows)}`);
  }
  // Each entry is one line; a line break inside one came from a name in the database, and must
  // not start a line of its own that a reviewer would take for part of the plan.
  return lines.map(terminalValue).join("\n") + "\n";
}

/**
 * The counts are per change, as in JSON, apply's message and a migration's header; a line with
 * several columns holds a change per column, so say so when the lines above are fewer.
 */
function linesNote(changes: number, rows: readonly { items: readonly unknown[] }[]): string {
  const shown = rows.reduce((n, row) => n + row.items.length, 0);
  return shown < changes ? ` Each column counts: ${changes} changes in ${shown} line${shown === 1 ? "" : "s"}.` : "";
}

export function planJson(plan: Plan, statements: readonly PlannedStatement[], where: (span: Span) => string): object {
  return {
    summary: summarize(plan),
    changes: statements.map(({ change, sql }) => ({
      kind: change.kind,
      role: change.role ?? null,
      action: signOf(change),
      description: describeChange(change),
      drift: isDrift(change),
      grantor:
        change.kind === "cascade-revoke"
          ? change.grant.grantor
          : "fact" in change && "grantor" in change.fact && change.fact.grantor
            ? change.fact.grantor
            : "grantor" in change && change.grantor
              ? change.grantor
              : null,
      source: isDrift(change) ? null : origin(change, where) || null,
      ...(change.kind === "cascade-revoke" || change.kind === "regrant" ? { cascadeFrom: { role: change.cause.role ?? null, description: describeChange(change.cause) } } : {}),
      ...(change.kind === "revoke-default" || change.kind === "grant-default" ? { defaultPrivileges: { owner: change.fact.owner, schema: change.fact.schema, objects: change.fact.objects } } : {}),
      sql,
    })),
    blockers: plan.blockers.map((b: Blocker) => ({ what: b.what, hint: b.hint, source: b.span ? where(b.span) : null })),
    unmanaged: plan.unmanaged,
  };
}
