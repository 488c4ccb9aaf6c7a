import { createHash } from "node:crypto";
import { InputError } from "../diagnostics/input-error.js";
import type { RelationInfo, RoutineInfo } from "../engine/index.js";

/** The allow-list format this library reads; it refuses any other (a reader must not guess at a format it does not know). */
export const readableFormatVersion = 10;

/** A privilege on an object: on every column (`"*"`) or on these; and the roles it comes through. */
export interface GrantedPrivilege {
  readonly columns: "*" | ReadonlySet<string>;
  readonly via: readonly string[];
}

/** A relation the allow-list declares: what the statement analysis resolves names to. */
export type DeclaredRelation = RelationInfo;

export interface RoleAccess {
  readonly name: string;
  /** `schema\u0000object` → verb → what is granted. */
  readonly privileges: ReadonlyMap<string, ReadonlyMap<string, GrantedPrivilege>>;
  /** The routines it may call (EXECUTE), by routineKeyOf. */
  readonly executable: ReadonlySet<string>;
}

/** An allow-list read and checked: its declared relations, each role's effective privileges, the append-only tables. */
export interface Allowlist {
  /** SHA-256 of the file's bytes: what an audit entry names the rules by. */
  readonly sha256: string;
  readonly relations: ReadonlyMap<string, ReadonlyMap<string, DeclaredRelation>>;
  /** Every declared function and procedure, by schema. */
  readonly routines: ReadonlyMap<string, readonly RoutineInfo[]>;
  readonly roles: ReadonlyMap<string, RoleAccess>;
  readonly appendOnly: ReadonlySet<string>;
}

/** The key of an object in a schema; NUL is in no PostgreSQL name. */
export function objectKeyOf(schema: string, object: string): string {
  return `${schema}\u0000${object}`;
}

/** The key of a routine by its identity. */
export function routineKeyOf(routine: Pick<RoutineInfo, "schema" | "name" | "args">): string {
  return JSON.stringify([routine.schema, routine.name, routine.args]);
}

/**
 * Reads allowlist.json (as `rolec compile` writes it). Everything the decisions rest on is
 * checked for shape, so a damaged or hand-edited file is refused with the place that is wrong
 * rather than read as something it does not say.
 */
export function readAllowlist(text: string | Buffer): Allowlist {
  const sha256 = createHash("sha256").update(text).digest("hex");
  let document: unknown;
  try {
    document = JSON.parse(text.toString());
  } catch (error) {
    throw new InputError(`the allow-list is not JSON: ${(error as Error).message}`);
  }
  const root = record(document, "the allow-list");
  if (root.format !== "rolec-allowlist") throw new InputError(`the file is not a rolec allow-list (its "format" is ${JSON.stringify(root.format)})`);
  if (root.formatVersion !== readableFormatVersion) {
    throw new InputError(`the allow-list is format version ${JSON.stringify(root.formatVersion)}; this rolec reads version ${readableFormatVersion}: compile it again with this version`);
  }
  if (root.default !== "deny") throw new InputError(`the allow-list's "default" must be "deny"`);
  return { sha256, relations: relationsOf(root.objects), routines: routinesOf(root.routines), roles: rolesOf(root.roles), appendOnly: appendOnlyOf(root.appendOnly) };
}

function relationsOf(value: unknown): Map<string, Map<string, DeclaredRelation>> {
  const relations = new Map<string, Map<string, DeclaredRelation>>();
  for (const [schema, objects] of Object.entries(record(value, "objects"))) {
    const inSchema = new Map<string, DeclaredRelation>();
    for (const [object, entry] of Object.entries(record(objects, `objects.${schema}`))) {
      const where = `objects.${schema}.${object}`;
      const fields = record(entry, where);
      const kind = fields.kind;
      if (kind !== "table" && kind !== "view" && kind !== "sequence") throw new InputError(`${where}.kind must be table, view or sequence`);
      inSchema.set(object, { schema, object, kind, columns: names(fields.columns, `${where}.columns`) });
    }
    relations.set(schema, inSchema);
  }
  return relations;
}

function rolesOf(value: unknown): Map<string, RoleAccess> {
  const roles = new Map<string, RoleAccess>();
  for (const [name, entry] of Object.entries(record(value, "roles"))) {
    const where = `roles.${name}`;
    const privileges = new Map<string, Map<string, GrantedPrivilege>>();
    for (const [schema, objects] of Object.entries(record(record(entry, where).grants, `${where}.grants`))) {
      for (const [object, grant] of Object.entries(record(objects, `${where}.grants.${schema}`))) {
        const at = `${where}.grants.${schema}.${object}`;
        const verbs = new Map<string, GrantedPrivilege>();
        for (const [verb, privilege] of Object.entries(record(record(grant, at).privileges, `${at}.privileges`))) {
          const fields = record(privilege, `${at}.privileges.${verb}`);
          const columns = fields.columns === "*" ? "*" : new Set(names(fields.columns, `${at}.privileges.${verb}.columns`));
          verbs.set(verb, { columns, via: names(fields.via, `${at}.privileges.${verb}.via`) });
        }
        privileges.set(objectKeyOf(schema, object), verbs);
      }
    }
    const executable = new Set<string>();
    const routines = record(entry, where).routines;
    if (routines !== undefined) {
      if (!Array.isArray(routines)) throw new InputError(`${where}.routines must be a list`);
      routines.forEach((r, i) => executable.add(routineKeyOf(routineOf(r, `${where}.routines[${i}]`))));
    }
    roles.set(name, { name, privileges, executable });
  }
  return roles;
}

function routinesOf(value: unknown): Map<string, RoutineInfo[]> {
  if (!Array.isArray(value)) throw new InputError(`the allow-list's "routines" must be a list`);
  const bySchema = new Map<string, RoutineInfo[]>();
  value.forEach((entry, i) => {
    const routine = routineOf(entry, `routines[${i}]`);
    const list = bySchema.get(routine.schema);
    if (list) list.push(routine);
    else bySchema.set(routine.schema, [routine]);
  });
  return bySchema;
}

/** A routine's identity as the allow-list writes it: its argument types become `schema.name` (`[]` for an array). */
function routineOf(value: unknown, where: string): RoutineInfo {
  const fields = record(value, where);
  const { schema, name, kind } = fields;
  if (typeof schema !== "string" || typeof name !== "string") throw new InputError(`${where} must name a schema and a routine`);
  if (kind !== "function" && kind !== "procedure") throw new InputError(`${where}.kind must be function or procedure`);
  if (!Array.isArray(fields.args)) throw new InputError(`${where}.args must be a list`);
  const args = fields.args.map((arg, i) => {
    const t = record(arg, `${where}.args[${i}]`);
    if (typeof t.schema !== "string" || typeof t.name !== "string" || typeof t.array !== "boolean") throw new InputError(`${where}.args[${i}] must give a schema, a name and array`);
    return JSON.stringify([t.schema, t.name, t.array]);
  });
  return { schema, name, kind, args };
}

function appendOnlyOf(value: unknown): Set<string> {
  if (!Array.isArray(value)) throw new InputError(`the allow-list's "appendOnly" must be a list`);
  return new Set(
    value.map((entry, i) => {
      const fields = record(entry, `appendOnly[${i}]`);
      if (typeof fields.schema !== "string" || typeof fields.object !== "string") throw new InputError(`appendOnly[${i}] must name a schema and an object`);
      return objectKeyOf(fields.schema, fields.object);
    }),
  );
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InputError(`${where} must be a JSON object`);
  return value as Record<string, unknown>;
}

function names(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw new InputError(`${where} must be a list of names`);
  return value as string[];
}
