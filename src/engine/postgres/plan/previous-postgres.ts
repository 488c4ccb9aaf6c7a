import { appendOnlyNames } from "../script/render-postgres.js";
import { builtInDefaults, defaultFact } from "./plan-default-privileges.js";
import { allDatabaseGrants, compareObjects, compareRoutines, compareText, defaultCreators, managedSchemas, undeclaredCreators, objectKey, PUBLIC, routineKey, type Model } from "../../../model/ir.js";
import type { LiveDatabase, LiveObject, LiveRoutine, LiveType } from "../../../model/live-database.js";
import { desiredState, sortState } from "../../../model/permission-state.js";

/**
 * A migration is planned as if the database held exactly what the previous migration left: the
 * previous sources' state, dressed up as what reading a live database would return, so the same
 * planners (and the same statements) serve `apply` and `migrate`. Every object the current
 * sources declare is taken to exist, owned by a role the files do not declare.
 */
export function previousPostgres(previous: Model, current: Model): LiveDatabase {
  const state = desiredState(previous);
  const guarded = new Set(previous.objects.filter((o) => o.appendOnly).flatMap((o) => [o.name, ...o.partitions].map((name) => objectKey({ schema: o.schema, name }))));
  const objects = new Map<string, LiveObject>();
  for (const model of [previous, current]) {
    for (const o of model.objects) {
      for (const name of [o.name, ...o.partitions]) {
        const key = objectKey({ schema: o.schema, name });
        if (objects.has(key)) continue;
        const isGuarded = guarded.has(key);
        objects.set(key, {
          schema: o.schema,
          name,
          kind: o.kind,
          owner: isGuarded ? appendOnlyNames.owner : "",
          columns: o.columns,
          parent: name === o.name ? null : `${o.schema}.${o.name}`,
          isPartition: name !== o.name,
          triggers: isGuarded
            ? [appendOnlyNames.rowTrigger, appendOnlyNames.truncateTrigger].map((trigger) => ({
                name: trigger,
                enabled: "always" as const,
                function: `${o.schema}.${appendOnlyNames.function}`,
                functionOwner: appendOnlyNames.owner,
              }))
            : [],
        });
      }
    }
  }
  const ownerRole = guarded.size > 0 ? [{ name: appendOnlyNames.owner, login: false, connectionLimit: 0, powers: [], settings: [], inherit: false, comment: null }] : [];
  // External roles are another program's, and creators the files do not declare nobody's, and are
  // taken to exist: the migration's own checks refuse to run while one it needs does not.
  const externalRoles = externalNames(previous, current)
    .filter((name) => !state.roles.some((r) => r.name === name))
    .map((name) => ({ name, login: false, connectionLimit: -1, powers: [], settings: [], inherit: true, comment: null }));
  const schemas = [...new Set([...managedSchemas(previous), ...managedSchemas(current)])].sort(compareText);
  // Before a `public` block, PUBLIC held what the database gave it, which no recorded state says.
  // The migration that adds the block takes it to hold USAGE on every schema and CONNECT and
  // TEMPORARY on the database (PostgreSQL's defaults) where the block does not keep them, so that
  // they are revoked; where the block keeps them, it grants them (a GRANT of what is held changes nothing).
  const publicDefaults = current.public !== undefined && previous.public === undefined;
  const kept = desiredState(current);
  const publicKeeps = (schema: string) => kept.schemaPrivileges.some((f) => f.grantee === PUBLIC && f.schema === schema && f.privilege === "usage");
  const schemaPrivileges = [
    ...state.schemaPrivileges,
    ...(publicDefaults ? schemas.filter((schema) => !publicKeeps(schema)).map((schema) => ({ grantee: PUBLIC, schema, privilege: "usage" as const, grantable: false })) : []),
  ];
  const databasePrivileges = [
    ...allDatabaseGrants(previous).map((g) => ({ grantee: g.role, privilege: g.verb, grantable: g.grantable === true })),
    ...(publicDefaults
      ? (["connect", "temporary"] as const)
          .filter((privilege) => !current.public!.databaseGrants.some((g) => g.verb === privilege))
          .map((privilege) => ({ grantee: PUBLIC, privilege, grantable: false }))
      : []),
  ];
  const roles = [...state.roles, ...ownerRole, ...externalRoles];
  return {
    engine: "postgres",
    defaultPrivileges: previousDefaults(previous, current, new Set(roles.map((r) => r.name))),
    routines: previousRoutines(previous, current),
    types: previousTypes(previous, current),
    // Statements that work on every supported version: no per-membership INHERIT (PostgreSQL 16).
    serverVersion: 150000,
    state: sortState({ ...state, schemaPrivileges, roles }),
    objects: [...objects.values()],
    schemas: schemas.map((name) => ({ name, owner: "" })),
    // The database as the previous sources leave it: their declared privileges on it, and nothing else.
    database: { name: "", owner: "", privileges: databasePrivileges },
    queries: 0,
  };
}

/**
 * Every routine either sources declare, taken to exist with the kind the current sources give it:
 * one the previous sources declared holds what they granted; a new one holds PostgreSQL's default,
 * EXECUTE for PUBLIC, which the migration takes away unless the sources keep it.
 */
function previousRoutines(previous: Model, current: Model): LiveRoutine[] {
  const held = heldBefore(previous.routines, current.routines, [...previous.routineGrants, ...(previous.public?.routineGrants ?? [])].map((g) => ({ role: g.role, key: routineKey(g.routine), grantable: g.grantable === true })), routineKey);
  return held.map(({ item: r, privileges }) => ({ schema: r.schema, name: r.name, args: r.args, kind: r.kind, owner: "", privileges })).sort(compareRoutines);
}

/** Every type either sources declare, as previousRoutines does routines: a new one holds PUBLIC's default USAGE. */
function previousTypes(previous: Model, current: Model): LiveType[] {
  const held = heldBefore(previous.types, current.types, [...previous.typeGrants, ...(previous.public?.typeGrants ?? [])].map((g) => ({ role: g.role, key: objectKey(g.type), grantable: g.grantable === true })), objectKey);
  return held.map(({ item: t, privileges }) => ({ schema: t.schema, name: t.name, kind: t.kind, owner: "", privileges })).sort(compareObjects);
}

/** Each thing either sources declare (the current sources' first), with who held its one privilege before: the granted roles, or PUBLIC for a new one. */
function heldBefore<T>(before: readonly T[], now: readonly T[], grants: readonly { role: string; key: string; grantable: boolean }[], keyOf: (item: T) => string) {
  const declaredBefore = new Set(before.map(keyOf));
  const seen = new Set<string>();
  return [...now, ...before].flatMap((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return [];
    seen.add(key);
    const grantees = declaredBefore.has(key) ? grants.filter((g) => g.key === key) : [{ role: PUBLIC, grantable: false }];
    return [{ item, privileges: grantees.map((g) => ({ grantee: g.role, grantable: g.grantable, grantor: "" })) }];
  });
}

/** The roles either model declares external, sorted. */
function externalNames(previous: Model, current: Model): string[] {
  // Creators of default privileges the files do not declare are taken to exist too: the migration refuses to run while one does not.
  return [...new Set([...[...previous.roles, ...current.roles].filter((r) => r.external).map((r) => r.name), ...undeclaredCreators(previous), ...undeclaredCreators(current)])].sort(compareText);
}

/**
 * Default privileges as the previous sources left them: their creators' declared ones. A role the
 * current sources name as a creator for the first time holds PostgreSQL's built-in ones, which
 * the migration takes away unless declared (the planner adds them for a role it creates).
 */
function previousDefaults(previous: Model, current: Model, existingRoles: ReadonlySet<string>) {
  const before = new Set(defaultCreators(previous));
  return [...previous.defaultGrants.map(defaultFact), ...defaultCreators(current).filter((c) => !before.has(c) && existingRoles.has(c)).flatMap(builtInDefaults)];
}
