import { compareText, defaultCreators, defaultSchemas, type DefaultGrant, type Model } from "../../../model/ir.js";
import type { LiveDatabase } from "../../../model/live-database.js";
import type { DefaultPrivilegeFact } from "../../../model/permission-state.js";
import type { PlanChange } from "../../plan.js";
import { compositeKey } from "../../../model/composite-key.js";

/** A default privilege's identity: creator, place (every schema: ""), kind of object, grantee, privilege. */
function defaultKey(f: Pick<DefaultPrivilegeFact, "owner" | "schema" | "objects" | "grantee" | "privilege">): string {
  return compositeKey(f.owner, f.schema ?? "", f.objects, f.grantee, f.privilege);
}

/** A declared default as the catalog would hold it. */
export function defaultFact(g: DefaultGrant): DefaultPrivilegeFact {
  return { owner: g.creator, schema: g.schema, objects: g.objects, grantee: g.role, privilege: g.verb.toUpperCase(), grantable: g.grantable === true };
}

/**
 * Default privileges (ALTER DEFAULT PRIVILEGES).
 *
 * A creator a `created by` names has its defaults managed: for every schema and in each schema the
 * program manages or names, each managed grantee (a declared role, PUBLIC, and with --prune any
 * role) holds exactly its declared ones, PostgreSQL's built-in ones (PUBLIC's EXECUTE on
 * functions, USAGE on types) included, with the grant option exactly where a line declares it:
 * one held with an undeclared option is taken and given again.
 *
 * Other creators' defaults are left alone but for those that would give a managed grantee
 * privileges on tables or sequences created later in a managed schema or anywhere: a declared
 * table dropped and created again would come back with them, so they are drift.
 */
export function planDefaultPrivileges(model: Model, live: LiveDatabase, managedGrantee: (grantee: string) => boolean): PlanChange[] {
  const creators = new Set(defaultCreators(model));
  // A creator the plan creates will have the built-in defaults, which the catalog could not show.
  const existing = new Set(live.state.roles.map((r) => r.name));
  const facts = [...(live.defaultPrivileges ?? []), ...[...creators].filter((c) => !existing.has(c)).flatMap(builtInDefaults)];
  const scopes = defaultScopes(model, live);
  const wanted = new Map(model.defaultGrants.map((g) => [defaultKey(defaultFact(g)), g]));
  const held = new Map<string, DefaultPrivilegeFact>();
  const changes: PlanChange[] = [];
  for (const fact of facts) {
    if (fact.objects === "large objects" || fact.grantee === fact.owner || !managedGrantee(fact.grantee)) continue;
    if (fact.schema !== null && !scopes.has(fact.schema)) continue;
    if (creators.has(fact.owner)) {
      const key = defaultKey(fact);
      held.set(key, fact);
      if (!wanted.has(key) || (fact.grantable && !wanted.get(key)!.grantable)) changes.push({ kind: "revoke-default", role: fact.grantee, fact });
    } else if (fact.objects === "tables" || fact.objects === "sequences") {
      changes.push({ kind: "revoke-default", role: fact.grantee, fact });
    }
  }
  for (const [key, grant] of wanted) {
    if (!held.has(key) || held.get(key)!.grantable !== (grant.grantable === true)) changes.push({ kind: "grant-default", role: grant.role, fact: defaultFact(grant), ...(grant.sources[0] ? { span: grant.sources[0] } : {}) });
  }
  return changes.sort((a, b) => compareText(sortKey(a), sortKey(b)));
}

/** The schemas whose default privileges the plan judges: those it read (the managed ones) and those a default line names. */
function defaultScopes(model: Model, live: LiveDatabase): ReadonlySet<string> {
  return new Set([...live.schemas.map((s) => s.name), ...defaultSchemas(model)]);
}

/**
 * Default privileges a creator the files manage gives a role they do not declare, where the plan
 * judges them: left alone, and listed with the role's other holdings (`--prune` takes them).
 */
export function undeclaredGranteeDefaults(model: Model, live: LiveDatabase, declared: (role: string) => boolean): DefaultPrivilegeFact[] {
  const creators = new Set(defaultCreators(model));
  const scopes = defaultScopes(model, live);
  return (live.defaultPrivileges ?? []).filter(
    (f) => creators.has(f.owner) && f.objects !== "large objects" && f.grantee !== f.owner && f.grantee !== "PUBLIC" && !declared(f.grantee) && (f.schema === null || scopes.has(f.schema)),
  );
}

/** What PostgreSQL gives PUBLIC on the functions and types a role creates while it has no entry of its own for them. */
export function builtInDefaults(creator: string): DefaultPrivilegeFact[] {
  return [
    { owner: creator, schema: null, objects: "functions", grantee: "PUBLIC", privilege: "EXECUTE", grantable: false, builtIn: true },
    { owner: creator, schema: null, objects: "types", grantee: "PUBLIC", privilege: "USAGE", grantable: false, builtIn: true },
  ];
}

function sortKey(change: PlanChange): string {
  const fact = (change as Extract<PlanChange, { kind: "revoke-default" | "grant-default" }>).fact;
  return compositeKey(fact.owner, fact.schema ?? "", fact.objects, fact.grantee, fact.privilege);
}
