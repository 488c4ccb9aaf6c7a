import type { Span } from "../source/source.js";
import { allDatabaseGrants, compareObjects, grantableRelations, compareRoutines, compareText, objectKey, PUBLIC, routineKey, type DatabaseGrant, type Grant, type Model, type ObjectName, type RoutineName, type SchemaGrant, type ServerGrant } from "./ir.js";
import { databaseVerbOrder, schemaVerbOrder, serverVerbOrder, verbOrder, type Verb } from "./verbs.js";
import { compositeKey } from "./composite-key.js";
import { inherits, type RoleAttribute } from "./role-attributes.js";

/** What a role can do once membership is taken into account. */
export interface EffectiveGrant {
  readonly object: ObjectName;
  readonly verb: Verb;
  readonly columns: "all" | readonly string[];
  readonly sources: readonly Span[];
  /** The roles whose own grants give it: the role itself and/or its ancestors, sorted. */
  readonly via: readonly string[];
}

/**
 * The roles whose privileges each role holds through `member of`, transitively, sorted; the role
 * itself excluded. As PostgreSQL does, a NOINHERIT role holds none of its parents' (it must SET
 * ROLE), and the chain stops at one: its members hold its own privileges but not its parents'.
 */
export function ancestorsOf(model: Model): Map<string, string[]> {
  return transitiveParents(inheritedParents(model.roles));
}

/** Each role's parents whose privileges it inherits: none for a NOINHERIT role. */
export function inheritedParents(roles: readonly { readonly name: string; readonly memberOf: readonly string[]; readonly attributes: readonly RoleAttribute[] }[]): Map<string, readonly string[]> {
  return new Map(roles.map((r) => [r.name, inherits(r) ? r.memberOf : []] as const));
}

/**
 * Ancestors per role from direct parents, for every role or only the roles named. Safe on
 * cycles, which the checker reports.
 */
export function transitiveParents(parents: ReadonlyMap<string, readonly string[]>, only?: Iterable<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const role of only ?? parents.keys()) {
    const seen = new Set<string>();
    const stack = [...(parents.get(role) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (next === role || seen.has(next)) continue;
      seen.add(next);
      stack.push(...(parents.get(next) ?? []));
    }
    out.set(role, [...seen].sort(compareText));
  }
  return out;
}

export function grantsByRole(model: Model): Map<string, Grant[]> {
  const byRole = new Map<string, Grant[]>(model.roles.map((r) => [r.name, []]));
  for (const grant of model.grants) byRole.get(grant.role)?.push(grant);
  return byRole;
}

/** PUBLIC, where a `public` block grants it something: every role holds what it holds, as if a member of it. */
function publicAncestor(model: Pick<Model, "public">): string[] {
  return model.public ? [PUBLIC] : [];
}

/**
 * Each role's effective grants: its own plus every ancestor's (and PUBLIC's), merged per object × verb.
 * A whole-object grant absorbs column grants; column grants merge into one column list.
 */
export function effectiveGrants(model: Model): Map<string, EffectiveGrant[]> {
  const of = effectiveGrantsOf(model);
  return new Map(model.roles.map((r) => [r.name, of(r.name)]));
}

/**
 * The same for one role at a time, for a consumer that can let each role's list go before the
 * next (the allow-list of a large program would otherwise hold every role's at once).
 */
export function effectiveGrantsOf(model: Model): (role: string) => EffectiveGrant[] {
  const own = grantsByRole(model);
  if (model.public) own.set(PUBLIC, [...model.public.grants]);
  const ancestors = ancestorsOf(model);
  // Objects by rank in sort order, so that a merged grant's key is a number whose order is the list's.
  const sorted = [...grantableRelations(model.objects)].sort(compareObjects);
  const rankByKey = new Map(sorted.map((o, i) => [objectKey(o), i]));
  const rankByName = new Map<ObjectName, number>(); // grants share their object's name, so this is mostly hits
  const rankOf = (o: ObjectName): number => {
    let rank = rankByName.get(o);
    if (rank === undefined) {
      rank = rankByKey.get(objectKey(o));
      if (rank === undefined) throw new Error(`bug: a grant names ${o.schema}.${o.name}, which the model does not declare`);
      rankByName.set(o, rank);
    }
    return rank;
  };
  // Effective grants share their `via` lists: a program has few distinct ones, and many grants.
  const vias = new Map<string, readonly string[]>();
  const via = (roles: string[]) => {
    const list = roles.length === 1 ? roles : roles.sort(compareText);
    const key = compositeKey(...list);
    return vias.get(key) ?? (vias.set(key, list), list);
  };
  return (role) => {
    const merged = new Map<number, { object: ObjectName; rank: number; verb: Verb; all: boolean; columns: Set<string> | undefined; sources: Span[]; via: string[] }>();
    for (const from of [role, ...(ancestors.get(role) ?? []), ...publicAncestor(model)]) {
      for (const g of own.get(from) ?? []) {
        const rank = rankOf(g.object);
        const key = rank * verbOrder.length + verbOrder.indexOf(g.verb);
        let entry = merged.get(key);
        if (!entry) merged.set(key, (entry = { object: g.object, rank, verb: g.verb, all: false, columns: undefined, sources: [], via: [] }));
        if (g.columns === "all") entry.all = true;
        else {
          entry.columns ??= new Set();
          for (const c of g.columns) entry.columns.add(c);
        }
        for (const span of g.sources) entry.sources.push(span);
        if (!entry.via.includes(from)) entry.via.push(from);
      }
    }
    return [...merged.keys()]
      .sort((a, b) => a - b)
      .map((key) => {
        const e = merged.get(key)!;
        return {
          object: e.object,
          verb: e.verb,
          columns: e.all ? "all" : sorted[e.rank]!.columns.filter((c) => e.columns!.has(c)),
          sources: e.sources.length === 1 ? e.sources : uniqueSpans(e.sources),
          via: via(e.via),
        };
      });
  };
}

function uniqueSpans(spans: Span[]): Span[] {
  const seen = new Map<string, Span>();
  for (const s of spans) seen.set(compositeKey(s.file, s.startOffset), s);
  return [...seen.values()].sort((a, b) => compareText(a.file, b.file) || a.startOffset - b.startOffset);
}

/**
 * The schemas a role (or PUBLIC, by its `public` block) holds USAGE on by its own lines: those
 * holding an object, function or procedure it is granted something on directly, and those it is granted USAGE on in so many words.
 */
export function schemaUsage(model: Pick<Model, "grants" | "routineGrants" | "typeGrants" | "schemaGrants" | "public">): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  const add = (role: string, schema: string) => {
    let set = out.get(role);
    if (!set) out.set(role, (set = new Set()));
    set.add(schema);
  };
  for (const g of [...model.grants, ...(model.public?.grants ?? [])]) add(g.role, g.object.schema);
  // PUBLIC's EXECUTE is PostgreSQL's default on every new function: keeping it must not open the schema to every role.
  // So is its USAGE on every new type and domain.
  for (const g of model.routineGrants) add(g.role, g.routine.schema);
  for (const g of model.typeGrants) add(g.role, g.type.schema);
  for (const g of [...model.schemaGrants, ...(model.public?.schemaGrants ?? [])]) if (g.verb === "usage") add(g.role, g.schema);
  return new Map([...out].map(([role, set]) => [role, [...set].sort(compareText)]));
}

/** The schemas each role may CREATE in by its own lines, sorted; roles without any are left out. */
export function schemaCreate(model: Pick<Model, "schemaGrants" | "public">): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const g of [...model.schemaGrants, ...(model.public?.schemaGrants ?? [])]) if (g.verb === "create") out.set(g.role, [...(out.get(g.role) ?? []), g.schema]);
  return out;
}

/** A role's privileges on schemas once membership is taken into account: its own lines' and its ancestors'. */
export interface EffectiveSchemaGrant {
  readonly schema: string;
  readonly verb: SchemaGrant["verb"];
  readonly sources: readonly Span[];
  /** The roles whose own lines give it, sorted. */
  readonly via: readonly string[];
}

/** Each role's (and PUBLIC's, with a `public` block) effective schema privileges (only those asked for in so many words), sorted by schema and verb. */
export function effectiveSchemaGrants(model: Model): Map<string, EffectiveSchemaGrant[]> {
  const ancestors = ancestorsOf(model);
  const own = new Map<string, SchemaGrant[]>();
  for (const g of [...model.schemaGrants, ...(model.public?.schemaGrants ?? [])]) own.set(g.role, [...(own.get(g.role) ?? []), g]);
  const out = new Map<string, EffectiveSchemaGrant[]>();
  for (const role of [...model.roles, ...publicAncestor(model).map((name) => ({ name }))]) {
    const merged = new Map<string, { schema: string; verb: SchemaGrant["verb"]; sources: Span[]; via: string[] }>();
    for (const from of [role.name, ...(ancestors.get(role.name) ?? []), ...publicAncestor(model)]) {
      for (const g of own.get(from) ?? []) {
        const key = compositeKey(g.schema, g.verb);
        let entry = merged.get(key);
        if (!entry) merged.set(key, (entry = { schema: g.schema, verb: g.verb, sources: [], via: [] }));
        entry.sources.push(...g.sources);
        if (!entry.via.includes(from)) entry.via.push(from);
      }
    }
    out.set(
      role.name,
      [...merged.values()]
        .sort((a, b) => compareText(a.schema, b.schema) || schemaVerbOrder.indexOf(a.verb) - schemaVerbOrder.indexOf(b.verb))
        .map((e) => ({ schema: e.schema, verb: e.verb, sources: uniqueSpans(e.sources), via: e.via.sort(compareText) })),
    );
  }
  return out;
}

/** EXECUTE on one function or procedure, once membership is taken into account. */
export interface EffectiveRoutineGrant {
  readonly routine: RoutineName;
  readonly sources: readonly Span[];
  /** The roles whose own lines give it, sorted. */
  readonly via: readonly string[];
}

/** Each role's (and PUBLIC's, with a `public` block) effective EXECUTE grants: its own lines' and its ancestors', sorted by routine. */
export function effectiveRoutineGrants(model: Model): Map<string, EffectiveRoutineGrant[]> {
  const held = effectiveSinglePrivilege(model, [...model.routineGrants, ...(model.public?.routineGrants ?? [])], (g) => g.routine, routineKey, compareRoutines);
  return new Map([...held].map(([role, list]) => [role, list.map((e) => ({ routine: e.on, sources: e.sources, via: e.via }))]));
}

/** USAGE on one type or domain, once membership is taken into account. */
export interface EffectiveTypeGrant {
  readonly type: ObjectName;
  readonly sources: readonly Span[];
  /** The roles whose own lines give it, sorted. */
  readonly via: readonly string[];
}

/** Each role's (and PUBLIC's, with a `public` block) effective USAGE on types and domains: its own lines', its ancestors' and PUBLIC's, sorted by type. */
export function effectiveTypeGrants(model: Model): Map<string, EffectiveTypeGrant[]> {
  const held = effectiveSinglePrivilege(model, [...model.typeGrants, ...(model.public?.typeGrants ?? [])], (g) => g.type, objectKey, compareObjects);
  return new Map([...held].map(([role, list]) => [role, list.map((e) => ({ type: e.on, sources: e.sources, via: e.via }))]));
}

/**
 * What each role (and PUBLIC, with a `public` block) holds of a kind that takes one privilege
 * (EXECUTE on routines, USAGE on types): by its own lines, its ancestors' and PUBLIC's, merged per
 * thing, with every line that asks for it and every role whose lines give it.
 */
function effectiveSinglePrivilege<G extends { readonly role: string; readonly sources: readonly Span[] }, N>(
  model: Model,
  grants: readonly G[],
  on: (grant: G) => N,
  keyOf: (name: N) => string,
  compare: (a: N, b: N) => number,
): Map<string, { on: N; sources: Span[]; via: string[] }[]> {
  const ancestors = ancestorsOf(model);
  const own = new Map<string, G[]>();
  for (const g of grants) own.set(g.role, [...(own.get(g.role) ?? []), g]);
  const out = new Map<string, { on: N; sources: Span[]; via: string[] }[]>();
  for (const role of [...model.roles, ...publicAncestor(model).map((name) => ({ name }))]) {
    const merged = new Map<string, { on: N; sources: Span[]; via: string[] }>();
    for (const from of [role.name, ...(ancestors.get(role.name) ?? []), ...publicAncestor(model)]) {
      for (const g of own.get(from) ?? []) {
        const key = keyOf(on(g));
        let entry = merged.get(key);
        if (!entry) merged.set(key, (entry = { on: on(g), sources: [], via: [] }));
        entry.sources.push(...g.sources);
        if (!entry.via.includes(from)) entry.via.push(from);
      }
    }
    out.set(role.name, [...merged.values()].sort((a, b) => compare(a.on, b.on)).map((e) => ({ on: e.on, sources: uniqueSpans(e.sources), via: e.via.sort(compareText) })));
  }
  return out;
}

/** A role's privileges on the database once membership is taken into account. */
export interface EffectiveDatabaseGrant {
  readonly verb: DatabaseGrant["verb"];
  readonly sources: readonly Span[];
  /** The roles whose own lines give it, sorted. */
  readonly via: readonly string[];
}

/** Each role's effective privileges on the database: its own lines' and its ancestors', in the language's order. */
export function effectiveDatabaseGrants(model: Model): Map<string, EffectiveDatabaseGrant[]> {
  return effectiveVerbGrants(model, allDatabaseGrants(model), databaseVerbOrder, publicAncestor(model));
}

/**
 * Each role's effective grants on one thing (the database, the server): the verbs its own lines,
 * its ancestors' and `everyone`'s (PUBLIC, where it holds some) give, in `order`, each with the
 * lines and the roles it comes from. `everyone` are given an entry of their own.
 */
function effectiveVerbGrants<V extends string>(model: Model, all: readonly { role: string; verb: V; sources: readonly Span[] }[], order: readonly V[], everyone: readonly string[]): Map<string, { verb: V; sources: readonly Span[]; via: readonly string[] }[]> {
  const ancestors = ancestorsOf(model);
  const out = new Map<string, { verb: V; sources: readonly Span[]; via: readonly string[] }[]>();
  for (const role of [...model.roles, ...everyone.map((name) => ({ name }))]) {
    const from = new Set([role.name, ...(ancestors.get(role.name) ?? []), ...everyone]);
    const grants = all.filter((g) => from.has(g.role));
    out.set(
      role.name,
      order
        .filter((verb) => grants.some((g) => g.verb === verb))
        .map((verb) => {
          const giving = grants.filter((g) => g.verb === verb);
          return { verb, sources: uniqueSpans(giving.flatMap((g) => [...g.sources])), via: [...new Set(giving.map((g) => g.role))].sort(compareText) };
        }),
    );
  }
  return out;
}

/** A role's privileges on the whole server (MySQL/MariaDB) once membership is taken into account. */
export interface EffectiveServerGrant {
  readonly verb: ServerGrant["verb"];
  readonly sources: readonly Span[];
  /** The roles whose own lines give it, sorted. */
  readonly via: readonly string[];
}

/** Each role's effective privileges on the server: its own lines' and its ancestors', in the language's order; PUBLIC has none. */
export function effectiveServerGrants(model: Model): Map<string, EffectiveServerGrant[]> {
  return effectiveVerbGrants(model, model.serverGrants, serverVerbOrder, []);
}
