import { compareText } from "../../../model/ir.js";
import type { LiveDatabase } from "../../../model/live-database.js";
import type { DefaultPrivilegeFact } from "../../../model/permission-state.js";
import type { PlanChange } from "../../plan.js";
import { compositeKey } from "../../../model/composite-key.js";

/**
 * Default ACLs (ALTER DEFAULT PRIVILEGES) that would give a role the plan manages privileges on
 * tables or sequences created later, in a declared schema or anywhere: a declared table dropped
 * and created again would come back with them. The .roles files cannot give default privileges,
 * so every such entry is drift, revoked from the defaults of the role that creates the objects.
 * Defaults for functions, types and schemas give nothing on what the files declare: left alone.
 */
export function planDefaultPrivileges(live: LiveDatabase, managedGrantee: (grantee: string) => boolean): PlanChange[] {
  const declaredSchemas = new Set(live.schemas.map((s) => s.name));
  const entries = new Map<string, DefaultPrivilegeFact[]>();
  for (const fact of live.defaultPrivileges ?? []) {
    if (fact.objects !== "tables" && fact.objects !== "sequences") continue;
    if (fact.schema !== null && !declaredSchemas.has(fact.schema)) continue;
    if (fact.grantee === fact.owner || !managedGrantee(fact.grantee)) continue;
    const key = compositeKey(fact.grantee, fact.owner, fact.schema ?? "", fact.objects);
    entries.set(key, [...(entries.get(key) ?? []), fact]);
  }
  return [...entries]
    .sort(([a], [b]) => compareText(a, b))
    .flatMap(([, facts]) => facts.sort((a, b) => compareText(a.privilege, b.privilege)).map((fact) => ({ kind: "revoke-default" as const, role: fact.grantee, fact })));
}
