import { effectiveDatabaseGrants, effectiveGrantsOf, effectiveRoutineGrants, effectiveSchemaGrants, effectiveServerGrants, effectiveTypeGrants } from "../../model/effective.js";
import { routineKey } from "../../model/ir.js";
import type { Model, Role } from "../../model/ir.js";
import { spanLocation, type Span } from "../../source/source.js";
import { rolecVersion } from "../../version.js";
import { grantableRelations, objectKey, PUBLIC } from "../../model/ir.js";
import { compositeKey } from "../../model/composite-key.js";

/** The allow-list format's version; bump it on any change a proxy could notice. */
export const allowlistFormatVersion = 10;

/**
 * The proxy allow-list (see targets/allowlist/allowlist.schema.json): default deny, one entry
 * per role with its effective grants flattened through membership, each with the lines it came from.
 * Built as data and serialised, never templated, so it is always valid JSON.
 */
export function buildAllowlist(model: Model): unknown {
  return JSON.parse(renderAllowlist(model));
}

/** The allow-list's text: `JSON.stringify(document, null, 2)` and a newline. */
export function renderAllowlist(model: Model): string {
  return [...allowlistPieces(model)].join("");
}

/**
 * The same text in pieces, one per role, each serialised from its role's data and let go
 * before the next: the allow-list of a large program runs to tens of megabytes, and need never
 * be held whole, as data or as text.
 */
export function* allowlistPieces(model: Model): Generator<string> {
  const header = JSON.stringify(
    {
      format: "rolec-allowlist",
      formatVersion: allowlistFormatVersion,
      generatedBy: `rolec ${rolecVersion}`,
      sourcesSha256: model.sourcesSha256,
      default: "deny",
      appendOnly: model.objects.filter((o) => o.appendOnly).map((o) => ({ schema: o.schema, object: o.name })),
      sensitive: grantableRelations(model.objects)
        .filter((o) => o.sensitiveColumns.length > 0)
        .map((o) => ({ schema: o.schema, object: o.name, ...(o.sensitive ? { table: true } : {}), columns: o.sensitiveColumns })),
      objects: objectsEntry(model),
      routines: model.routines.map((r) => ({ schema: r.schema, name: r.name, kind: r.kind, args: r.args.map((t) => ({ schema: t.schema, name: t.name, array: t.array })) })),
      ...(model.public ? { public: publicEntry(model) } : {}),
    },
    null,
    2,
  );
  if (model.roles.length === 0) {
    yield `${header.slice(0, -2)},\n  "roles": {}\n}\n`;
    return;
  }
  yield `${header.slice(0, -2)},\n  "roles": {`;
  const entry = roleEntries(model);
  for (const [i, role] of model.roles.entries()) {
    // Serialised inside the two objects that hold it in the document, so JSON.stringify indents
    // it as it stands there; the text of those two is cut off again.
    const wrapped = dictionary<unknown>();
    wrapped[role.name] = entry(role);
    const text = JSON.stringify({ roles: wrapped }, null, 2);
    yield `${i === 0 ? "" : ","}${text.slice(text.indexOf("\n", text.indexOf("\n") + 1), text.length - 6)}`;
  }
  yield "\n  }\n}\n";
}

/** A role's entry: whether it is external, its login, its declared attributes, its parents, its effective grants by schema, object and verb, and its privileges on schemas themselves. */
function roleEntries(model: Model): (role: Pick<Role, "name" | "external" | "login" | "attributes" | "validUntil" | "settings" | "databaseSettings" | "memberOf" | "adminOf">) => unknown {
  const effective = effectiveGrantsOf(model);
  const onSchemas = effectiveSchemaGrants(model);
  const onDatabase = effectiveDatabaseGrants(model);
  const onServer = effectiveServerGrants(model);
  const onRoutines = effectiveRoutineGrants(model);
  const routineKinds = new Map(model.routines.map((r) => [routineKey(r), r.kind] as const));
  const onTypes = effectiveTypeGrants(model);
  const typeKinds = new Map(model.types.map((t) => [objectKey(t), t.kind] as const));
  const objectKinds = new Map(grantableRelations(model.objects).map((o) => [objectKey(o), o.kind] as const));
  // Which roles' own lines give a grant option (`with grant option`), by role, object and verb.
  const ownOptions = new Set(model.grants.filter((g) => g.grantable).map((g) => compositeKey(g.role, objectKey(g.object), g.verb)));
  const ownRoutineOptions = new Set(model.routineGrants.filter((g) => g.grantable).map((g) => compositeKey(g.role, routineKey(g.routine))));
  const ownTypeOptions = new Set(model.typeGrants.filter((g) => g.grantable).map((g) => compositeKey(g.role, objectKey(g.type))));
  const ownSchemaOptions = new Set(model.schemaGrants.filter((g) => g.grantable).map((g) => compositeKey(g.role, g.schema, g.verb)));
  const ownDatabaseOptions = new Set(model.databaseGrants.filter((g) => g.grantable).map((g) => compositeKey(g.role, g.verb)));
  const optionOf = (via: readonly string[], holds: (from: string) => boolean) => {
    const from = via.filter(holds);
    return from.length > 0 ? { grantOption: { via: from } } : {};
  };
  // A few hundred grant lines stand behind hundreds of thousands of effective grants: name each once.
  const locations = new Map<Span, string>();
  const locationOf = (span: Span) => locations.get(span) ?? (locations.set(span, spanLocation(span)), spanLocation(span));
  return (role) => {
    const grants = dictionary<Record<string, { kind: string | undefined; privileges: Record<string, unknown> }>>();
    for (const g of effective(role.name)) {
      const schema = (grants[g.object.schema] ??= dictionary());
      const object = (schema[g.object.name] ??= { kind: objectKinds.get(objectKey(g.object)), privileges: dictionary() });
      // The grant option comes from the role or an ancestor whose own line declares it, which is among those the privilege comes from.
      const optionVia = ownOptions.size === 0 ? [] : g.via.filter((from) => ownOptions.has(compositeKey(from, objectKey(g.object), g.verb)));
      object.privileges[g.verb] = {
        columns: g.columns === "all" ? "*" : g.columns,
        via: g.via,
        sources: g.sources.map(locationOf),
        ...(optionVia.length > 0 ? { grantOption: { via: optionVia } } : {}),
      };
    }
    const schemas = dictionary<Record<string, { via: readonly string[]; sources: string[] }>>();
    for (const g of onSchemas.get(role.name) ?? []) {
      (schemas[g.schema] ??= dictionary())[g.verb] = { via: g.via, sources: g.sources.map(locationOf), ...optionOf(g.via, (from) => ownSchemaOptions.has(compositeKey(from, g.schema, g.verb))) };
    }
    const database = dictionary<{ via: readonly string[]; sources: string[] }>();
    for (const g of onDatabase.get(role.name) ?? []) database[g.verb] = { via: g.via, sources: g.sources.map(locationOf), ...optionOf(g.via, (from) => ownDatabaseOptions.has(compositeKey(from, g.verb))) };
    const server = dictionary<{ via: readonly string[]; sources: string[] }>();
    for (const g of onServer.get(role.name) ?? []) server[g.verb] = { via: g.via, sources: g.sources.map(locationOf) };
    // Functions and procedures by their identity: schema, name and argument types, each type by its schema and own name.
    const routines = (onRoutines.get(role.name) ?? []).map((g) => ({
      schema: g.routine.schema,
      name: g.routine.name,
      kind: routineKinds.get(routineKey(g.routine)),
      args: g.routine.args.map((t) => ({ schema: t.schema, name: t.name, array: t.array })),
      execute: { via: g.via, sources: g.sources.map(locationOf), ...optionOf(g.via, (from) => ownRoutineOptions.has(compositeKey(from, routineKey(g.routine)))) },
    }));
    const types = (onTypes.get(role.name) ?? []).map((g) => ({ schema: g.type.schema, name: g.type.name, kind: typeKinds.get(objectKey(g.type)), usage: { via: g.via, sources: g.sources.map(locationOf), ...optionOf(g.via, (from) => ownTypeOptions.has(compositeKey(from, objectKey(g.type)))) } }));
    // An external role's entry says so (and only then): what it may do on these objects is this
    // program's to say, its login and its other memberships are another's.
    // Attributes are listed only when declared, so a reader sees at a glance which roles reach past their grants.
    return { ...(role.external ? { external: true } : {}), login: role.login, ...(role.attributes.length > 0 ? { attributes: role.attributes } : {}), ...(role.validUntil !== undefined ? { validUntil: role.validUntil } : {}), ...(role.settings.length > 0 ? { settings: role.settings } : {}), ...(role.databaseSettings.length > 0 ? { settingsInDatabase: role.databaseSettings } : {}), memberOf: role.memberOf, ...(role.adminOf ? { adminOf: role.adminOf } : {}), grants, ...(Object.keys(schemas).length > 0 ? { schemas } : {}), ...(Object.keys(database).length > 0 ? { database } : {}), ...(Object.keys(server).length > 0 ? { server } : {}), ...(routines.length > 0 ? { routines } : {}), ...(types.length > 0 ? { types } : {}) };
  };
}

/**
 * Every relation the program declares (partitions included), by schema and name, with its kind
 * and all its columns in declaration order: what a proxy needs to resolve a statement's names
 * and to expand `*` into the columns PostgreSQL checks.
 */
function objectsEntry(model: Model): Record<string, Record<string, unknown>> {
  const objects = dictionary<Record<string, unknown>>();
  for (const o of grantableRelations(model.objects)) {
    (objects[o.schema] ??= dictionary())[o.name] = { kind: o.kind, columns: o.columns, ...(o.partitionOf !== undefined ? { partitionOf: o.partitionOf } : {}) };
  }
  return objects;
}

/** What PUBLIC holds by the `public` block, which every role holds too (and any role the list does not name). */
function publicEntry(model: Model): unknown {
  const { grants, schemas, database, routines, types } = roleEntries(model)({ name: PUBLIC, external: false, login: false, attributes: [], settings: [], databaseSettings: [], memberOf: [] }) as Record<string, unknown>;
  return { grants, ...(schemas ? { schemas } : {}), ...(database ? { database } : {}), ...(routines ? { routines } : {}), ...(types ? { types } : {}) };
}

/**
 * A map keyed by names from the .roles files. Without a prototype, names such as `__proto__` or
 * `constructor` are plain keys like any other.
 */
function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
