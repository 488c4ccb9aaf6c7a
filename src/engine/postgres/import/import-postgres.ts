import { appendOnlyNames } from "../script/render-postgres.js";
import { InputError } from "../../../diagnostics/input-error.js";
import type { LiveDatabase, LiveObject } from "../../../model/live-database.js";
import { isSystemRole } from "../plan/plan-postgres.js";
import { PUBLIC } from "../../../model/permission-state.js";
import { readPostgres } from "../catalog/read-postgres.js";
import { compareObjects, compareRoutines, compareText, formatRoutine, routineKey, type RoutineName } from "../../../model/ir.js";
import { appendOnlyForbidden, appliesTo, databaseVerbOrder, defaultObjectsOrder, defaultVerbsByObjects, schemaVerbOrder, type DefaultObjects, type DefaultVerb, type Verb } from "../../../model/verbs.js";
import type { SqlSession } from "../../session.js";
import type { ImportedDefaultGrant, ImportedObject, ImportedProgram, ImportedRole, ImportedRoutine, ImportedSchema, ImportedSchemaGrant } from "../../imported-program.js";
import { roleAttributeOrder } from "../../../model/role-attributes.js";
import { parseValidUntil, validUntilForever } from "../../../model/valid-until.js";
import { predefinedRoles } from "../../../model/predefined-roles.js";
import { compositeKey, splitCompositeKey } from "../../../model/composite-key.js";

export interface PostgresImport {
  readonly program: ImportedProgram;
  readonly live: LiveDatabase;
  /** What the database holds that the files cannot say, one sentence each. */
  readonly warnings: readonly string[];
}

const languageVerbs = new Set(["select", "insert", "update", "delete", "truncate", "references", "trigger", "usage"]);

/**
 * Reads a PostgreSQL database (every schema but the system ones, or those named) and describes
 * it in the .roles language: its tables, views, sequences and columns, and the roles that hold
 * something on them or are members of such roles, with their memberships and table, column and
 * sequence grants; the roles those are members of that hold nothing here are external roles. Roles that cannot be declared (owners of what is imported, roles
 * superusers, pg_* and rolec_* roles) are left out, and so is anything the
 * language cannot say, each with a warning.
 */
export async function importPostgres(session: SqlSession, only: readonly string[] | undefined): Promise<PostgresImport> {
  const existing = (
    await session.query<{ name: string }>(
      // rolec's own schema (the append-only event trigger's function) is rolec's, not the program's.
      "SELECT nspname AS name FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' AND nspname <> $1 ORDER BY 1",
      [appendOnlyNames.ddlSchema],
    )
  ).map((r) => r.name);
  if (only !== undefined) {
    const missing = only.filter((s) => !existing.includes(s));
    if (missing.length > 0) throw new InputError(`the database has no schema ${missing.map((s) => JSON.stringify(s)).join(", ")}; it has ${existing.map((s) => JSON.stringify(s)).join(", ") || "none"}`);
  }
  const schemas = only ?? existing;
  const live = await readPostgres(session, schemas, [appendOnlyNames.rowTrigger, appendOnlyNames.truncateTrigger], { routinesAndTypes: true });
  const warnings: string[] = [];
  const warn = (text: string) => warnings.push(text);

  // Objects. Partitions are declared with their parent; materialized views and foreign tables are read as what they grant like.
  const key = (schema: string, name: string) => compositeKey(schema, name);
  const objects = live.objects.filter((o) => schemas.includes(o.schema));
  const guarded = (o: LiveObject) =>
    o.owner === appendOnlyNames.owner && [appendOnlyNames.rowTrigger, appendOnlyNames.truncateTrigger].every((name) => o.triggers.some((t) => t.name === name && t.enabled === "always"));
  const partitionsOf = new Map<string, string[]>();
  for (const o of objects.filter((o) => o.isPartition && o.parent !== null)) {
    const parent = objects.find((p) => `${p.schema}.${p.name}` === o.parent);
    if (!parent || parent.schema !== o.schema) {
      warn(`partition ${o.schema}.${o.name} of ${o.parent} is in another schema than its parent (or its parent is not imported); it is declared as a table of its own`);
      continue;
    }
    partitionsOf.set(key(parent.schema, parent.name), [...(partitionsOf.get(key(parent.schema, parent.name)) ?? []), o.name]);
  }
  const declaredPartition = new Set([...partitionsOf].flatMap(([parent, names]) => names.map((n) => key(splitCompositeKey(parent)[0]!, n))));
  // Functions and procedures (those of extensions are the extensions', and were never read).
  const routines = (live.routines ?? []).filter((r) => schemas.includes(r.schema));
  const routinesBySchema = new Map<string, ImportedRoutine[]>();
  for (const r of routines) routinesBySchema.set(r.schema, [...(routinesBySchema.get(r.schema) ?? []), { kind: r.kind, name: r.name, args: r.args }]);
  const types = (live.types ?? []).filter((t) => schemas.includes(t.schema));
  const importedSchemas: ImportedSchema[] = schemas.map((name) => ({
    name,
    ...(types.some((t) => t.schema === name) ? { types: types.filter((t) => t.schema === name).map((t) => ({ kind: t.kind, name: t.name })) } : {}),
    ...(routinesBySchema.has(name) ? { routines: routinesBySchema.get(name)! } : {}),
    objects: objects
      .filter((o) => o.schema === name && !declaredPartition.has(key(o.schema, o.name)))
      .map(
        (o): ImportedObject => ({
          kind: o.kind,
          name: o.name,
          columns: o.columns,
          appendOnly: o.kind === "table" && guarded(o),
          partitions: [...(partitionsOf.get(key(o.schema, o.name)) ?? [])].sort(compareText),
        }),
      )
      .sort((a, b) => compareText(a.name, b.name)),
  }));
  const appendOnlyTables = new Set(importedSchemas.flatMap((s) => s.objects.filter((o) => o.appendOnly).map((o) => key(s.name, o.name))));
  for (const s of importedSchemas) {
    if (s.objects.some((o) => o.kind !== "sequence" && o.columns.length === 0)) {
      warn(`schema ${s.name} has tables or views without columns, which the language cannot declare; add a column or leave them out`);
    }
  }

  // Roles: who holds something on the imported objects, and who is connected to them by membership.
  const owners = new Set([...objects.map((o) => o.owner), ...routines.map((r) => r.owner), ...types.map((t) => t.owner), ...live.schemas.map((s) => s.owner)]);
  const roleState = new Map(live.state.roles.map((r) => [r.name, r]));
  const excluded = new Map<string, string>();
  const declarable = (name: string): boolean => {
    if (name === PUBLIC || isSystemRole(name) || name.startsWith("rolec_")) return false;
    const reason = owners.has(name)
      ? "it owns imported objects (an owner can grant itself anything; give them to a role the files do not declare)"
      : roleState.get(name)?.powers.includes("superuser")
        ? "it is a superuser, which the language never declares (a superuser passes every check)"
        : undefined;
    if (reason) {
      excluded.set(name, reason);
      return false;
    }
    return roleState.has(name);
  };
  const objectKeys = new Set(objects.map((o) => key(o.schema, o.name)));
  const privileges = live.state.privileges.filter((p) => objectKeys.has(key(p.schema, p.name)));
  // The roles that matter to this database: those holding something on what is imported, and
  // their members, who get it through them. Roles and memberships are cluster-wide, so another
  // database's roles are none of these files' business.
  // Schema privileges count too: a role that may only CREATE in a schema, or only look it up, is the database's business.
  const schemaPrivileges = live.state.schemaPrivileges.filter((s) => schemas.includes(s.schema));
  // And so do the database's own privileges, granted to a role by name (PUBLIC's are the database's defaults).
  const databasePrivileges = live.database?.privileges.filter((f) => f.grantee !== live.database!.owner && f.grantee !== PUBLIC) ?? [];
  // EXECUTE on a function or procedure, granted to a role by name.
  const routinePrivileges = routines.flatMap((r) => r.privileges.filter((f) => f.grantee !== r.owner).map((f) => ({ ...f, routine: r })));
  // USAGE on a type or domain, likewise.
  const typePrivileges = types.flatMap((t) => t.privileges.filter((f) => f.grantee !== t.owner).map((f) => ({ ...f, type: t })));
  // Default privileges: every role with an entry of its own for every schema or an imported one
  // has them imported, PostgreSQL's built-in ones included, as `created by` makes plan manage them all.
  const reserved = (name: string) => name === PUBLIC || isSystemRole(name) || name.startsWith("rolec_");
  const inScope = (live.defaultPrivileges ?? []).filter((d) => d.objects !== "large objects" && (d.schema === null || schemas.includes(d.schema)));
  const creators = new Set(inScope.filter((d) => !d.builtIn && !reserved(d.owner)).map((d) => d.owner));
  for (const owner of new Set(inScope.filter((d) => !d.builtIn && reserved(d.owner) && d.grantee !== d.owner).map((d) => d.owner))) {
    warn(`${owner}'s default privileges are left out: the language names no ${owner.startsWith("rolec_") ? "rolec_*" : "pg_*"} role; plan leaves them alone but for those on tables and sequences, which it revokes`);
  }
  const defaultPrivileges = inScope.filter((d) => creators.has(d.owner) && d.grantee !== d.owner);
  const included = new Set([...privileges.map((p) => p.grantee), ...routinePrivileges.map((f) => f.grantee), ...typePrivileges.map((f) => f.grantee), ...schemaPrivileges.map((s) => s.grantee), ...databasePrivileges.map((f) => f.grantee), ...defaultPrivileges.map((d) => d.grantee)].filter(declarable));
  for (let grew = true; grew; ) {
    grew = false;
    for (const m of live.state.memberships) {
      if (included.has(m.parent) && !included.has(m.child) && declarable(m.child)) {
        included.add(m.child);
        grew = true;
      }
    }
  }
  // A role they are members of that holds nothing here is external: its memberships stay its
  // owner's (another database's program, or a person), and plan leaves them alone.
  const external = new Set<string>();
  for (const m of live.state.memberships) {
    if (included.has(m.child) && !included.has(m.parent) && declarable(m.parent)) external.add(m.parent);
  }
  // A grantee of default privileges that cannot be declared (it owns what is imported, or is a
  // superuser) is named external, as the language gives default privileges to declared roles
  // only. A creator is named in `created by` alone, declared or not.
  for (const name of defaultPrivileges.map((d) => d.grantee)) {
    if (!included.has(name) && !reserved(name) && roleState.has(name)) {
      external.add(name);
      excluded.delete(name);
    }
  }
  for (const [name, reason] of [...excluded].sort(([a], [b]) => compareText(a, b))) warn(`role ${name} is left out: ${reason}`);
  const unrelated = live.state.roles
    .map((r) => r.name)
    .filter((name) => !included.has(name) && !external.has(name) && !excluded.has(name) && !owners.has(name) && !creators.has(name))
    .filter((name) => name !== PUBLIC && !isSystemRole(name) && !name.startsWith("rolec_") && !roleState.get(name)!.powers.includes("superuser"))
    .sort(compareText);
  if (unrelated.length > 0) {
    warn(`left out ${unrelated.length} role(s) that hold nothing on the imported objects and are members of no role that does: ${unrelated.join(", ")}`);
  }

  // What one grantee (a role, or PUBLIC) holds that the language can say, as grant lines; a warning for the rest.
  // A partition has its table's columns, and is append-only with it.
  const tableOfPartition = new Map([...partitionsOf].flatMap(([table, names]) => names.map((n) => [key(splitCompositeKey(table)[0]!, n), splitCompositeKey(table)[1]!] as const)));
  const tableOf = (schema: string, name: string) => tableOfPartition.get(key(schema, name)) ?? name;
  const columnOrder = (g: { schema: string; object: string }) => objects.find((o) => o.schema === g.schema && o.name === tableOf(g.schema, g.object))?.columns ?? [];
  const onTheDatabase = live.database?.privileges.filter((f) => f.grantee !== live.database!.owner) ?? [];
  const heldBy = (grantee: string, who: string) => {
    const grants = new Map<string, { schema: string; object: string; verb: string; columns: string[] | null; grantOption?: true }>();
    for (const p of privileges.filter((p) => p.grantee === grantee)) {
      // A partition declared with its table holds what lines naming it grant, as any table.
      if (!languageVerbs.has(p.verb) || !appliesTo(p.verb as Verb, p.kind)) {
        warn(`${who} holds ${p.verb.toUpperCase()} on ${p.kind} ${p.schema}.${p.name}, which the language cannot grant; plan will revoke it`);
        continue;
      }
      if (appendOnlyTables.has(key(p.schema, tableOf(p.schema, p.name))) && appendOnlyForbidden.has(p.verb as Verb)) {
        warn(`${who} holds ${p.verb.toUpperCase()} on ${p.schema}.${p.name}, which is append-only; plan will revoke it`);
        continue;
      }
      // A grant option is declared on the whole object (`with grant option`); on a column, the language cannot say it.
      if (p.grantable && p.column !== null) warn(`${who} holds ${p.verb.toUpperCase()} (${p.column}) on ${p.schema}.${p.name} WITH GRANT OPTION, which the language declares on whole objects only; plan will revoke the grant option`);
      const k = compositeKey(p.schema, p.name, p.verb);
      const entry = grants.get(k) ?? { schema: p.schema, object: p.name, verb: p.verb, columns: [] };
      if (p.column === null) entry.columns = null;
      else if (entry.columns !== null) entry.columns.push(p.column);
      if (p.grantable && p.column === null) entry.grantOption = true;
      grants.set(k, entry);
    }
    // USAGE is written where no grant line implies it; CREATE always. A grant option is never declared.
    const schemaGrants: ImportedSchemaGrant[] = [];
    const grantedIn = new Set([...grants.values()].map((g) => g.schema));
    // EXECUTE on functions and procedures, which implies USAGE on their schemas as any grant does.
    const routineGrants: (RoutineName & { grantOption?: true })[] = [];
    for (const f of routinePrivileges.filter((f) => f.grantee === grantee)) {
      const routine = formatRoutine(f.routine);
      const byOwner = f.grantor === f.routine.owner || f.grantor === "";
      // A grant from a role that holds the owner's grant option is written as that role's `with grant option`, and kept.
      const fromDelegate = routinePrivileges.some((d) => d.grantee === f.grantor && d.grantable && (d.grantor === d.routine.owner || d.grantor === "") && routineKey(d.routine) === routineKey(f.routine));
      if (!byOwner && !fromDelegate) warn(`${who} holds EXECUTE on ${routine} granted by ${f.grantor}, not by its owner; plan will revoke it as ${f.grantor} and grant it again as the owner`);
      const at = routineGrants.findIndex((r) => routineKey(r) === routineKey(f.routine));
      // The owner's grant option is written (`with grant option`); one from another grantor goes with its grant.
      const grantOption = f.grantable && byOwner ? { grantOption: true as const } : {};
      if (at < 0) routineGrants.push({ schema: f.routine.schema, name: f.routine.name, args: f.routine.args, ...grantOption });
      else if (grantOption.grantOption) routineGrants[at] = { ...routineGrants[at]!, ...grantOption };
      if (grantee !== PUBLIC) grantedIn.add(f.routine.schema); // PUBLIC's EXECUTE implies no USAGE (effective.ts)
    }
    const typeGrants: { schema: string; name: string; grantOption?: true }[] = [];
    for (const f of typePrivileges.filter((f) => f.grantee === grantee)) {
      const type = `${f.type.kind} ${f.type.schema}.${f.type.name}`;
      const byOwner = f.grantor === f.type.owner || f.grantor === "";
      const fromDelegate = typePrivileges.some((d) => d.grantee === f.grantor && d.grantable && (d.grantor === d.type.owner || d.grantor === "") && d.type.schema === f.type.schema && d.type.name === f.type.name);
      if (!byOwner && !fromDelegate) warn(`${who} holds USAGE on ${type} granted by ${f.grantor}, not by its owner; plan will revoke it as ${f.grantor} and grant it again as the owner`);
      const at = typeGrants.findIndex((t) => t.schema === f.type.schema && t.name === f.type.name);
      const grantOption = f.grantable && byOwner ? { grantOption: true as const } : {};
      if (at < 0) typeGrants.push({ schema: f.type.schema, name: f.type.name, ...grantOption });
      else if (grantOption.grantOption) typeGrants[at] = { ...typeGrants[at]!, ...grantOption };
      if (grantee !== PUBLIC) grantedIn.add(f.type.schema); // PUBLIC's USAGE on types, like its EXECUTE, implies none on the schema
    }
    for (const schema of schemas) {
      const held = schemaPrivileges.filter((s) => s.grantee === grantee && s.schema === schema);
      const withOption = schemaVerbOrder.filter((verb) => held.some((s) => s.privilege === verb && s.grantable));
      // USAGE that the grants in the schema imply is not written, unless it comes with the grant option.
      const verbs = schemaVerbOrder.filter((verb) => held.some((s) => s.privilege === verb) && (verb === "create" || !grantedIn.has(schema) || withOption.includes(verb)));
      if (verbs.length > 0) schemaGrants.push({ schema, verbs, ...(withOption.length > 0 ? { grantOption: withOption } : {}) });
    }
    const onDatabase = databaseVerbOrder.filter((verb) => onTheDatabase.some((f) => f.grantee === grantee && f.privilege === verb));
    const onDatabaseWithOption = databaseVerbOrder.filter((verb) => onTheDatabase.some((f) => f.grantee === grantee && f.privilege === verb && f.grantable));
    for (const schema of grantedIn) {
      // USAGE that comes only through PUBLIC or a parent does not count: rolec gives each role its own with its grants.
      const usage = schemaPrivileges.some((s) => s.schema === schema && s.privilege === "usage" && s.grantee === grantee);
      if (!usage) warn(`${who} is granted objects in schema ${schema} without USAGE on it; rolec grants USAGE with them, so plan will add it`);
    }
    // Default privileges, one line per creator, place and kind of object.
    const defaults = new Map<string, { creator: string; schema: string | null; objects: DefaultObjects; verbs: DefaultVerb[]; grantOption: DefaultVerb[] }>();
    for (const d of defaultPrivileges.filter((d) => d.grantee === grantee)) {
      const objects = d.objects as DefaultObjects;
      const verb = d.privilege.toLowerCase() as DefaultVerb;
      const place = `on future ${objects} ${d.owner} creates${d.schema === null ? "" : ` in schema ${d.schema}`}`;
      if (!defaultVerbsByObjects[objects].includes(verb)) {
        warn(`${who} holds default ${d.privilege} ${place}, which the language cannot grant; plan will revoke it`);
        continue;
      }
      const k = compositeKey(d.owner, d.schema ?? "", objects);
      const entry = defaults.get(k) ?? { creator: d.owner, schema: d.schema, objects, verbs: [], grantOption: [] };
      if (!entry.verbs.includes(verb)) entry.verbs.push(verb);
      if (d.grantable && !entry.grantOption.includes(verb)) entry.grantOption.push(verb);
      defaults.set(k, entry);
    }
    const defaultGrants: ImportedDefaultGrant[] = [...defaults.values()]
      .map(({ grantOption, ...d }) => ({
        ...d,
        verbs: defaultVerbsByObjects[d.objects].filter((v) => d.verbs.includes(v)),
        ...(grantOption.length > 0 ? { grantOption: defaultVerbsByObjects[d.objects].filter((v) => grantOption.includes(v)) } : {}),
      }))
      .sort((a, b) => compareText(a.creator, b.creator) || compareText(a.schema ?? "", b.schema ?? "") || Number(a.schema !== null) - Number(b.schema !== null) || defaultObjectsOrder.indexOf(a.objects) - defaultObjectsOrder.indexOf(b.objects));
    return {
      ...(defaultGrants.length > 0 ? { defaultGrants } : {}),
      grants: [...grants.values()].map((g) => ({ ...g, columns: g.columns === null ? null : columnOrder(g).filter((c) => g.columns!.includes(c)) })),
      ...(routineGrants.length > 0 ? { routineGrants: routineGrants.sort(compareRoutines) } : {}),
      ...(typeGrants.length > 0 ? { typeGrants: typeGrants.sort(compareObjects) } : {}),
      schemaGrants,
      databaseGrants: onDatabase,
      databaseGrantOptions: onDatabaseWithOption,
    };
  };

  const roles: ImportedRole[] = [...included].sort(compareText).map((name) => {
    const r = roleState.get(name)!;
    // A moment the language cannot write (-infinity, a year past 9999) is left unsaid, and so alone.
    const sayableEnd = r.validUntil !== undefined && r.validUntil !== validUntilForever && parseValidUntil(r.validUntil) === r.validUntil;
    if (r.validUntil !== undefined && r.validUntil !== validUntilForever && !sayableEnd) warn(`role ${name} is VALID UNTIL ${r.validUntil}, which the language cannot say; plan will leave it as it is`);
    if (r.comment !== null && r.comment.includes("\r")) {
      warn(`role ${name}'s comment holds carriage returns, which a /// line cannot; it is written with line breaks instead, so plan will change it`);
    }
    const memberOf: string[] = [];
    const adminOf: string[] = [];
    for (const m of live.state.memberships.filter((m) => m.child === name)) {
      if (external.has(m.parent)) continue; // left alone, ADMIN OPTION included
      if (included.has(m.parent) || (predefinedRoles.get(m.parent)?.use ?? "refuse") !== "refuse") {
        if (!memberOf.includes(m.parent)) memberOf.push(m.parent);
      } else warn(`role ${name} is a member of ${m.parent}, which is not imported; plan will revoke that membership`);
      // The language gives an admin option on a declared role only (RC0207).
      if (m.admin && included.has(m.parent)) {
        if (!adminOf.includes(m.parent)) adminOf.push(m.parent);
      } else if (m.admin && memberOf.includes(m.parent)) warn(`role ${name} holds ADMIN OPTION on ${m.parent}, which the language does not give on a predefined role; plan will revoke it`);
    }
    const { grants, routineGrants, typeGrants, schemaGrants, databaseGrants: onDatabase, databaseGrantOptions, defaultGrants } = heldBy(name, `role ${name}`);
    return {
      name,
      external: false,
      login: r.login,
      connectionLimit: r.connectionLimit,
      attributes: roleAttributeOrder.filter((a) => (a === "noinherit" ? !r.inherit : r.powers.includes(a))),
      // A role whose password never stops being accepted says nothing: plan then leaves VALID UNTIL alone.
      ...(sayableEnd ? { validUntil: r.validUntil } : {}),
      settings: r.settings,
      ...(r.databaseSettings && r.databaseSettings.length > 0 ? { databaseSettings: r.databaseSettings } : {}),
      comment: r.comment,
      memberOf: memberOf.sort(compareText),
      ...(adminOf.length > 0 ? { adminOf: adminOf.sort(compareText) } : {}),
      grants,
      ...(routineGrants ? { routineGrants } : {}),
      ...(typeGrants ? { typeGrants } : {}),
      ...(schemaGrants.length > 0 ? { schemaGrants } : {}),
      ...(onDatabase.length > 0 ? { databaseGrants: onDatabase } : {}),
      ...(databaseGrantOptions.length > 0 ? { databaseGrantOptions } : {}),
      ...(defaultGrants ? { defaultGrants } : {}),
    };
  });
  // PUBLIC gets a `public` block only where it holds what plan would otherwise take away: a grant
  // on an imported object, or CREATE on an imported schema. The block then says all it holds on
  // the schemas, and on the database where the roles' lines make the database managed.
  const publicHeld = heldBy(PUBLIC, "PUBLIC");
  const writesPublic = (publicHeld.defaultGrants ?? []).length > 0 || publicHeld.grants.length > 0 || (publicHeld.routineGrants ?? []).length > 0 || (publicHeld.typeGrants ?? []).length > 0 || publicHeld.schemaGrants.some((s) => s.verbs.includes("create"));
  const databaseManaged = roles.some((r) => (r.databaseGrants ?? []).length > 0);
  const publicBlock = writesPublic ? { ...(publicHeld.defaultGrants ? { defaultGrants: publicHeld.defaultGrants } : {}), grants: publicHeld.grants, ...(publicHeld.routineGrants ? { routineGrants: publicHeld.routineGrants } : {}), ...(publicHeld.typeGrants ? { typeGrants: publicHeld.typeGrants } : {}), schemaGrants: publicHeld.schemaGrants, databaseGrants: databaseManaged ? publicHeld.databaseGrants : [] } : undefined;
  const externalRoles: ImportedRole[] = [...external].sort(compareText).map((name) => {
    const defaultGrants = heldBy(name, `role ${name}`).defaultGrants;
    return { name, external: true, login: false, connectionLimit: -1, comment: null, memberOf: [], grants: [], ...(defaultGrants ? { defaultGrants } : {}) };
  });
  // A schema with nothing in it is nothing to declare, unless a role is granted something on it.
  const schemasGranted = new Set([...roles, ...(publicBlock ? [publicBlock] : [])].flatMap((r) => (r.schemaGrants ?? []).map((s) => s.schema)));
  return {
    program: { schemas: importedSchemas.filter((s) => s.objects.length > 0 || (s.routines ?? []).length > 0 || (s.types ?? []).length > 0 || schemasGranted.has(s.name)), roles: [...roles, ...externalRoles], ...(publicBlock ? { public: publicBlock } : {}) },
    live,
    warnings,
  };
}
