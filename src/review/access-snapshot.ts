import { effectiveDatabaseGrants, effectiveGrantsOf, effectiveRoutineGrants, effectiveSchemaGrants, effectiveTypeGrants } from "../model/effective.js";
import { formatRoutine, grantableRelations, PUBLIC, type Model } from "../model/index.js";
import { inherits } from "../model/role-attributes.js";
import { formatName } from "../syntax/names.js";

/** What a role holds on one thing for one verb: the whole of it, or some columns. */
export type Holding = "all" | readonly string[];

/**
 * A program's access as facts that two versions can be compared by, with nothing about where
 * lines are: roles and their login, inheritance and attributes, memberships, append-only
 * tables, and each role's effective privileges keyed by `verb on thing`.
 */
export interface AccessSnapshot {
  readonly roles: ReadonlyMap<string, { readonly login: boolean; readonly inherits: boolean; readonly attributes: readonly string[]; readonly external: boolean }>;
  /** `member\0parent`, for memberships (inheriting or not). */
  readonly memberships: ReadonlySet<string>;
  readonly appendOnly: ReadonlySet<string>;
  /** Per role (PUBLIC too, with a `public` block): `verb\0thing` → what it holds, effective. */
  readonly access: ReadonlyMap<string, ReadonlyMap<string, Holding>>;
  /** Each thing's columns, for ordering column lists. */
  readonly columns: ReadonlyMap<string, readonly string[]>;
  /** Each table's or view's sensitive columns, where it has any. */
  readonly sensitive: ReadonlyMap<string, readonly string[]>;
}

export function accessSnapshot(model: Model): AccessSnapshot {
  const roles = new Map(model.roles.map((r) => [r.name, { login: r.login, inherits: inherits(r), attributes: r.attributes.filter((a) => a !== "noinherit"), external: r.external }]));
  const memberships = new Set(model.roles.flatMap((r) => r.memberOf.map((p) => `${r.name}\0${p}`)));
  const objectName = (o: { schema: string; name: string }) => `${formatName(o.schema)}.${formatName(o.name)}`;
  const appendOnly = new Set(grantableRelations(model.objects).filter((o) => o.appendOnly).map(objectName));
  const columns = new Map(grantableRelations(model.objects).map((o) => [objectName(o), o.columns]));
  const sensitive = new Map(grantableRelations(model.objects).filter((o) => o.sensitiveColumns.length > 0).map((o) => [objectName(o), o.sensitiveColumns]));
  const of = effectiveGrantsOf(model);
  const routines = effectiveRoutineGrants(model);
  const types = effectiveTypeGrants(model);
  const schemas = effectiveSchemaGrants(model);
  const database = effectiveDatabaseGrants(model);
  const access = new Map<string, Map<string, Holding>>();
  for (const role of [...model.roles.map((r) => r.name), ...(model.public ? [PUBLIC] : [])]) {
    const held = new Map<string, Holding>();
    for (const g of of(role)) held.set(`${g.verb}\0${objectName(g.object)}`, g.columns);
    for (const g of routines.get(role) ?? []) held.set(`execute\0${formatRoutine(g.routine)}`, "all");
    for (const g of types.get(role) ?? []) held.set(`usage\0type ${objectName(g.type)}`, "all");
    for (const g of schemas.get(role) ?? []) held.set(`${g.verb}\0schema ${formatName(g.schema)}`, "all");
    for (const g of database.get(role) ?? []) held.set(`${g.verb}\0database`, "all");
    access.set(role, held);
  }
  return { roles, memberships, appendOnly, access, columns, sensitive };
}
