import { formatName } from "../syntax/names.js";
import { htmlText } from "./html-text.js";
import type { MatrixCell, ReviewReport, ReviewedRole } from "./review-report.js";
import { roleName } from "./render-who-can.js";

/** What a matrix cell says in two letters: R (reads all) or r (some columns), W when it writes; a dot when nothing. */
export function cellText(cell: MatrixCell): string {
  const read = cell.read === "all" ? "R" : cell.read === "some" ? "r" : "";
  const write = cell.writes.length > 0 ? "W" : "";
  return read + write || "·";
}

function cellClass(cell: MatrixCell): string {
  const kind = cell.writes.length > 0 ? "write" : cell.read === "all" ? "read" : cell.read === "some" ? "some" : "none";
  return `${kind}${cell.sensitive ? " sensitive" : ""}`;
}

function cellTitle(role: string, on: string, cell: MatrixCell): string {
  const parts = [cell.read === "all" ? "reads every column" : cell.read === "some" ? "reads some columns" : "", cell.writes.length > 0 ? `writes: ${cell.writes.join(", ")}` : "", cell.sensitive ? "reaches sensitive columns" : ""].filter(Boolean);
  return `${roleName(role)} on ${on}: ${parts.join("; ") || "nothing"}`;
}

const style = `
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 16px 24px; color: #1d232b; }
h1 { font-size: 20px; margin: 0 0 2px; } h2 { font-size: 16px; margin: 20px 0 4px; } h3 { font-size: 15px; margin: 18px 0 4px; }
.meta { color: #5b6570; margin: 0 0 6px; font-size: 12px; } .summary, .legend { margin: 4px 0; }
.summary span { display: inline-block; margin-right: 18px; }
.legend span.key { display: inline-block; width: 22px; text-align: center; border: 1px solid #c8ced6; margin: 0 4px 0 12px; font: 600 11px ui-monospace, monospace; }
table.matrix { border-collapse: collapse; font: 600 11px ui-monospace, SFMono-Regular, Menlo, monospace; }
table.matrix th.object { height: 150px; width: 20px; min-width: 20px; max-width: 20px; padding: 0 0 4px; vertical-align: bottom; white-space: nowrap; font-weight: 500; }
table.matrix th.object div { writing-mode: vertical-rl; transform: rotate(180deg); max-height: 146px; overflow: hidden; text-overflow: ellipsis; }
table.matrix th.role { text-align: right; padding: 0 6px 0 0; white-space: nowrap; font-weight: 500; }
table.matrix th.role span.name { display: inline-block; max-width: 180px; overflow: hidden; text-overflow: ellipsis; vertical-align: bottom; }
table.matrix td { width: 20px; min-width: 20px; height: 17px; line-height: 17px; text-align: center; border: 1px solid #d9dee4; padding: 0; }
td.none { color: #b8c0c8; background: #fff; } td.some { background: #dcefdc; } td.read { background: #9fd49f; }
td.write { background: #f3b169; } td.sensitive { box-shadow: inset 0 0 0 2px #c0152f; color: #8a0015; }
.login { font-size: 10px; color: #fff; background: #3b6fb6; border-radius: 3px; padding: 0 4px; margin-left: 4px; font-family: system-ui, sans-serif; }
.external { font-size: 10px; color: #3b3b3b; background: #e3e3e3; border-radius: 3px; padding: 0 4px; margin-left: 4px; font-family: system-ui, sans-serif; }
ul { margin: 4px 0; padding-left: 20px; } .sens { color: #8a0015; font-weight: 600; }
.finding.warning { color: #8a4b00; } .finding.info { color: #44505c; }
code { font: 12px ui-monospace, monospace; }
`;

/** A self-contained page (no script, no fetch): the matrix first, then each role, then the findings. */
export function renderReviewHtml(report: ReviewReport): string {
  const h = htmlText;
  const logins = report.roles.filter((r) => r.login).length;
  const sensitiveCount = report.objects.reduce((n, o) => n + o.sensitiveColumns.length, 0);
  const out: string[] = [];
  out.push(`<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>Access review</title>\n<style>${style}</style>\n</head>\n<body>\n`);
  out.push(`<h1>Access review</h1>\n<p class="meta">Compiled from .roles sources with SHA-256 <code>${h(report.sourcesSha256)}</code>; members from ${h(report.membersFrom)}.</p>\n`);
  out.push(`<p class="summary"><span><b>${report.roles.length}</b> roles</span><span><b>${logins}</b> can log in</span><span><b>${report.objects.length}</b> tables, views and sequences</span><span><b>${sensitiveCount}</b> sensitive columns</span><span><b>${report.findings.length}</b> findings</span></p>\n`);
  out.push(`<h2 id="matrix">Who can do what</h2>\n<p class="legend">Each cell: <span class="key" style="background:#9fd49f">R</span>reads every column <span class="key" style="background:#dcefdc">r</span>reads some columns <span class="key" style="background:#f3b169">W</span>writes (insert, update, delete, truncate; nextval on a sequence) <span class="key" style="box-shadow: inset 0 0 0 2px #c0152f">&nbsp;</span>reaches a sensitive column. Hover a cell for details.</p>\n`);
  out.push(`<table class="matrix">\n<thead><tr><th></th>${report.objects.map((o) => `<th class="object" scope="col" title="${h(o.on)} (${h(o.kind)}${o.appendOnly ? ", append-only" : ""}${o.sensitiveColumns.length > 0 ? `, sensitive: ${h(o.sensitiveColumns.map(formatName).join(", "))}` : ""})"><div>${h(o.on)}</div></th>`).join("")}</tr></thead>\n<tbody>\n`);
  report.roles.forEach((role, r) => {
    const cells = report.matrix[r]!.map((cell, i) => `<td class="${cellClass(cell)}" title="${h(cellTitle(role.role, report.objects[i]!.on, cell))}">${h(cellText(cell))}</td>`).join("");
    out.push(`<tr><th class="role" scope="row" title="${h(roleName(role.role))}"><span class="name">${h(roleName(role.role))}</span>${role.login ? '<span class="login">login</span>' : ""}${role.external ? '<span class="external">external</span>' : ""}</th>${cells}</tr>\n`);
  });
  out.push("</tbody>\n</table>\n");
  out.push(`<h2 id="roles">Roles</h2>\n`);
  for (const role of report.roles) out.push(roleSection(role));
  out.push(`<h2 id="findings">Findings</h2>\n`);
  if (report.findings.length === 0) out.push("<p>None: no warnings and no review lints.</p>\n");
  else out.push(`<ul>\n${report.findings.map((f) => `<li class="finding ${h(f.severity)}"><code>${h(f.code)}</code> ${h(f.severity)} at <code>${h(f.where)}</code>: ${h(f.message)}</li>`).join("\n")}\n</ul>\n`);
  out.push("</body>\n</html>\n");
  return out.join("");
}

function roleSection(role: ReviewedRole): string {
  const h = htmlText;
  const names = (list: readonly string[]) => (list.length === 0 ? "none" : list.map((n) => h(roleName(n))).join(", "));
  const columns = (c: "all" | readonly string[]) => (c === "all" ? "" : ` (${h(c.map(formatName).join(", "))})`);
  const out = [`<h3>${h(roleName(role.role))}${role.login ? '<span class="login">login</span>' : ""}${role.external ? '<span class="external">external</span>' : ""}</h3>\n<ul>\n`];
  out.push(`<li>Members: ${names(role.members)}</li>\n<li>Member of: ${names(role.memberOf)}${role.inheritsFrom.length > role.memberOf.length ? `; holds the privileges of ${names(role.inheritsFrom)}` : ""}</li>\n`);
  out.push(`<li>Reads: ${role.reads.length === 0 ? "nothing" : role.reads.map((x) => `${h(x.on)}${columns(x.columns)}`).join(", ")}</li>\n`);
  out.push(`<li>Writes: ${role.writes.length === 0 ? "nothing" : role.writes.map((x) => `${h(x.verb)} ${h(x.on)}${columns(x.columns)}`).join(", ")}</li>\n`);
  if (role.sensitive.length > 0) out.push(`<li class="sens">Sensitive columns: ${role.sensitive.map((s) => `${h(s.on)} (${h(s.columns.map(formatName).join(", "))})`).join(", ")}</li>\n`);
  out.push("</ul>\n");
  return out.join("");
}
