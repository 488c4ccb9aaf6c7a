import type { AccessDiff, PrivilegeChange } from "./access-diff.js";
import { hasChanges } from "./access-diff.js";
import { markdownText } from "./markdown-text.js";
import { roleName } from "./render-who-can.js";
import { formatName } from "../syntax/names.js";
import type { Holding } from "./access-snapshot.js";

/** How a privilege change reads, with names written by `name` (plain for the terminal, escaped for Markdown). */
function describeChange(c: PrivilegeChange, name: (text: string) => string): string {
  const columns = (h: Holding) => (h === "all" ? "" : h.map((col) => name(formatName(col))).join(", "));
  const what = `${c.verb} on ${name(c.on)}`;
  const sensitive = c.sensitive ? ` — sensitive: ${c.sensitive.map((col) => name(formatName(col))).join(", ")}` : "";
  return describePlain(c, what, columns) + sensitive;
}

function describePlain(c: PrivilegeChange, what: string, columns: (h: Holding) => string): string {
  if (c.newColumns) return `${what}: new columns ${columns(c.columns)}, reached by its whole-${kindOf(c.on)} grant`;
  if (c.now !== undefined) return `${what}: the whole of it; now only columns ${columns(c.now)}`;
  return c.columns === "all" ? what : `${what} (columns ${columns(c.columns)})`;
}

function kindOf(on: string): string {
  return on.startsWith("schema ") ? "schema" : on.startsWith("type ") ? "type" : "object";
}

function headline(d: AccessDiff): string {
  const gaining = d.access.filter((r) => r.gained.length > 0).length;
  const losing = d.access.filter((r) => r.lost.length > 0).length;
  const roles = (n: number, verb: string) => `${n} role${n === 1 ? ` ${verb}s` : `s ${verb}`}`;
  return hasChanges(d) ? `${roles(gaining, "gain")} access, ${roles(losing, "lose")} access` : "no access changes";
}

export function renderDiffText(d: AccessDiff, from: string, to: string): string {
  const out = [`access from ${from} to ${to}: ${headline(d)}\n`];
  const login = (l: boolean) => (l ? " (login)" : "");
  for (const r of d.rolesAdded) out.push(`+ role ${roleName(r.role)}${login(r.login)} added\n`);
  for (const r of d.rolesRemoved) out.push(`- role ${roleName(r.role)}${login(r.login)} removed\n`);
  for (const r of d.rolesChanged) out.push(`~ role ${roleName(r.role)} ${r.what}\n`);
  for (const m of d.membershipsAdded) out.push(`+ ${roleName(m.member)} is now a member of ${roleName(m.parent)}\n`);
  for (const m of d.membershipsRemoved) out.push(`- ${roleName(m.member)} is no longer a member of ${roleName(m.parent)}\n`);
  for (const o of d.appendOnlyAdded) out.push(`+ ${o} is now append-only\n`);
  for (const o of d.appendOnlyRemoved) out.push(`- ${o} is no longer append-only\n`);
  for (const s of d.sensitiveAdded) out.push(`+ ${s.on}: ${s.columns.map(formatName).join(", ")} now sensitive\n`);
  for (const s of d.sensitiveRemoved) out.push(`- ${s.on}: ${s.columns.map(formatName).join(", ")} no longer sensitive\n`);
  for (const r of d.access) {
    out.push(`\n${roleName(r.role)}${login(r.login)}\n`);
    for (const c of r.gained) out.push(`  + ${describeChange(c, (t) => t)}\n`);
    for (const c of r.lost) out.push(`  - ${describeChange(c, (t) => t)}\n`);
  }
  return out.join("");
}

/** For a pull-request comment: a headline, then tables a reviewer reads top down, widening first. */
export function renderDiffMarkdown(d: AccessDiff, from: string, to: string): string {
  const md = markdownText;
  const out = [`### rolec: access changes from ${md(from)} to ${md(to)}\n\n**${headline(d)}.**\n`];
  const structural: string[] = [];
  const login = (l: boolean) => (l ? " (login)" : "");
  for (const r of d.rolesAdded) structural.push(`| ➕ | role **${md(roleName(r.role))}**${login(r.login)} added |`);
  for (const r of d.rolesRemoved) structural.push(`| ➖ | role **${md(roleName(r.role))}**${login(r.login)} removed |`);
  for (const r of d.rolesChanged) structural.push(`| ✏️ | role **${md(roleName(r.role))}** ${md(r.what)} |`);
  for (const m of d.membershipsAdded) structural.push(`| ➕ | **${md(roleName(m.member))}** is now a member of **${md(roleName(m.parent))}** |`);
  for (const m of d.membershipsRemoved) structural.push(`| ➖ | **${md(roleName(m.member))}** is no longer a member of **${md(roleName(m.parent))}** |`);
  for (const o of d.appendOnlyAdded) structural.push(`| ➕ | ${md(o)} is now append-only |`);
  for (const o of d.appendOnlyRemoved) structural.push(`| ⚠️ | ${md(o)} is no longer append-only |`);
  for (const s of d.sensitiveAdded) structural.push(`| ➕ | ${md(s.on)}: ${s.columns.map((c) => md(formatName(c))).join(", ")} now sensitive |`);
  for (const s of d.sensitiveRemoved) structural.push(`| ⚠️ | ${md(s.on)}: ${s.columns.map((c) => md(formatName(c))).join(", ")} no longer sensitive |`);
  if (structural.length > 0) out.push(`\n| | roles, memberships, append-only tables, sensitive columns |\n|---|---|\n${structural.join("\n")}\n`);
  if (d.access.length > 0) {
    out.push("\n| role | | privilege |\n|---|---|---|\n");
    for (const r of d.access) {
      const who = `**${md(roleName(r.role))}**${login(r.login)}`;
      for (const c of r.gained) out.push(`| ${who} | ➕ gains | ${describeChange(c, md)} |\n`);
      for (const c of r.lost) out.push(`| ${who} | ➖ loses | ${describeChange(c, md)} |\n`);
    }
  }
  return out.join("");
}

export function diffJson(d: AccessDiff, from: string, to: string): object {
  return { from, to, changed: hasChanges(d), ...d };
}
