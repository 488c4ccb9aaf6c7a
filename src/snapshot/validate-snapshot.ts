import { InputError } from "../diagnostics/input-error.js";
import { snapshotFormat, snapshotKinds, snapshotVersion, type QualifiedName, type Snapshot, type SnapshotObject, type SnapshotRoutine, type SnapshotSchema } from "../model/snapshot.js";
import { argTypeKey } from "../model/argument-types.js";
import { formatRoutine } from "../model/ir.js";

/**
 * Reads a snapshot file's text, checking every part of it. Anything wrong is an InputError naming
 * the file and the place as a JSON pointer (RFC 6901), e.g. `db.json: /schemas/0/objects/2/kind: ...`.
 */
export function parseSnapshot(text: string, shownPath: string): Snapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${shownPath} is not valid JSON: ${(error as Error).message}`);
  }
  return new SnapshotValidator(shownPath).snapshot(value);
}

type Json = Record<string, unknown>;

class SnapshotValidator {
  constructor(private readonly file: string) {}

  private fail(pointer: string, message: string): never {
    throw new InputError(`${this.file}: ${pointer === "" ? "the document" : pointer}: ${message}`);
  }

  private object(value: unknown, pointer: string, required: readonly string[], optional: readonly string[] = []): Json {
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail(pointer, `expected an object, found ${describe(value)}`);
    const record = value as Json;
    for (const key of required) if (!(key in record)) this.fail(pointer, `the member "${key}" is missing`);
    for (const key of Object.keys(record)) {
      if (!required.includes(key) && !optional.includes(key)) this.fail(`${pointer}/${escapePointer(key)}`, `unknown member; expected ${[...required, ...optional].map((k) => `"${k}"`).join(", ")}`);
    }
    return record;
  }

  private array(value: unknown, pointer: string): unknown[] {
    if (!Array.isArray(value)) this.fail(pointer, `expected an array, found ${describe(value)}`);
    return value;
  }

  private string(value: unknown, pointer: string): string {
    if (typeof value !== "string") this.fail(pointer, `expected a string, found ${describe(value)}`);
    return value;
  }

  /** A list of names, none twice. */
  private names(value: unknown, pointer: string, what: string): string[] {
    const seen = new Set<string>();
    return this.array(value, pointer).map((item, i) => {
      const name = this.string(item, `${pointer}/${i}`);
      if (seen.has(name)) this.fail(`${pointer}/${i}`, `${what} ${JSON.stringify(name)} is listed twice`);
      seen.add(name);
      return name;
    });
  }

  snapshot(value: unknown): Snapshot {
    const root = this.object(value, "", ["format", "version", "engine", "schemas"]);
    if (root.format !== snapshotFormat) this.fail("/format", `expected "${snapshotFormat}", found ${describe(root.format)}; is this a rolec snapshot?`);
    if (typeof root.version === "number" && Number.isInteger(root.version) && root.version > snapshotVersion) {
      this.fail("/version", `version ${root.version} was written by a newer rolec; this one reads versions 1 to ${snapshotVersion}`);
    }
    if (root.version !== 1 && root.version !== 2) this.fail("/version", `expected 1 or 2, found ${describe(root.version)}`);
    if (root.engine !== "postgres" && root.engine !== "mysql") this.fail("/engine", `expected "postgres" or "mysql", found ${describe(root.engine)}`);
    const seen = new Set<string>();
    const schemas = this.array(root.schemas, "/schemas").map((s, i) => {
      const schema = this.schema(s, `/schemas/${i}`, root.version as 1 | 2);
      if (seen.has(schema.name)) this.fail(`/schemas/${i}/name`, `schema ${JSON.stringify(schema.name)} is listed twice`);
      seen.add(schema.name);
      return schema;
    });
    return { format: snapshotFormat, version: root.version as 1 | 2, engine: root.engine, schemas };
  }

  private schema(value: unknown, pointer: string, version: 1 | 2): SnapshotSchema {
    const record = this.object(value, pointer, ["name", "objects"], version === 2 ? ["routines", "types"] : []);
    const name = this.string(record.name, `${pointer}/name`);
    // Objects and partitions share one namespace in a schema, as relations do in the database.
    const taken = new Map<string, string>();
    const objects = this.array(record.objects, `${pointer}/objects`).map((o, i) => {
      const at = `${pointer}/objects/${i}`;
      const object = this.snapshotObject(o, at);
      const claim = (relation: string, where: string) => {
        const previous = taken.get(relation);
        if (previous !== undefined) this.fail(where, `${JSON.stringify(relation)} is already listed at ${previous}; a name is taken once in a schema`);
        taken.set(relation, where);
      };
      claim(object.name, `${at}/name`);
      object.partitions?.forEach((p, j) => claim(p, `${at}/partitions/${j}`));
      return object;
    });
    const types = record.types === undefined ? undefined : this.array(record.types, `${pointer}/types`).map((t, i) => {
      const at = `${pointer}/types/${i}`;
      const type = this.object(t, at, ["name", "kind"]);
      const typeName = this.string(type.name, `${at}/name`);
      if (type.kind !== "type" && type.kind !== "domain") this.fail(`${at}/kind`, `expected "type" or "domain", found ${describe(type.kind)}`);
      // A type's name is taken as a relation's is: every table has a row type of its name.
      const previous = taken.get(typeName);
      if (previous !== undefined) this.fail(`${at}/name`, `${JSON.stringify(typeName)} is already listed at ${previous}; a name is taken once in a schema`);
      taken.set(typeName, `${at}/name`);
      return { name: typeName, kind: type.kind as "type" | "domain" };
    });
    if (record.routines === undefined) return { name, objects, ...(types ? { types } : {}) };
    // A routine is known by its name and argument types: overloads are distinct, one listed twice is not.
    const signatures = new Map<string, string>();
    const routines = this.array(record.routines, `${pointer}/routines`).map((r, i) => {
      const at = `${pointer}/routines/${i}`;
      const routine = this.routine(r, at);
      const signature = formatRoutine({ schema: name, ...routine });
      const key = [routine.name, ...routine.args.map(argTypeKey)].join("\u0002");
      if (signatures.has(key)) this.fail(at, `${signature} is already listed at ${signatures.get(key)}`);
      signatures.set(key, at);
      return routine;
    });
    return { name, objects, routines, ...(types ? { types } : {}) };
  }

  private routine(value: unknown, pointer: string): SnapshotRoutine {
    const record = this.object(value, pointer, ["name", "kind", "args"]);
    const name = this.string(record.name, `${pointer}/name`);
    if (record.kind !== "function" && record.kind !== "procedure") this.fail(`${pointer}/kind`, `expected "function" or "procedure", found ${describe(record.kind)}`);
    const args = this.array(record.args, `${pointer}/args`).map((a, i) => {
      const at = `${pointer}/args/${i}`;
      const type = this.object(a, at, ["schema", "name", "array"]);
      if (typeof type.array !== "boolean") this.fail(`${at}/array`, `expected true or false, found ${describe(type.array)}`);
      return { schema: this.string(type.schema, `${at}/schema`), name: this.string(type.name, `${at}/name`), array: type.array };
    });
    return { name, kind: record.kind, args };
  }

  private snapshotObject(value: unknown, pointer: string): SnapshotObject {
    const record = this.object(value, pointer, ["name", "kind", "columns"], ["partitions", "inherits", "partitionOf"]);
    const name = this.string(record.name, `${pointer}/name`);
    const kind = record.kind;
    if (!snapshotKinds.includes(kind as never)) this.fail(`${pointer}/kind`, `expected one of ${snapshotKinds.map((k) => `"${k}"`).join(", ")}, found ${describe(kind)}`);
    const columns = this.names(record.columns, `${pointer}/columns`, "column");
    if (kind === "sequence" && columns.length > 0) this.fail(`${pointer}/columns`, "a sequence has no columns; expected []");
    const partitions = record.partitions === undefined ? undefined : this.names(record.partitions, `${pointer}/partitions`, "partition");
    if (partitions && kind !== "table") this.fail(`${pointer}/partitions`, `only tables have partitions; this is a ${String(kind)}`);
    const inherits = record.inherits === undefined ? undefined : this.array(record.inherits, `${pointer}/inherits`).map((p, i) => this.qualified(p, `${pointer}/inherits/${i}`));
    const partitionOf = record.partitionOf === undefined ? undefined : this.qualified(record.partitionOf, `${pointer}/partitionOf`);
    return {
      name,
      kind: kind as SnapshotObject["kind"],
      columns,
      ...(partitions ? { partitions } : {}),
      ...(inherits ? { inherits } : {}),
      ...(partitionOf ? { partitionOf } : {}),
    };
  }

  private qualified(value: unknown, pointer: string): QualifiedName {
    const record = this.object(value, pointer, ["schema", "name"]);
    return { schema: this.string(record.schema, `${pointer}/schema`), name: this.string(record.name, `${pointer}/name`) };
  }
}

/** RFC 6901: `~` and `/` in a member name are written `~0` and `~1`. */
function escapePointer(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  return String(value);
}
