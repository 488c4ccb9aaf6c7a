import { compareText } from "../model/index.js";
import type { LiveAccessFacts } from "../engine/index.js";
import { membershipChains } from "./membership-chains.js";
import type { RoleThatCan } from "./who-can.js";

/**
 * The live database's answer as who-can reports it: the roles the server says can, each with the
 * membership chains from it to the grantees whose ACL entries give it (PUBLIC as `[role,
 * "PUBLIC"]`). A superuser passes every check and needs no chain; a role the server says yes for
 * with no chain found is listed with none, so the report never hides what the server allows.
 */
export function whoCanLive(facts: LiveAccessFacts, column: string | undefined): RoleThatCan[] {
  const parents = new Map<string, string[]>();
  for (const m of facts.memberships) parents.set(m.member, [...(parents.get(m.member) ?? []), m.parent]);
  const chains = membershipChains(parents);
  const holders = new Map(facts.holders.map((h) => [h.role, h]));
  const publicHolds = holders.get("PUBLIC");
  return facts.roles
    .map((role): RoleThatCan => {
      const paths: string[][] = [];
      let pathsTruncated = false;
      const reached = [];
      for (const holder of holders.values()) {
        if (holder.role === "PUBLIC") continue;
        const found = chains(role.name, holder.role);
        if (found.chains.length === 0) continue;
        reached.push(holder);
        paths.push(...found.chains);
        pathsTruncated ||= found.truncated;
      }
      if (publicHolds) (reached.push(publicHolds), paths.push([role.name, "PUBLIC"]));
      const whole = reached.some((h) => h.columns === "all") || role.superuser;
      const reachedColumns = new Set(reached.flatMap((h) => (h.columns === "all" ? [] : h.columns)));
      const columns = column !== undefined ? [column] : facts.columns.filter((c) => reachedColumns.has(c));
      return {
        role: role.name,
        login: role.login,
        external: false,
        ...(role.superuser ? { superuser: true } : {}),
        columns: whole ? "all" : columns,
        paths: paths.sort((a, b) => a.length - b.length || compareText(a.join("\0"), b.join("\0"))),
        pathsTruncated,
        sources: [],
        holders: reached.map((h) => ({ role: h.role, columns: h.columns, sources: [] })),
      };
    })
    .sort((a, b) => compareText(a.role, b.role));
}
