import type { LiveDatabase } from "../live-database.js";
import type { Plan } from "../plan.js";

/**
 * What running a plan took from anyone (a privilege, or only its grant option, on a table, view,
 * sequence, column or schema that was read) that none of its lines lists: apply undoes everything
 * rather than commit a change a reviewer was not shown. Empty when the plan told the whole truth.
 */
export function unlistedLosses(plan: Plan, before: LiveDatabase, after: LiveDatabase): string[] {
  const listed = new Set<string>();
  for (const c of plan.changes) {
    if (c.kind === "revoke" || c.kind === "revoke-grant-option") {
      const f = c.fact;
      listed.add(entryKey(f.grantee, f.schema, f.name, f.column, f.verb, f.grantor || c.owner, c.kind === "revoke-grant-option"));
    } else if (c.kind === "revoke-schema") {
      listed.add(entryKey(c.fact.grantee, c.fact.schema, null, null, c.fact.privilege, c.fact.grantor || c.owner, c.grantOptionOnly));
    } else if (c.kind === "cascade-revoke") {
      listed.add(entryKey(c.role, c.grant.schema, c.grant.name, c.grant.column, c.grant.privilege, c.grant.grantor, c.grant.grantOptionOnly));
    }
  }
  const entries = (live: LiveDatabase) => {
    const held = new Map<string, { grantee: string; what: string; grantable: boolean }>();
    for (const f of live.state.privileges) {
      const what = `${f.verb.toUpperCase()}${f.column !== null ? ` (${f.column})` : ""} on ${f.schema}.${f.name} (granted by ${f.grantor ?? ""})`;
      held.set(entryKey(f.grantee, f.schema, f.name, f.column, f.verb, f.grantor ?? "", false), { grantee: f.grantee, what, grantable: f.grantable });
    }
    for (const f of live.state.schemaPrivileges) {
      const what = `${f.privilege.toUpperCase()} on schema ${f.schema} (granted by ${f.grantor ?? ""})`;
      held.set(entryKey(f.grantee, f.schema, null, null, f.privilege, f.grantor ?? "", false), { grantee: f.grantee, what, grantable: f.grantable });
    }
    return held;
  };
  const now = entries(after);
  const losses: string[] = [];
  for (const [key, was] of entries(before)) {
    const is = now.get(key);
    if (!is && !listed.has(key)) losses.push(`${was.what} from ${was.grantee}`);
    // A privilege that goes takes its grant option with it; one that stays may still lose the option.
    else if (is && was.grantable && !is.grantable && !listed.has(key) && !listed.has(`${key}\u0000option`)) losses.push(`the grant option for ${was.what} from ${was.grantee}`);
  }
  return losses;
}

function entryKey(grantee: string, schema: string, name: string | null, column: string | null, privilege: string, grantor: string, optionOnly: boolean): string {
  return [grantee, schema, name ?? "\u0001", column ?? "\u0001", privilege, grantor].join("\u0000") + (optionOnly ? "\u0000option" : "");
}
