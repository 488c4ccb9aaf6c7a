import type { VerifyReport } from "../engine/verify-report.js";

/** The human-readable verification report: a role × object table, then every mismatch. */
export function renderVerifyReport(report: VerifyReport, label: string): string {
  const lines: string[] = [];
  if (report.scriptError) {
    lines.push(`verify ${label}: FAILED`, `  ${report.scriptError}`);
    return lines.join("\n") + "\n";
  }
  const roleWidth = Math.max(4, ...report.summary.map((r) => r.role.length));
  const objectWidth = Math.max(6, ...report.summary.map((r) => r.object.length));
  lines.push(`${"role".padEnd(roleWidth)}  ${"object".padEnd(objectWidth)}  privileges`);
  let previousRole: string | undefined;
  for (const row of report.summary) {
    const role = row.role === previousRole ? "" : row.role;
    previousRole = row.role;
    lines.push(`${role.padEnd(roleWidth)}  ${row.object.padEnd(objectWidth)}  ${row.privileges.join(" ")}`);
  }
  lines.push("");
  for (const m of report.roleMismatches) {
    lines.push(`MISMATCH role ${m.role}: ${m.what}: expected ${m.expected}, database says ${m.actual}`);
  }
  for (const m of report.appendOnlyMismatches) {
    lines.push(`MISMATCH append-only ${m.table}: ${m.what}: expected ${m.expected}, database says ${m.actual}`);
  }
  for (const m of report.mismatches) {
    const who = m.role === undefined ? "owner" : `role ${m.role}`;
    const what = `${m.verb}${m.column !== undefined ? `(${m.column})` : ""}${m.grantOption ? " with grant option" : ""} on ${m.object}`;
    lines.push(`MISMATCH ${who}: ${what}: expected ${m.expected}, database says ${m.actual} [${m.check}${m.sql ? `: ${m.sql}` : ""}]`);
  }
  const checks = `roles, memberships, append-only guards, ${report.privilegeChecks} privilege checks and ${report.statementChecks} statements`;
  const count = report.mismatches.length + report.roleMismatches.length + report.appendOnlyMismatches.length;
  if (count === 0) lines.push(`verify ${label}: OK: ${checks} all agree with the .roles files`);
  else lines.push(`verify ${label}: FAILED: ${count} mismatch${count === 1 ? "" : "es"} in ${checks}`);
  return lines.join("\n") + "\n";
}
