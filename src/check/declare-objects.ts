import type { Name, ObjectDecl, ObjectKind, RoutineDecl, RoutineKind, SchemaBlock, TypeKind } from "../syntax/ast.js";
import { builtInTypeSchema, resolveWrittenType, type ArgType } from "../model/argument-types.js";
import { builtInTypeNames } from "../model/built-in-types.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { formatRoutine, routineKey } from "../model/ir.js";
import type { QualifiedName } from "../model/snapshot.js";
import type { Span } from "../source/source.js";
import { declareColumns, type Declarations } from "./declarations.js";
import { objectRef, placeFrom, quoted, type Reporter } from "./reporter.js";
import { restateSnapshotObject } from "./restate-snapshot-object.js";

export interface DeclaredObject {
  readonly schema: string;
  readonly name: string;
  readonly kind: ObjectKind;
  readonly appendOnly: boolean;
  /** `sensitive table`: every column is sensitive. */
  readonly sensitive: boolean;
  /** Its sensitive columns, in declaration order: every column of a sensitive table. */
  readonly sensitiveColumns: readonly string[];
  readonly columns: readonly string[];
  readonly partitions: readonly string[];
  readonly doc: string | undefined;
  readonly span: Span;
  /** Where the object comes from: a `.roles` declaration, the snapshot alone, or the snapshot restated inline. */
  readonly origin: "inline" | "snapshot" | "restated";
  /** From the snapshot: tables this one inherits from without being their partition. */
  readonly inherits?: readonly QualifiedName[];
  /**
   * For a partition in another schema than its table (from the snapshot), that table; for a
   * partition a grant names (declaredPartition), its table in the same schema.
   */
  readonly partitionOf?: QualifiedName;
}

/**
 * Whether an object declares a column. The set behind it is made the first time an object is
 * asked: most objects of a large program are granted whole and never are, and a set per object
 * would be a tenth of the checker's memory.
 */
export function hasColumn(object: DeclaredObject, column: string): boolean {
  let set = columnSets.get(object);
  if (!set) columnSets.set(object, (set = new Set(object.columns)));
  return set.has(column);
}

const columnSets = new WeakMap<DeclaredObject, ReadonlySet<string>>();

/** A function or procedure: its name and argument types are its identity. */
export interface DeclaredRoutine {
  readonly schema: string;
  readonly name: string;
  readonly kind: RoutineKind;
  readonly args: readonly ArgType[];
  readonly doc: string | undefined;
  readonly span: Span;
  /** A `.roles` declaration, the snapshot alone, or the snapshot's declared again inline (which adds its `///` documentation). */
  readonly origin: "inline" | "snapshot" | "restated";
}

/** A type or domain: named like a relation (every table has a row type of its name), and granted USAGE. */
export interface DeclaredType {
  readonly schema: string;
  readonly name: string;
  readonly kind: TypeKind;
  readonly doc: string | undefined;
  readonly span: Span;
  readonly origin: "inline" | "snapshot" | "restated";
}

export interface DeclaredSchema {
  readonly name: string;
  /** Objects by name, in declaration order. */
  readonly objects: Map<string, DeclaredObject>;
  /**
   * Functions and procedures by name, each name's overloads in declaration order. Routines and
   * relations are apart in PostgreSQL too: a function may share a table's name.
   */
  readonly routines: Map<string, DeclaredRoutine[]>;
  /** Types and domains by name, in declaration order; their names are taken in `taken`, as relations' are. */
  readonly types: Map<string, DeclaredType>;
  /** Every relation name taken in the schema, objects and partitions alike, and where. */
  readonly taken: Map<string, Span>;
  /** Partitions the snapshot lists, by name, with the table they belong to. */
  readonly snapshotPartitions: Map<string, string>;
}

export type Catalog = Map<string, DeclaredSchema>;

/**
 * A partition of a table the schema declares, as the object a grant names: a table with its
 * table's columns and append-only mark, and `partitionOf` its table. The same object each time
 * it is asked for, so that a line's exclusions and narrowing can tell it apart; never among the
 * schema's objects, so `schema.*` does not reach it.
 */
export function declaredPartition(schema: DeclaredSchema, name: string): DeclaredObject | undefined {
  let partitions = partitionsBySchema.get(schema);
  if (!partitions) {
    partitions = new Map();
    for (const table of schema.objects.values()) {
      for (const p of table.partitions) {
        partitions.set(p, { ...table, name: p, partitions: [], doc: undefined, partitionOf: { schema: table.schema, name: table.name } });
      }
    }
    partitionsBySchema.set(schema, partitions);
  }
  return partitions.get(name);
}

const partitionsBySchema = new WeakMap<DeclaredSchema, Map<string, DeclaredObject>>();

/**
 * Gathers every `schema` block of the program into one catalog. A schema may be spread over
 * several blocks and files; a relation name declared twice is an error (RC0301), and the second
 * declaration is not taken. `catalog` may already hold a snapshot's objects (declareSnapshot),
 * which declarations add to or restate. What is taken is recorded in `declared` for the rules.
 */
export function declareObjects(blocks: readonly SchemaBlock[], reporter: Reporter, declared: Declarations, catalog: Catalog = new Map()): Catalog {
  for (const block of blocks) {
    let schema = catalog.get(block.name.value);
    if (!schema) {
      declared.names.push({ name: block.name, what: "schema" });
      schema = { name: block.name.value, objects: new Map(), routines: new Map(), types: new Map(), taken: new Map(), snapshotPartitions: new Map() };
      catalog.set(schema.name, schema);
    }
    for (const decl of block.objects) {
      // A snapshot object declared again inline: the two must agree, and the inline one adds its modifiers.
      if (restateSnapshotObject(schema, decl, reporter, declared)) {
        declared.objects.push({ schema: schema.name, decl });
        continue;
      }
      if (!claimName(schema, decl.name, reporter)) continue;
      declared.names.push({ name: decl.name, what: decl.objectKind });
      declared.objects.push({ schema: schema.name, decl });
      const partitions = decl.objectKind !== "table" ? [] : decl.partitions.filter((p) => claimName(schema, p, reporter));
      for (const p of partitions) declared.names.push({ name: p, what: "partition" });
      reportRepeatedModifiers(decl, reporter);
      const columns = declareColumns(declared, schema.name, decl.name.value, decl.columns);
      schema.objects.set(decl.name.value, {
        schema: schema.name,
        name: decl.name.value,
        kind: decl.objectKind,
        appendOnly: decl.appendOnly && decl.objectKind === "table",
        sensitive: decl.sensitive,
        sensitiveColumns: sensitiveColumnsOf(decl, columns),
        columns,
        partitions: partitions.map((p) => p.value),
        doc: decl.doc,
        span: decl.span,
        origin: "inline",
      });
    }
    for (const decl of block.routines) declareRoutine(schema, decl, reporter, declared);
    for (const decl of block.types) {
      const known = schema.types.get(decl.name.value);
      // The snapshot's type declared again: the same type, which the declaration documents.
      if (known?.origin === "snapshot") {
        if (known.kind !== decl.typeKind) reporter.report("RC0104", `${objectRef(schema.name, decl.name.value)} is a ${known.kind} in the snapshot, declared here a ${decl.typeKind}`, decl.name.span);
        else schema.types.set(known.name, { ...known, doc: decl.doc, span: decl.span, origin: "restated" });
        continue;
      }
      if (!claimName(schema, decl.name, reporter)) continue;
      declared.names.push({ name: decl.name, what: decl.typeKind });
      schema.types.set(decl.name.value, { schema: schema.name, name: decl.name.value, kind: decl.typeKind, doc: decl.doc, span: decl.span, origin: "inline" });
    }
  }
  return catalog;
}

/** Takes a function or procedure: its argument types must name types, and its signature be new in the schema (RC0301). */
function declareRoutine(schema: DeclaredSchema, decl: RoutineDecl, reporter: Reporter, declared: Declarations): void {
  const args = resolveArgTypes(decl.args, reporter);
  if (!args) return;
  const routine: DeclaredRoutine = { schema: schema.name, name: decl.name.value, kind: decl.routineKind, args, doc: decl.doc, span: decl.span, origin: "inline" };
  const overloads = schema.routines.get(routine.name) ?? [];
  const previous = overloads.find((r) => routineKey(r) === routineKey(routine));
  // The snapshot's routine declared again: the same routine, which the declaration documents.
  if (previous?.origin === "snapshot") {
    if (previous.kind !== routine.kind) {
      reporter.report("RC0104", `${formatRoutine(routine)} is a ${previous.kind} in the snapshot, declared here a ${routine.kind}`, decl.name.span);
      return;
    }
    declared.names.push({ name: decl.name, what: decl.routineKind });
    schema.routines.set(routine.name, overloads.map((r) => (r === previous ? { ...routine, origin: "restated" as const } : r)));
    return;
  }
  if (previous) {
    reporter.report(
      "RC0301",
      `${formatRoutine(routine)} is already declared on ${placeFrom(previous.span, decl.span)} (argument types are compared as PostgreSQL compares them); remove one of the declarations`,
      decl.name.span,
      [{ message: "first declared here", span: previous.span }],
    );
    return;
  }
  declared.names.push({ name: decl.name, what: decl.routineKind });
  for (const arg of decl.args) for (const name of [...(arg.schema ? [arg.schema] : []), ...arg.words]) declared.names.push({ name, what: "type" });
  schema.routines.set(routine.name, [...overloads, routine]);
}

/** The types a signature names; undefined, once each bad one is reported (RC0109), if any names none. */
export function resolveArgTypes(written: RoutineDecl["args"], reporter: Reporter): ArgType[] | undefined {
  const types: ArgType[] = [];
  for (const arg of written) {
    const type = resolveWrittenType({ schema: arg.schema?.value, words: arg.words.map((w) => w.value), quoted: arg.quoted, array: arg.array });
    if ("error" in type) {
      reporter.report("RC0109", type.error, arg.span);
      continue;
    }
    if (type.schema === builtInTypeSchema && !builtInTypeNames.has(type.name)) {
      reporter.report("RC0111", `PostgreSQL has no built-in type ${JSON.stringify(type.name)}${didYouMean(type.name, builtInTypeNames)}; a type of another schema is written with its schema (\`app.money\`)`, arg.span);
    }
    types.push(type);
  }
  return types.length === written.length ? types : undefined;
}

/** Takes a relation name in the schema; a name declared twice (as object or partition) is RC0301. */
function claimName(schema: DeclaredSchema, name: Name, reporter: Reporter): boolean {
  const previous = schema.taken.get(name.value);
  if (previous) {
    reporter.report(
      "RC0301",
      `${objectRef(schema.name, name.value)} is already declared on ${placeFrom(previous, name.span)}; remove one of the declarations`,
      name.span,
      [{ message: "first declared here", span: previous }],
    );
    return false;
  }
  schema.taken.set(name.value, name.span);
  return true;
}

/** A modifier (`append_only`, `sensitive`) written twice on one declaration. */
export function reportRepeatedModifiers(decl: ObjectDecl, reporter: Reporter): void {
  const seen = new Set<string>();
  for (const m of decl.modifiers) {
    if (seen.has(m.word)) reporter.report("RC0317", `\`${m.word}\` is written twice on ${decl.objectKind} ${quoted(decl.name.value)}; once says it`, m.span);
    seen.add(m.word);
  }
}

/** The sensitive columns of a declaration among `columns` (those it declares or may list): all of them for a sensitive table. */
export function sensitiveColumnsOf(decl: ObjectDecl, columns: readonly string[]): string[] {
  if (decl.sensitive) return [...columns];
  const marked = new Set(decl.sensitiveColumns);
  return columns.filter((c) => marked.has(c));
}
