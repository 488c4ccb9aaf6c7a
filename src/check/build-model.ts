import { createHash } from "node:crypto";
import type { SourceFile } from "../source/source.js";
import { compareObjects, compareText, grantableRelations, objectKey, type DbObject, type Grant, type Model, type ObjectName, type DatabaseGrant, type ServerGrant, type PublicGrants, type Routine, type RoutineGrant, type DbType, type TypeGrant, type RoutineName, compareRoutines, routineKey, type Role, type SchemaGrant, type SourceDigest, PUBLIC, type DefaultGrant } from "../model/ir.js";
import { compareDefaultVerbs, databaseVerbOrder, defaultObjectsOrder, schemaVerbOrder, serverVerbOrder, verbOrder } from "../model/verbs.js";
import type { Span } from "../source/source.js";
import { sha256 } from "../model/digest.js";
import { compositeKey } from "../model/composite-key.js";
import type { Catalog } from "./declare-objects.js";
import type { DeclaredRole } from "./declare-roles.js";
import type { GrantAtom } from "./resolve-grants.js";
import type { RoutineGrantAtom } from "./resolve-routine-grants.js";
import type { TypeGrantAtom } from "./resolve-type-grants.js";
import type { SchemaGrantAtom } from "./resolve-schema-grants.js";
import type { DatabaseGrantAtom } from "./resolve-database-grants.js";
import type { ServerGrantAtom } from "./resolve-server-grants.js";
import type { DefaultGrantAtom } from "./resolve-default-grants.js";
import type { LoadedSnapshot } from "../model/snapshot.js";
import { predefinedRoles } from "../model/predefined-roles.js";

/** Turns what the checker resolved into the database-neutral model, sorted throughout. */
export function buildModel(
  catalog: Catalog,
  roles: Map<string, DeclaredRole>,
  parents: Map<string, string[]>,
  atoms: readonly GrantAtom[],
  routineAtoms: readonly RoutineGrantAtom[],
  typeAtoms: readonly TypeGrantAtom[],
  schemaAtoms: readonly SchemaGrantAtom[],
  databaseAtoms: readonly DatabaseGrantAtom[],
  serverAtoms: readonly ServerGrantAtom[],
  defaultAtoms: readonly DefaultGrantAtom[],
  sources: readonly SourceFile[],
  snapshot?: LoadedSnapshot,
  /** PUBLIC's object grants, when there is a `public` block; its schema and database atoms are among the others, with role PUBLIC. */
  publicAtoms?: readonly GrantAtom[],
): Model {
  const objects: DbObject[] = [...catalog.values()]
    .flatMap((s) => [...s.objects.values()])
    .map((o) => ({ schema: o.schema, name: o.name, kind: o.kind, appendOnly: o.appendOnly, sensitive: o.sensitive, sensitiveColumns: o.sensitiveColumns, columns: o.columns, partitions: o.partitions, doc: o.doc, span: o.span }))
    .sort(compareObjects);
  const routines: Routine[] = [...catalog.values()]
    .flatMap((s) => [...s.routines.values()].flat())
    .map((r) => ({ schema: r.schema, name: r.name, args: r.args, kind: r.kind, doc: r.doc, span: r.span }))
    .sort(compareRoutines);
  const types: DbType[] = [...catalog.values()]
    .flatMap((s) => [...s.types.values()])
    .map((t) => ({ schema: t.schema, name: t.name, kind: t.kind, doc: t.doc, span: t.span }))
    .sort(compareObjects);

  const modelRoles: Role[] = [...roles.entries()]
    .map(([name, r]) => ({
      name,
      external: r.external,
      login: r.login,
      connectionLimit: r.connectionLimit,
      host: r.host,
      ...(r.account && r.login ? { account: r.account } : {}),
      attributes: r.attributes,
      ...(r.validUntil !== undefined ? { validUntil: r.validUntil } : {}),
      settings: r.settings,
      databaseSettings: r.databaseSettings,
      doc: r.block.doc,
      memberOf: parents.get(name) ?? [],
      ...adminOf(r, parents.get(name) ?? []),
      span: r.block.name.span,
    }))
    .sort((a, b) => compareText(a.name, b.name));

  const grants = mergeGrants(atoms, modelRoles, grantableRelations(objects));
  const routineGrants = mergeRoutineGrants(routineAtoms.filter((a) => a.role !== PUBLIC));
  const typeGrants = mergeTypeGrants(typeAtoms.filter((a) => a.role !== PUBLIC));
  const schemaGrants = mergeSchemaGrants(schemaAtoms.filter((a) => a.role !== PUBLIC));
  const databaseGrants = mergeDatabaseGrants(databaseAtoms.filter((a) => a.role !== PUBLIC));
  // PUBLIC takes no server privilege (the checker reports such a line).
  const serverGrants = mergeServerGrants(serverAtoms.filter((a) => a.role !== PUBLIC));
  const defaultGrants = mergeDefaultGrants(defaultAtoms);
  const publicGrants: PublicGrants | undefined = publicAtoms && {
    grants: mergeGrants(publicAtoms, [{ name: PUBLIC }], grantableRelations(objects)),
    routineGrants: mergeRoutineGrants(routineAtoms.filter((a) => a.role === PUBLIC)),
    typeGrants: mergeTypeGrants(typeAtoms.filter((a) => a.role === PUBLIC)),
    schemaGrants: mergeSchemaGrants(schemaAtoms.filter((a) => a.role === PUBLIC)),
    databaseGrants: mergeDatabaseGrants(databaseAtoms.filter((a) => a.role === PUBLIC)),
  };

  const digests: SourceDigest[] = [...sources]
    .sort((a, b) => compareText(a.path, b.path))
    .map((s) => ({ path: s.path, sha256: sha256(s.text) }));
  const whole = createHash("sha256");
  for (const s of [...sources].sort((a, b) => compareText(a.path, b.path))) {
    const bytes = Buffer.from(s.text, "utf8");
    whole.update(`${s.path}\u0000${bytes.length}\u0000`);
    whole.update(bytes);
  }
  // The snapshot is a source too: what it says changes the artifacts. Without one, nothing changes.
  if (snapshot) whole.update(`snapshot\u0000${snapshot.path}\u0000${snapshot.sha256}`);
  return {
    objects,
    routines,
    types,
    roles: modelRoles,
    grants,
    routineGrants,
    typeGrants,
    schemaGrants,
    databaseGrants,
    serverGrants,
    defaultGrants,
    ...(publicGrants ? { public: publicGrants } : {}),
    sources: digests,
    ...(snapshot ? { snapshot: { path: snapshot.path, sha256: snapshot.sha256 } } : {}),
    sourcesSha256: whole.digest("hex"),
  };
}

/**
 * One grant per role × object × verb, merging the atoms that ask for it (their columns and the
 * lines they come from), sorted by role, object and verb. Programs of thousands of tables have
 * hundreds of thousands of atoms, so each is keyed by a number whose order is that sort order:
 * the rank of its role, object and verb.
 */
function mergeGrants(atoms: readonly GrantAtom[], roles: readonly Pick<Role, "name">[], objects: readonly DbObject[]): Grant[] {
  const roleRank = new Map(roles.map((r, i) => [r.name, i]));
  const objectRank = new Map(objects.map((o, i) => [objectKey(o), i]));
  // Grants share their object's name rather than each holding a copy.
  const names: ObjectName[] = objects.map((o) => ({ schema: o.schema, name: o.name }));
  const merged = new Map<number, { role: string; object: number; verb: GrantAtom["verb"]; all: boolean; grantable: boolean; columns: Set<string> | undefined; sources: Span[] }>();
  for (const atom of atoms) {
    const object = objectRank.get(objectKey(atom.object))!;
    const key = (roleRank.get(atom.role)! * objects.length + object) * verbOrder.length + verbOrder.indexOf(atom.verb);
    let entry = merged.get(key);
    if (!entry) merged.set(key, (entry = { role: atom.role, object, verb: atom.verb, all: false, grantable: false, columns: undefined, sources: [] }));
    if (atom.grantOption) entry.grantable = true;
    if (atom.columns === undefined) entry.all = true;
    else {
      entry.columns ??= new Set();
      for (const c of atom.columns) entry.columns.add(c);
    }
    if (!entry.sources.includes(atom.statement.span)) entry.sources.push(atom.statement.span);
  }
  return [...merged.keys()]
    .sort((a, b) => a - b)
    .map((key) => {
      const e = merged.get(key)!;
      const columns = objects[e.object]!.columns;
      return {
        role: e.role,
        object: names[e.object]!,
        verb: e.verb,
        // Copies, not the lists that were grown: those keep spare room, and there is one per grant.
        columns: e.all ? ("all" as const) : columns.filter((c) => e.columns!.has(c)).slice(),
        ...(e.grantable ? { grantable: true as const } : {}),
        sources: e.sources.length === 1 ? [e.sources[0]!] : e.sources.sort((a, b) => compareText(a.file, b.file) || a.startOffset - b.startOffset).slice(),
      };
    });
}

/** One routine grant per role × routine, with every line that asks for it, sorted by role and routine. */
function mergeRoutineGrants(atoms: readonly RoutineGrantAtom[]): RoutineGrant[] {
  const merged = new Map<string, { role: string; routine: RoutineName; grantable: boolean; sources: Span[] }>();
  for (const atom of atoms) {
    const key = compositeKey(atom.role, routineKey(atom.routine));
    let entry = merged.get(key);
    if (!entry) merged.set(key, (entry = { role: atom.role, routine: { schema: atom.routine.schema, name: atom.routine.name, args: atom.routine.args }, grantable: false, sources: [] }));
    if (atom.statement.grantOption) entry.grantable = true;
    if (!entry.sources.includes(atom.statement.span)) entry.sources.push(atom.statement.span);
  }
  return [...merged.values()]
    .sort((a, b) => compareText(a.role, b.role) || compareRoutines(a.routine, b.routine))
    .map(({ grantable, ...e }) => ({ ...e, ...(grantable ? { grantable: true as const } : {}), sources: e.sources.sort((a, b) => compareText(a.file, b.file) || a.startOffset - b.startOffset) }));
}

/** One type grant per role × type, with every line that asks for it, sorted by role and type. */
function mergeTypeGrants(atoms: readonly TypeGrantAtom[]): TypeGrant[] {
  const merged = new Map<string, { role: string; type: ObjectName; grantable: boolean; sources: Span[] }>();
  for (const atom of atoms) {
    const key = compositeKey(atom.role, objectKey(atom.type));
    let entry = merged.get(key);
    if (!entry) merged.set(key, (entry = { role: atom.role, type: { schema: atom.type.schema, name: atom.type.name }, grantable: false, sources: [] }));
    if (atom.statement.grantOption) entry.grantable = true;
    if (!entry.sources.includes(atom.statement.span)) entry.sources.push(atom.statement.span);
  }
  return [...merged.values()]
    .sort((a, b) => compareText(a.role, b.role) || compareObjects(a.type, b.type))
    .map(({ grantable, ...e }) => ({ ...e, ...(grantable ? { grantable: true as const } : {}), sources: e.sources.sort((a, b) => compareText(a.file, b.file) || a.startOffset - b.startOffset) }));
}

/** One schema grant per role × schema × verb, with every line that asks for it, sorted. */
function mergeSchemaGrants(atoms: readonly SchemaGrantAtom[]): SchemaGrant[] {
  const merged = new Map<string, { role: string; schema: string; verb: SchemaGrant["verb"]; grantable: boolean; sources: Span[] }>();
  for (const atom of atoms) {
    const key = compositeKey(atom.role, atom.schema, atom.verb);
    let entry = merged.get(key);
    if (!entry) merged.set(key, (entry = { role: atom.role, schema: atom.schema, verb: atom.verb, grantable: false, sources: [] }));
    if (atom.statement.grantOption) entry.grantable = true;
    if (!entry.sources.includes(atom.statement.span)) entry.sources.push(atom.statement.span);
  }
  return [...merged.values()]
    .sort((a, b) => compareText(a.role, b.role) || compareText(a.schema, b.schema) || schemaVerbOrder.indexOf(a.verb) - schemaVerbOrder.indexOf(b.verb))
    .map(({ grantable, ...e }) => ({ ...e, ...(grantable ? { grantable: true as const } : {}), sources: e.sources.sort((a, b) => compareText(a.file, b.file) || a.startOffset - b.startOffset) }));
}

/** One default privilege per creator × schema × kind × grantee × verb, with every line that asks for it, sorted. */
function mergeDefaultGrants(atoms: readonly DefaultGrantAtom[]): DefaultGrant[] {
  const merged = new Map<string, { role: string; creator: string; schema: string | null; objects: DefaultGrant["objects"]; verb: DefaultGrant["verb"]; grantable: boolean; sources: Span[] }>();
  for (const atom of atoms) {
    const key = compositeKey(atom.creator, atom.schema ?? "", atom.objects, atom.role, atom.verb);
    let entry = merged.get(key);
    if (!entry) merged.set(key, (entry = { role: atom.role, creator: atom.creator, schema: atom.schema, objects: atom.objects, verb: atom.verb, grantable: false, sources: [] }));
    if (atom.statement.grantOption) entry.grantable = true;
    if (!entry.sources.includes(atom.statement.span)) entry.sources.push(atom.statement.span);
  }
  return [...merged.values()]
    .sort(compareDefaultGrants)
    .map(({ grantable, ...e }) => ({ ...e, ...(grantable ? { grantable: true as const } : {}), sources: e.sources.sort((a, b) => compareText(a.file, b.file) || a.startOffset - b.startOffset) }));
}

/** Creator, schema (every schema first), kind of object, grantee, verb. */
function compareDefaultGrants(a: Omit<DefaultGrant, "sources" | "grantable">, b: Omit<DefaultGrant, "sources" | "grantable">): number {
  return (
    compareText(a.creator, b.creator) ||
    (a.schema === b.schema ? 0 : a.schema === null ? -1 : b.schema === null ? 1 : compareText(a.schema, b.schema)) ||
    defaultObjectsOrder.indexOf(a.objects) - defaultObjectsOrder.indexOf(b.objects) ||
    compareText(a.role, b.role) ||
    compareDefaultVerbs(a.objects, a.verb, b.verb)
  );
}

/** One database grant per role × verb, with every line that asks for it, sorted. */
function mergeDatabaseGrants(atoms: readonly DatabaseGrantAtom[]): DatabaseGrant[] {
  const withOption = new Set(atoms.filter((a) => a.statement.grantOption).map((a) => compositeKey(a.role, a.verb)));
  return mergeVerbGrants(atoms, databaseVerbOrder).map((g) => (withOption.has(compositeKey(g.role, g.verb)) ? { ...g, grantable: true as const } : g));
}

/** One server grant per role × verb, with every line that asks for it, sorted. */
function mergeServerGrants(atoms: readonly ServerGrantAtom[]): ServerGrant[] {
  return mergeVerbGrants(atoms, serverVerbOrder);
}

/** Grants on one thing (the database, the server): one per role × verb, its lines in source order, sorted by role and the verbs' order. */
function mergeVerbGrants<V extends string>(atoms: readonly { role: string; verb: V; statement: { span: Span } }[], order: readonly V[]): { role: string; verb: V; sources: Span[] }[] {
  const merged = new Map<string, { role: string; verb: V; sources: Span[] }>();
  for (const atom of atoms) {
    const key = compositeKey(atom.role, atom.verb);
    let entry = merged.get(key);
    if (!entry) merged.set(key, (entry = { role: atom.role, verb: atom.verb, sources: [] }));
    if (!entry.sources.includes(atom.statement.span)) entry.sources.push(atom.statement.span);
  }
  return [...merged.values()]
    .sort((a, b) => compareText(a.role, b.role) || order.indexOf(a.verb) - order.indexOf(b.verb))
    .map((e) => ({ ...e, sources: e.sources.sort((a, b) => compareText(a.file, b.file) || a.startOffset - b.startOffset) }));
}

/** The parents a role's `with admin option` lines name that it is a member of, but predefined roles (refused: RC0207). */
function adminOf(role: DeclaredRole, memberOf: readonly string[]): { adminOf?: string[] } {
  const named = role.block.items.flatMap((item) => (item.kind === "Membership" && item.admin ? item.parents.map((p) => p.value) : []));
  const admin = [...new Set(named)].filter((p) => memberOf.includes(p) && !predefinedRoles.has(p)).sort(compareText);
  return admin.length > 0 ? { adminOf: admin } : {};
}
