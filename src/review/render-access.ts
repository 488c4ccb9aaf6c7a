import { formatName } from "../syntax/names.js";
import type { RoleAccess } from "./access.js";
import { roleName, type ShowSpan } from "./render-who-can.js";

/** For people: the role's memberships, then what it can do, grouped by what it is on. */
export function renderAccessText(a: RoleAccess, show: ShowSpan): string {
  const marks = [a.login ? "login" : undefined, a.external ? "external" : undefined, a.inherits ? undefined : "noinherit"].filter(Boolean);
  const list = (names: readonly string[]) => (names.length === 0 ? "none" : names.map(roleName).join(", "));
  const out = [`${roleName(a.role)}${marks.length > 0 ? ` (${marks.join(", ")})` : ""}\n`, `  member of: ${list(a.memberOf)}\n`];
  if (!a.inherits && a.memberOf.length > 0) out.push("  holds none of its parents' privileges until it runs SET ROLE\n");
  else out.push(`  holds the privileges of: ${list(a.inheritsFrom)}\n`);
  out.push(`  members: ${list(a.members)}\n`);
  if (a.access.length === 0) out.push("\nno privileges\n");
  let current: string | undefined;
  for (const e of a.access) {
    if (e.on !== current) {
      current = e.on;
      out.push(`\n${e.on} (${e.kind})\n`);
    }
    const columns = e.columns === "all" ? "" : ` (${e.columns.map(formatName).join(", ")})`;
    const via = e.via.length === 1 && e.via[0] === a.role ? "own line" : `via ${e.via.map(roleName).join(", ")}`;
    const sensitive = e.sensitive.length > 0 ? `  sensitive: ${e.sensitive.map(formatName).join(", ")}` : "";
    out.push(`  ${e.verb}${columns}  ${via}  ${e.sources.map(show).join(", ")}${sensitive}\n`);
  }
  return out.join("");
}

export function accessJson(a: RoleAccess, show: ShowSpan): object {
  return {
    role: a.role,
    login: a.login,
    external: a.external,
    inherits: a.inherits,
    memberOf: a.memberOf,
    inheritsFrom: a.inheritsFrom,
    members: a.members,
    access: a.access.map((e) => ({ on: e.on, kind: e.kind, verb: e.verb, columns: e.columns, ...(e.sensitive.length > 0 ? { sensitive: e.sensitive } : {}), via: e.via, paths: e.paths, sources: e.sources.map(show) })),
  };
}
