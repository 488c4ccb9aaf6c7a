import { InputError } from "../diagnostics/input-error.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import type { Span } from "../source/source.js";
import { effectiveDatabaseGrants, effectiveGrantsOf, effectiveRoutineGrants, effectiveSchemaGrants, effectiveTypeGrants, inheritedParents, transitiveParents } from "../model/effective.js";
import { compareText, formatRoutine, grantableRelations, PUBLIC, sensitiveColumnsReached, type Model, type Verb } from "../model/index.js";
import type { ObjectKind } from "../syntax/ast.js";
import { formatName } from "../syntax/names.js";
import { inherits } from "../model/role-attributes.js";
import { membershipChains } from "./membership-chains.js";

/** One thing a role can do, where it comes from and through which memberships. */
export interface AccessEntry {
  /** What it is on: `schema.object`, `schema.function(types)`, `schema`, or `database`, as a `.roles` file writes it. */
  readonly on: string;
  readonly kind: ObjectKind | "function or procedure" | "type" | "schema" | "database";
  readonly verb: Verb | "execute" | "create" | "connect" | "temporary";
  /** "all" for the whole object; the columns for a column grant. Only objects have columns. */
  readonly columns: "all" | readonly string[];
  /** The roles whose own lines give it (PUBLIC for a `public` block's), sorted. */
  readonly via: readonly string[];
  /** The sensitive columns it reaches (per-column verbs on tables and views only). */
  readonly sensitive: readonly string[];
  /** Membership chains from the role to each of those. */
  readonly paths: readonly (readonly string[])[];
  readonly sources: readonly Span[];
}

/** Everything one role can do by the program's rules, effective: its own lines, its parents' and PUBLIC's. */
export interface RoleAccess {
  readonly role: string;
  readonly login: boolean;
  readonly external: boolean;
  readonly inherits: boolean;
  /** Roles it is a direct member of, sorted. */
  readonly memberOf: readonly string[];
  /** Roles whose privileges it holds through its memberships, sorted (none for a NOINHERIT role). */
  readonly inheritsFrom: readonly string[];
  /** Roles that are direct members of it, sorted: they hold what it holds, unless NOINHERIT. */
  readonly members: readonly string[];
  readonly access: readonly AccessEntry[];
}

export function accessOf(model: Model, roleName: string): RoleAccess {
  const role = roleName === PUBLIC ? undefined : model.roles.find((r) => r.name === roleName);
  if (!role && !(roleName === PUBLIC && model.public)) {
    const hint = roleName.toUpperCase() === PUBLIC && model.public ? ' (did you mean "PUBLIC"?)' : didYouMean(roleName, model.roles.map((r) => r.name));
    throw new InputError(`${JSON.stringify(roleName)} is not a declared role${hint}`);
  }
  const parents = inheritedParents(model.roles);
  const chains = membershipChains(parents);
  const pathsTo = (via: readonly string[]) =>
    via.flatMap((holder) => (holder === PUBLIC ? [roleName === PUBLIC ? [PUBLIC] : [roleName, PUBLIC]] : chains(roleName, holder).chains));
  const entry = (e: Omit<AccessEntry, "paths" | "sensitive"> & { sensitive?: readonly string[] }): AccessEntry => ({ ...e, sensitive: e.sensitive ?? [], paths: pathsTo(e.via) });
  const relations = new Map(grantableRelations(model.objects).map((o) => [`${o.schema}\0${o.name}`, o]));
  const access: AccessEntry[] = [];
  for (const g of effectiveGrantsOf(model)(roleName)) {
    const relation = relations.get(`${g.object.schema}\0${g.object.name}`)!;
    const reached = sensitiveColumnsReached(relation, g.verb, g.columns);
    access.push(entry({ on: `${formatName(g.object.schema)}.${formatName(g.object.name)}`, kind: relation.partitionOf !== undefined ? "table" : relation.kind, verb: g.verb, columns: g.columns, via: g.via, sources: g.sources, sensitive: reached }));
  }
  for (const g of effectiveRoutineGrants(model).get(roleName) ?? []) access.push(entry({ on: formatRoutine(g.routine), kind: "function or procedure", verb: "execute", columns: "all", via: g.via, sources: g.sources }));
  for (const g of effectiveTypeGrants(model).get(roleName) ?? []) access.push(entry({ on: `${formatName(g.type.schema)}.${formatName(g.type.name)}`, kind: "type", verb: "usage", columns: "all", via: g.via, sources: g.sources }));
  for (const g of effectiveSchemaGrants(model).get(roleName) ?? []) access.push(entry({ on: formatName(g.schema), kind: "schema", verb: g.verb, columns: "all", via: g.via, sources: g.sources }));
  for (const g of effectiveDatabaseGrants(model).get(roleName) ?? []) access.push(entry({ on: "database", kind: "database", verb: g.verb, columns: "all", via: g.via, sources: g.sources }));
  return {
    role: roleName,
    login: role?.login ?? false,
    external: role?.external ?? false,
    inherits: role ? inherits(role) : true,
    memberOf: role?.memberOf ?? [],
    inheritsFrom: role ? (transitiveParents(parents, [roleName]).get(roleName) ?? []) : [],
    members: model.roles.filter((r) => r.memberOf.includes(roleName)).map((r) => r.name).sort(compareText),
    access,
  };
}
