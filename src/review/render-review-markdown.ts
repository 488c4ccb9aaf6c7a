import { formatName } from "../syntax/names.js";
import { markdownText } from "./markdown-text.js";
import { cellText } from "./render-review-html.js";
import type { ReviewReport } from "./review-report.js";
import { roleName } from "./render-who-can.js";

/** The same review as Markdown, for a repository or a ticket: summary, matrix, roles, findings. */
export function renderReviewMarkdown(report: ReviewReport): string {
  const md = markdownText;
  const names = (list: readonly string[]) => (list.length === 0 ? "none" : list.map((n) => md(roleName(n))).join(", "));
  const columns = (c: "all" | readonly string[]) => (c === "all" ? "" : ` (${c.map((x) => md(formatName(x))).join(", ")})`);
  const out: string[] = [];
  out.push(`# Access review\n\nCompiled from .roles sources with SHA-256 ${report.sourcesSha256}; members from ${md(report.membersFrom)}.\n\n`);
  out.push(`${report.roles.length} roles (${report.roles.filter((r) => r.login).length} can log in), ${report.objects.length} tables, views and sequences, ${report.objects.reduce((n, o) => n + o.sensitiveColumns.length, 0)} sensitive columns, ${report.findings.length} findings.\n\n`);
  out.push("## Who can do what\n\nR reads every column, r some columns, W writes, ! reaches a sensitive column. Objects are numbered; the key follows the table.\n\n");
  out.push(`| role | ${report.objects.map((_, i) => `${i + 1}`).join(" | ")} |\n|---|${report.objects.map(() => ":-:").join("|")}|\n`);
  report.roles.forEach((role, r) => {
    out.push(`| ${md(roleName(role.role))}${role.login ? " (login)" : ""} | ${report.matrix[r]!.map((cell) => `${cellText(cell)}${cell.sensitive ? "!" : ""}`).join(" | ")} |\n`);
  });
  out.push(`\n${report.objects.map((o, i) => `${i + 1}. ${md(o.on)} (${o.kind}${o.appendOnly ? ", append-only" : ""}${o.sensitiveColumns.length > 0 ? `, sensitive: ${o.sensitiveColumns.map((c) => md(formatName(c))).join(", ")}` : ""})`).join("\n")}\n`);
  out.push("\n## Roles\n");
  for (const role of report.roles) {
    out.push(`\n### ${md(roleName(role.role))}${role.login ? " (login)" : ""}${role.external ? " (external)" : ""}\n\n`);
    out.push(`- Members: ${names(role.members)}\n- Member of: ${names(role.memberOf)}\n`);
    out.push(`- Reads: ${role.reads.length === 0 ? "nothing" : role.reads.map((x) => `${md(x.on)}${columns(x.columns)}`).join(", ")}\n`);
    out.push(`- Writes: ${role.writes.length === 0 ? "nothing" : role.writes.map((x) => `${x.verb} ${md(x.on)}${columns(x.columns)}`).join(", ")}\n`);
    if (role.sensitive.length > 0) out.push(`- **Sensitive columns**: ${role.sensitive.map((s) => `${md(s.on)} (${s.columns.map((c) => md(formatName(c))).join(", ")})`).join(", ")}\n`);
  }
  out.push("\n## Findings\n\n");
  out.push(report.findings.length === 0 ? "None: no warnings and no review lints.\n" : report.findings.map((f) => `- ${f.code} ${f.severity} at ${md(f.where)}: ${md(f.message)}`).join("\n") + "\n");
  return out.join("");
}
