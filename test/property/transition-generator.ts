import fc from "fast-check";
import { columnPool, hostilePieces, isAscii, type GeneratedAccount, type GeneratedDefault, type GeneratedExecute, type GeneratedGrant, type GeneratedObject, type GeneratedProgram, type GeneratedRole } from "./program-generator.js";
import { defaultVerbs } from "./reference-evaluator.js";
import { creatorBase, driftArb, resolveDrift, type Drift, type ResolvedDrift } from "./transitions/drift-generator.js";

/**
 * Random transitions for the transition property tests: one schema (schemas, objects, columns),
 * two valid programs A and B over it, and drift, changes made by hand on the database after A
 * was applied. Everything is generated as a shape with short base names; `instantiate` gives each
 * case names of its own (a prefix per run and per case), so cases on one server never meet and
 * every role and database a case creates can be found and dropped.
 *
 * Programs are valid for their engine by construction (the test refuses a program the checker
 * rejects, as a bug of this file): PostgreSQL programs use truncate, sequences, partitions,
 * `connection_limit` on any role and login parents; MySQL/MariaDB programs do not grant truncate
 * nor trigger on views, and only roles without login are parents. A role may gain or lose login
 * from A to B (on MySQL it then becomes another principal, an account or a role, and the old one
 * is left alone as undeclared); an account keeps its host.
 */

export type Engine = "postgres" | "mysql";

export interface ObjectShape {
  readonly kind: "table" | "view" | "sequence";
  readonly base: string;
  readonly columns: readonly string[];
  /** PostgreSQL only: a partitioned table's partitions (MySQL ignores `partitions (...)`). */
  readonly partitions: readonly string[];
  readonly appendOnlyA: boolean;
  readonly appendOnlyB: boolean;
}

/**
 * A function or procedure (PostgreSQL only). Its argument types are indexes into argTypeSpellings:
 * a declaration writes each type's first spelling, a grant either.
 */
export interface RoutineShape {
  readonly kind: "function" | "procedure";
  readonly base: string;
  readonly args: readonly number[];
}

export interface SchemaShape {
  readonly base: string;
  readonly objects: readonly ObjectShape[];
  readonly routines: readonly RoutineShape[];
  /** PostgreSQL only: types and domains, named `y<i><piece>`. */
  readonly types: readonly { readonly kind: "type" | "domain"; readonly base: string }[];
}

/** Two spellings of each type, which docs/language.md says name one type; both are valid SQL too. */
export const argTypeSpellings: readonly (readonly [string, string])[] = [
  ["integer", "int4"],
  ["bigint", "INT8"],
  ["double precision", "float8"],
  ["text", "text"],
  ["character varying", "varchar"],
  ['"char"', '"char"'],
  ["text[]", "text[]"],
  ["boolean", "bool"],
  ["timestamp with time zone", "timestamptz"],
];

/** `execute on ...`: a routine by its index in its schema, or every routine (`*`), its types written one way or the other, or not at all. */
export interface ExecuteShape {
  readonly schema: string;
  readonly routine: number | "*";
  readonly spelling: "declared" | "other" | "name";
  /** `with grant option`; never in a `public` block. */
  readonly grantOption?: boolean;
}

/** Which program a grant list is valid in: A, B, or both (then an object counts as append-only if it is in either). */
type Side = "a" | "b" | "both";

interface RoleSide {
  readonly login: boolean;
  readonly connectionLimit: number | undefined;
  /** MySQL/MariaDB login roles only: account options. */
  readonly account: GeneratedAccount | undefined;
  readonly doc: string | undefined;
  readonly parents: readonly number[];
  /** Which parents it holds with admin option, by the parent's position in the program's roles. */
  readonly adminPicks: readonly boolean[];
  /** PostgreSQL only: attributes, settings and predefined roles it is a member of. */
  readonly attributes: readonly string[];
  /** PostgreSQL only: `valid_until`, written one of the ways docs/language.md allows; undefined: not said. */
  readonly validUntil: string | undefined;
  readonly settings: readonly { readonly parameter: string; readonly values: readonly string[] }[];
  readonly predefined: readonly string[];
  /** PostgreSQL only: privileges on schemas themselves, by schema base name. */
  readonly schemaGrants: readonly { readonly schema: string; readonly verb: "usage" | "create"; readonly grantOption?: boolean }[];
  readonly databaseGrants: readonly ("connect" | "temporary" | "create")[];
  /** `... on database with grant option`; never in a `public` block. */
  readonly databaseGrantOption?: boolean;
  /** MySQL/MariaDB only: privileges on the whole server. */
  readonly serverGrants: readonly string[];
  readonly databaseSettings: readonly { readonly parameter: string; readonly values: readonly string[] }[];
  /** EXECUTE on routines. */
  readonly executes: readonly ExecuteShape[];
  /** PostgreSQL only: USAGE on types, by schema base name and type base name. */
  readonly typeUsages: readonly { readonly schema: string; readonly type: string; readonly grantOption?: boolean }[];
  /** PostgreSQL only: default privileges of the case's creator, by schema base name (null: every schema). */
  readonly defaults: readonly DefaultShape[];
}

/** `VERBS on future OBJECTS [in schema s] created by` the case's creator, a role no program declares. */
export interface DefaultShape {
  readonly schema: string | null;
  readonly objects: string;
  readonly verbs: readonly string[];
  /** `with grant option`; never in a `public` block. */
  readonly grantOption?: boolean;
}


/** Up to `maxLength` default lines; `schemas` never in a schema. */
function defaultsArb(schemas: readonly SchemaShape[], maxLength: number): fc.Arbitrary<DefaultShape[]> {
  const line = fc
    .record({
      objects: fc.constantFrom(...Object.keys(defaultVerbs)),
      schema: fc.option(fc.constantFrom(...schemas.map((s) => s.base)), { nil: null }),
      pick: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
      all: fc.integer({ min: 0, max: 5 }),
      option: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
    })
    .map(({ objects, schema, pick, all, option }) => {
      const takes = defaultVerbs[objects]!;
      const verbs = all === 0 ? ["all"] : takes.filter((_, i) => pick[i]);
      return { objects, schema: objects === "schemas" ? null : schema, verbs: verbs.length > 0 ? verbs : [takes[0]!], grantOption: option };
    });
  return fc.array(line, { maxLength });
}

/** Account options a MySQL/MariaDB login role may state: none (most often), each requirement, limits, lifetimes. */
const accountPool: readonly (GeneratedAccount | undefined)[] = [
  undefined,
  undefined,
  undefined,
  { require: "ssl", maxQueriesPerHour: 2 },
  { require: "x509", passwordLifetime: 0 },
  { issuer: "/C=SE/CN=Example CA", subject: "/CN=o'brien", passwordLifetime: 90 },
  { cipher: "DHE-RSA-AES256-SHA", maxUpdatesPerHour: 3, maxConnectionsPerHour: 600 },
  { passwordLifetime: 65535, maxConnectionsPerHour: 0 },
];

/** Settings a role may be given: one-value parameters, a custom one, and a list (search_path, whose items PostgreSQL quotes where needed). */
const settingPool: readonly { readonly parameter: string; readonly values: readonly string[] }[] = [
  { parameter: "statement_timeout", values: ["5s"] },
  { parameter: "statement_timeout", values: ["30000"] },
  { parameter: "work_mem", values: ["8MB"] },
  { parameter: "app.tenant", values: ["it's \\ \"acme\""] },
  { parameter: "search_path", values: ["public", "$user", "Odd Schema"] },
];

export interface RoleShape {
  readonly base: string;
  readonly host: string | undefined;
  readonly inA: boolean;
  readonly inB: boolean;
  readonly a: RoleSide;
  readonly b: RoleSide;
  readonly shared: readonly GeneratedGrant[];
  readonly onlyA: readonly GeneratedGrant[];
  readonly onlyB: readonly GeneratedGrant[];
}

/** PostgreSQL only: a `public` block in A, in B, in both or in neither, and what it says in each. */
export interface PublicShape {
  readonly inA: boolean;
  readonly inB: boolean;
  readonly a: Pick<RoleSide, "schemaGrants" | "databaseGrants" | "executes" | "typeUsages" | "defaults"> & { readonly grants: readonly GeneratedGrant[] };
  readonly b: Pick<RoleSide, "schemaGrants" | "databaseGrants" | "executes" | "typeUsages" | "defaults"> & { readonly grants: readonly GeneratedGrant[] };
}

export interface TransitionShape {
  readonly engine: Engine;
  readonly schemas: readonly SchemaShape[];
  readonly roles: readonly RoleShape[];
  readonly public?: PublicShape;
  readonly drift: readonly Drift[];
}

/** A case with its own names: the two programs, the drift (names resolved), and every role name it can create. */
export interface Transition {
  readonly engine: Engine;
  /** Every role of the case starts with `names.rolePrefix`, every schema with `names.schemaPrefix`. */
  readonly names: CaseNames;
  readonly a: GeneratedProgram;
  readonly b: GeneratedProgram;
  readonly drift: readonly ResolvedDrift[];
  /** Every role the case may create, declared in A or B or made by drift: what cleanup drops. */
  readonly roleNames: readonly string[];
  /** Where the views' underlying tables live: a schema (database) of the case's own, not declared. */
  readonly baseSchema: string;
  /** PostgreSQL: the role the programs' default privileges name as their creator; no program declares it, so each phase creates it. */
  readonly creator: string;
  /** Tables append-only in A and not in B: PostgreSQL asks for them to be given a real owner by hand first. */
  readonly leavingAppendOnly: readonly { readonly schema: string; readonly name: string }[];
}


const docPool = ["reads orders", "it's the app's role", 'says "hi"', "back\\slash */ -- not a comment", "ünïcode 日本", "ends with a star *"];

const objectShapeArb = (index: number, engine: Engine): fc.Arbitrary<ObjectShape> =>
  fc
    .record({
      kind: fc.constantFrom("table", "table", "table", "view", "sequence"),
      piece: fc.constantFrom(...hostilePieces),
      columns: fc.uniqueArray(fc.constantFrom(...columnPool), { minLength: 1, maxLength: 4, selector: (c) => c.toLowerCase() }),
      partitions: fc.integer({ min: -4, max: 2 }),
    })
    .chain((o) => fc.tuple(fc.constant(o), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 })))
    .map(([{ kind, piece, columns, partitions }, a, b]) => ({
      kind,
      base: `${kind === "table" ? "t" : kind === "view" ? "v" : "q"}${index}${piece}`,
      columns: kind === "sequence" ? [] : columns,
      // About one PostgreSQL table in four is partitioned, in one or two partitions.
      partitions: engine === "postgres" && kind === "table" && partitions > 0 ? Array.from({ length: partitions }, (_, p) => `t${index}${piece}_p${p}`) : [],
      // About one table in four is append-only in each program.
      appendOnlyA: kind === "table" && a < 3,
      appendOnlyB: kind === "table" && b < 3,
    }));

const schemaShapeArb = (index: number, engine: Engine): fc.Arbitrary<SchemaShape> =>
  fc
    .tuple(fc.constantFrom(...hostilePieces), fc.integer({ min: 1, max: 4 }))
    .chain(([piece, count]) =>
      fc.tuple(
        fc.constant(`s${index}${piece}`),
        fc.tuple(...Array.from({ length: count }, (_, i) => objectShapeArb(i, engine))),
        // MariaDB cannot manage routines in a database named outside ASCII (RC0921).
        engine === "mysql" && !isAscii(piece) ? fc.constant([]) : routinesArb(engine),
        engine === "postgres" ? typesArb() : fc.constant([]),
      ),
    )
    .map(([base, objects, routines, types]) => ({ base, objects, routines, types }));

/** Up to two types: an enum and a domain, with hostile names. */
function typesArb(): fc.Arbitrary<{ kind: "type" | "domain"; base: string }[]> {
  return fc
    .record({ kinds: fc.subarray(["type", "domain"] as const), piece: fc.constantFrom(...hostilePieces) })
    .map(({ kinds, piece }) => kinds.map((kind, i) => ({ kind, base: `y${i}${piece}` })));
}

/** USAGE lines on the schemas' types. */
function typeUsagesArb(schemas: readonly SchemaShape[], maxLength: number): fc.Arbitrary<{ schema: string; type: string; grantOption?: boolean }[]> {
  const targets = schemas.flatMap((s) => s.types.map((t) => ({ schema: s.base, type: t.base })));
  if (targets.length === 0) return fc.constant([]);
  return fc
    .tuple(fc.subarray(targets, { maxLength: Math.min(maxLength, targets.length) }), fc.array(grantOptionArb("postgres"), { minLength: maxLength, maxLength }))
    .map(([picked, options]) => picked.map((u, i) => ({ ...u, grantOption: options[i]! })));
}

/**
 * Up to three routines: a function, perhaps an overload of it (its arguments and one more, so the
 * two differ), and a procedure, with hostile names. MySQL/MariaDB know a routine by its name, so
 * there no overload (RC0916).
 */
function routinesArb(engine: Engine): fc.Arbitrary<RoutineShape[]> {
  const types = fc.array(fc.nat({ max: argTypeSpellings.length - 1 }), { maxLength: 2 });
  // MariaDB cannot grant EXECUTE on a routine named outside ASCII (RC0921).
  const pieces = engine === "mysql" ? hostilePieces.filter(isAscii) : hostilePieces;
  return fc
    .record({ count: fc.integer({ min: 0, max: 3 }), piece: fc.constantFrom(...pieces), first: types, extra: fc.nat({ max: argTypeSpellings.length - 1 }), third: types })
    .map(({ count, piece, first, extra, third }) => {
      const all: RoutineShape[] = [
        { kind: "function", base: `f0${piece}`, args: first },
        { kind: "function", base: `f0${piece}`, args: [...first, extra] },
        { kind: "procedure", base: `p2${piece}`, args: third },
      ];
      if (engine === "mysql") return count === 0 ? [] : count === 1 ? [all[0]!] : [all[0]!, all[2]!];
      return count === 0 ? [] : count === 1 ? [all[0]!] : count === 2 ? [all[0]!, all[2]!] : all;
    });
}

/** EXECUTE lines on the schemas' routines; the name alone only where no other routine shares it (RC0110). */
function executesArb(schemas: readonly SchemaShape[], engine: Engine, maxLength: number): fc.Arbitrary<ExecuteShape[]> {
  const targets = schemas.flatMap((s) => [...s.routines.map((_, i) => ({ schema: s.base, routine: i as number | "*" })), ...(s.routines.length > 0 ? [{ schema: s.base, routine: "*" as const }] : [])]);
  if (targets.length === 0) return fc.constant([]);
  return fc.array(
    fc.tuple(fc.constantFrom(...targets), fc.constantFrom("declared", "other", "name") as fc.Arbitrary<ExecuteShape["spelling"]>, grantOptionArb(engine)).map(([t, spelling, grantOption]) => {
      const schema = schemas.find((s) => s.base === t.schema)!;
      const unique = t.routine !== "*" && schema.routines.filter((r) => r.base === schema.routines[t.routine as number]!.base).length === 1;
      return { ...t, spelling: spelling === "name" && !unique ? "declared" : spelling, grantOption };
    }),
    { maxLength },
  );
}

const columnVerbs = new Set(["select", "insert", "update", "references"]);
const appendOnlyForbidden = new Set(["update", "delete", "truncate", "trigger", "references"]);

function appendOnlyOn(o: ObjectShape, side: Side): boolean {
  return side === "a" ? o.appendOnlyA : side === "b" ? o.appendOnlyB : o.appendOnlyA || o.appendOnlyB;
}

/** Verbs the language lets a grant name on the object, for the engine (docs/language.md's table, less MySQL's exceptions). */
function kindVerbs(kind: ObjectShape["kind"], engine: Engine): string[] {
  if (kind === "sequence") return ["select", "update", "usage"];
  if (kind === "view") return engine === "postgres" ? ["select", "insert", "update", "delete", "trigger"] : ["select", "insert", "update", "delete"];
  return engine === "postgres" ? ["select", "insert", "update", "delete", "truncate", "references", "trigger"] : ["select", "insert", "update", "delete", "references", "trigger"];
}

/** Verbs the checker finds applicable to a kind whatever the target (what decides whether an exclusion is used). */
function checkerVerbs(kind: ObjectShape["kind"]): string[] {
  return kindVerbs(kind, "postgres");
}

/** A grant naming one object, valid in the program(s) of `side`. */
function singleGrantArb(schemas: readonly SchemaShape[], engine: Engine, side: Side): fc.Arbitrary<GeneratedGrant> {
  // A PostgreSQL partition is named like a table of its own, with its table's columns and append-only mark.
  const partitions = (o: ObjectShape) => (engine === "postgres" ? o.partitions.map((name): ObjectShape => ({ ...o, base: name, partitions: [] })) : []);
  const targets = schemas.flatMap((s) => s.objects.flatMap((o) => [o, ...partitions(o)]).map((o) => ({ schema: s.base, o })));
  return fc.constantFrom(...targets).chain(({ schema, o }) => {
    const appendOnly = appendOnlyOn(o, side);
    const verbs = kindVerbs(o.kind, engine).filter((v) => !(appendOnly && appendOnlyForbidden.has(v)));
    const someColumns = o.columns.length > 0 ? fc.subarray([...o.columns], { minLength: 1 }) : fc.constant([] as string[]);
    return fc
      .record({
        all: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
        verbs: fc.shuffledSubarray(verbs, { minLength: 1, maxLength: Math.min(3, verbs.length) }),
        columnsFor: fc.array(fc.option(someColumns, { nil: undefined, freq: 2 }), { minLength: 3, maxLength: 3 }),
        except: fc.option(someColumns, { nil: undefined, freq: 5 }),
        option: grantOptionArb(engine),
      })
      .map(({ all, verbs, columnsFor, except, option }): GeneratedGrant => {
        const chosen: GeneratedGrant["verbs"][number][] = all ? [{ verb: "all" }] : verbs.map((verb, i) => (columnVerbs.has(verb) && o.kind !== "sequence" && columnsFor[i]?.length ? { verb, columns: columnsFor[i]! } : { verb }));
        // `except s.t(cols)` must remove columns some column verb of the line covers (RC0601).
        const covered = new Set<string>();
        for (const v of all ? kindVerbs(o.kind, "postgres").filter((x) => !(appendOnly && appendOnlyForbidden.has(x))).map((verb) => ({ verb })) : chosen) {
          if (columnVerbs.has(v.verb) && o.kind !== "sequence") for (const c of ("columns" in v ? v.columns : undefined) ?? o.columns) covered.add(c);
        }
        const removable = (except ?? []).filter((c) => covered.has(c));
        // A grant option goes on whole objects only (RC0407): not beside a column list or a column exclusion.
        const grantOption = option && removable.length === 0 && chosen.every((v) => !("columns" in v));
        return { verbs: chosen, schema, object: o.base, except: removable.length > 0 ? [{ object: o.base, columns: removable }] : [], ...(grantOption ? { grantOption: true as const } : {}) };
      });
  });
}

/** `verbs on s.*`, perhaps leaving out objects or some of their columns. */
function wildcardGrantArb(schema: SchemaShape, engine: Engine, side: Side): fc.Arbitrary<GeneratedGrant> {
  const relations = schema.objects.filter((o) => o.kind !== "sequence");
  // A verb must fit some table or view of the schema (RC0401); truncate never on MySQL (RC0901).
  const verbs = kindVerbs("table", engine).filter((v) => relations.some((o) => checkerVerbs(o.kind).includes(v)));
  return fc
    .record({
      all: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      verbs: fc.shuffledSubarray(verbs, { minLength: 1, maxLength: Math.min(3, verbs.length) }),
      excluded: fc.shuffledSubarray(relations, { minLength: 0, maxLength: Math.min(2, relations.length) }),
      columnPicks: fc.array(fc.tuple(fc.boolean(), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 })), { minLength: 2, maxLength: 2 }),
      option: grantOptionArb(engine),
    })
    .map(({ all, verbs, excluded, columnPicks, option }): GeneratedGrant => {
      const granted = all ? ["all"] : verbs;
      const reaches = (o: ObjectShape) => (all ? checkerVerbs(o.kind) : granted.filter((v) => checkerVerbs(o.kind).includes(v)));
      const except: { object: string; columns?: readonly string[] }[] = [];
      excluded.forEach((o, i) => {
        const reached = reaches(o);
        // An exclusion that removes nothing is an error (RC0601): the object must be reached by some verb...
        if (reached.length === 0) return;
        const [byColumns, picks] = columnPicks[i]!;
        // ...and a column exclusion needs a per-column verb that append-only narrowing leaves.
        const perColumn = reached.some((v) => columnVerbs.has(v) && !(appendOnlyOn(o, side) && appendOnlyForbidden.has(v)));
        const columns = o.columns.filter((_, c) => picks[c % picks.length]);
        if (byColumns && perColumn && columns.length > 0) except.push({ object: o.base, columns });
        else except.push({ object: o.base });
      });
      const grantOption = option && except.every((e) => e.columns === undefined);
      return { verbs: granted.map((verb) => ({ verb })), schema: schema.base, object: "*", except, ...(grantOption ? { grantOption: true as const } : {}) };
    });
}

/** PostgreSQL only: a line `with grant option`, one time in four (MySQL refuses it: RC0920). */
function grantOptionArb(engine: Engine): fc.Arbitrary<boolean> {
  return engine === "postgres" ? fc.integer({ min: 0, max: 3 }).map((n) => n === 0) : fc.constant(false);
}

function grantsArb(schemas: readonly SchemaShape[], engine: Engine, side: Side, maxLength: number): fc.Arbitrary<GeneratedGrant[]> {
  const withRelations = schemas.filter((s) => s.objects.some((o) => o.kind !== "sequence"));
  const single = singleGrantArb(schemas, engine, side);
  const grant = withRelations.length === 0 ? single : fc.oneof({ weight: 3, arbitrary: single }, { weight: 1, arbitrary: fc.constantFrom(...withRelations).chain((s) => wildcardGrantArb(s, engine, side)) });
  return fc.array(grant, { maxLength });
}

function roleSideArb(engine: Engine, login: fc.Arbitrary<boolean>, schemas: readonly SchemaShape[]): fc.Arbitrary<Omit<RoleSide, "parents"> & { parentPicks: boolean[] }> {
  return login.chain((isLogin) =>
    fc.record({
      login: fc.constant(isLogin),
      // MySQL: MAX_USER_CONNECTIONS is an account's; 0 cannot be said there (RC0908).
      connectionLimit:
        engine === "postgres" ? fc.constantFrom(undefined, undefined, -1, 0, 5, 100) : isLogin ? fc.constantFrom(undefined, undefined, -1, 5, 100) : fc.constant(undefined),
      account: engine === "mysql" && isLogin ? fc.constantFrom(...accountPool) : fc.constant(undefined),
      doc: fc.option(fc.constantFrom(...docPool), { nil: undefined, freq: 3 }),
      parentPicks: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
      adminPicks: fc.array(fc.integer({ min: 0, max: 3 }).map((n) => n === 0), { minLength: 6, maxLength: 6 }),
      attributes: engine === "postgres" ? fc.subarray(["createdb", "createrole", "replication", "bypassrls", "noinherit"]) : fc.constant([]),
      validUntil: engine === "postgres" ? fc.constantFrom(undefined, undefined, "infinity", "2031-02-03T04:05:06Z", "2031-02-03 06:05:06.5+02:00") : fc.constant(undefined),
      settings: engine === "postgres" ? fc.uniqueArray(fc.constantFrom(...settingPool), { maxLength: 3, selector: (s) => s.parameter }) : fc.constant([]),
      predefined: engine === "postgres" ? fc.subarray(["pg_monitor", "pg_read_all_stats", "pg_signal_backend"], { maxLength: 2 }) : fc.constant([]),
      // One line in four declares a grant option.
      schemaGrants:
        engine === "postgres"
          ? fc
              .tuple(fc.subarray(schemas.flatMap((s) => (["usage", "create"] as const).map((verb) => ({ schema: s.base, verb }))), { maxLength: 2 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 2 }))
              .map(([lines, picks]) => lines.map((g, i) => ({ ...g, grantOption: picks[i] === 0 })))
          : fc.constant([]),
      databaseGrants: engine === "postgres" ? fc.oneof(fc.constant([]), fc.subarray(["connect", "temporary", "create"] as const, { minLength: 1 })) : fc.constant([]),
      databaseGrantOption: engine === "postgres" ? fc.integer({ min: 0, max: 3 }).map((n) => n === 0) : fc.constant(false),
      serverGrants: engine === "mysql" ? fc.oneof(fc.constant([]), fc.constant([]), fc.subarray(["process", "replication_client", "replication_slave", "show_databases"], { minLength: 1, maxLength: 2 })) : fc.constant([]),
      databaseSettings: engine === "postgres" ? fc.uniqueArray(fc.constantFrom(...settingPool), { maxLength: 2, selector: (s) => s.parameter }) : fc.constant([]),
      executes: executesArb(schemas, engine, 3),
      typeUsages: typeUsagesArb(schemas, 2),
      defaults: engine === "postgres" ? defaultsArb(schemas, 2) : fc.constant([]),
    }),
  );
}

function roleShapeArb(index: number, schemas: readonly SchemaShape[], engine: Engine): fc.Arbitrary<RoleShape & { pickA: boolean[]; pickB: boolean[] }> {
  return fc
    .record({
      piece: fc.constantFrom(...hostilePieces),
      presence: fc.constantFrom("both", "both", "both", "both", "a", "b"),
      loginA: fc.boolean(),
      loginB: fc.boolean(),
      host: fc.constantFrom(undefined, undefined, "127.0.0.1", "%"),
    })
    .chain(({ piece, presence, loginA, loginB, host }) => {
      return fc
        .record({
          a: roleSideArb(engine, fc.constant(loginA), schemas),
          b: roleSideArb(engine, fc.constant(loginB), schemas),
          shared: grantsArb(schemas, engine, "both", 3),
          onlyA: grantsArb(schemas, engine, "a", 2),
          onlyB: grantsArb(schemas, engine, "b", 2),
        })
        // MariaDB never lets a role named outside ASCII use a routine granted to it (RC0921). And an
        // account of A that is a role in B stays behind, lending the role its routine grants, which
        // plan rightly blocks on (sameNameAccountBlockers): A grants it none.
        .map(({ a, b, ...rest }) => {
          if (engine !== "mysql") return { a, b, ...rest };
          if (!isAscii(piece)) return { a: { ...a, executes: [] }, b: { ...b, executes: [] }, ...rest };
          return presence === "both" && loginA && !loginB ? { a: { ...a, executes: [] }, b, ...rest } : { a, b, ...rest };
        })
        .map(({ a, b, shared, onlyA, onlyB }) => ({
          base: `r${index}${piece}`,
          // An account keeps its host from A to B: moving it to a less specific host leaves the
          // old, more specific account in front of it, which plan rightly blocks on.
          host: engine === "mysql" ? host : undefined,
          inA: presence !== "b",
          inB: presence !== "a",
          a: { adminPicks: a.adminPicks, login: a.login, connectionLimit: a.connectionLimit, account: a.account, doc: a.doc, parents: [], attributes: a.attributes, validUntil: a.validUntil, settings: a.settings, predefined: a.predefined, schemaGrants: a.schemaGrants, databaseGrants: a.databaseGrants, databaseGrantOption: a.databaseGrantOption, serverGrants: a.serverGrants, databaseSettings: a.databaseSettings, executes: a.executes, typeUsages: a.typeUsages, defaults: a.defaults },
          b: { adminPicks: b.adminPicks, login: b.login, connectionLimit: b.connectionLimit, account: b.account, doc: b.doc, parents: [], attributes: b.attributes, validUntil: b.validUntil, settings: b.settings, predefined: b.predefined, schemaGrants: b.schemaGrants, databaseGrants: b.databaseGrants, databaseGrantOption: b.databaseGrantOption, serverGrants: b.serverGrants, databaseSettings: b.databaseSettings, executes: b.executes, typeUsages: b.typeUsages, defaults: b.defaults },
          pickA: a.parentPicks,
          pickB: b.parentPicks,
          shared,
          onlyA,
          onlyB,
        }));
    });
}

/** Parents: earlier roles of the same program (so no cycle); on MySQL only roles without login. */
function withParents(drafts: readonly (RoleShape & { pickA: boolean[]; pickB: boolean[] })[], engine: Engine): RoleShape[] {
  const parentsOf = (i: number, side: "a" | "b", picks: boolean[]) =>
    drafts
      .map((_, j) => j)
      .filter((j) => j < i && picks[j % picks.length] && (side === "a" ? drafts[j]!.inA : drafts[j]!.inB) && !(engine === "mysql" && drafts[j]![side].login));
  return drafts.map(({ pickA, pickB, ...d }, i) => ({ ...d, a: { ...d.a, parents: parentsOf(i, "a", pickA) }, b: { ...d.b, parents: parentsOf(i, "b", pickB) } }));
}

export function transitionArb(engine: Engine): fc.Arbitrary<TransitionShape> {
  return fc
    .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 5 }))
    .chain(([schemaCount, roleCount]) =>
      fc.tuple(...Array.from({ length: schemaCount }, (_, i) => schemaShapeArb(i, engine))).chain((schemas) =>
        fc
          .tuple(...Array.from({ length: roleCount }, (_, i) => roleShapeArb(i, schemas, engine)))
          .map((drafts) => withParents(drafts, engine))
          .chain((roles) =>
            fc
              .tuple(driftArb(schemas, roles, engine), engine === "postgres" ? fc.option(publicShapeArb(schemas), { nil: undefined }) : fc.constant(undefined))
              .map(([drift, publicShape]) => keepCreatorManaged({ engine, schemas, roles, drift, ...(publicShape ? { public: publicShape } : {}) })),
          ),
      ),
    );
}

/**
 * A program that stops naming the creator leaves its defaults alone (but for those on tables and
 * sequences that reach a declared role), which only the state A left can tell; the reference
 * knows one program at a time, so when A names the creator and B does not, A's lines are dropped.
 */
function keepCreatorManaged(shape: TransitionShape): TransitionShape {
  const names = (side: "a" | "b") => shape.roles.some((r) => (side === "a" ? r.inA : r.inB) && r[side].defaults.length > 0) || (shape.public !== undefined && (side === "a" ? shape.public.inA : shape.public.inB) && shape.public[side].defaults.length > 0);
  if (!names("a") || names("b")) return shape;
  return {
    ...shape,
    roles: shape.roles.map((r) => ({ ...r, a: { ...r.a, defaults: [] } })),
    ...(shape.public ? { public: { ...shape.public, a: { ...shape.public.a, defaults: [] } } } : {}),
  };
}

function publicShapeArb(schemas: readonly SchemaShape[]): fc.Arbitrary<PublicShape> {
  const side = (which: Side) =>
    fc.record({
      grants: grantsArb(schemas, "postgres", which, 2),
      schemaGrants: fc.subarray(schemas.flatMap((s) => (["usage", "create"] as const).map((verb) => ({ schema: s.base, verb }))), { maxLength: 2 }),
      databaseGrants: fc.oneof(fc.constant([]), fc.subarray(["connect", "temporary", "create"] as const, { minLength: 1 })),
      executes: executesArb(schemas, "postgres", 2),
      typeUsages: typeUsagesArb(schemas, 1),
      defaults: defaultsArb(schemas, 1),
    });
  return fc.record({ inA: fc.boolean(), inB: fc.boolean(), a: side("a"), b: side("b") });
}

/** Names for one case: every role starts with `rolePrefix`, every schema with `schemaPrefix`. */
export interface CaseNames {
  readonly rolePrefix: string;
  readonly schemaPrefix: string;
}

export function instantiate(shape: TransitionShape, names: CaseNames): Transition {
  const schema = (base: string) => `${names.schemaPrefix}${base}`;
  const role = (base: string) => `${names.rolePrefix}${base}`;
  const rename = (g: GeneratedGrant): GeneratedGrant => ({ ...g, schema: schema(g.schema) });
  const execute = (e: ExecuteShape): GeneratedExecute => {
    const option = e.grantOption ? { grantOption: true as const } : {};
    if (e.routine === "*") return { schema: schema(e.schema), routine: "*", ...option };
    const routine = shape.schemas.find((s) => s.base === e.schema)!.routines[e.routine]!;
    return { schema: schema(e.schema), routine: String(e.routine), ...(e.spelling === "name" ? {} : { args: routine.args.map((t) => argTypeSpellings[t]![e.spelling === "declared" ? 0 : 1]) }), ...option };
  };
  const typeUsage = (u: { schema: string; type: string; grantOption?: boolean }) => ({ schema: schema(u.schema), type: u.type, ...(u.grantOption ? { grantOption: true as const } : {}) });
  const creator = role(creatorBase);
  const futureLine = (d: DefaultShape): GeneratedDefault => ({ creator, schema: d.schema === null ? null : schema(d.schema), objects: d.objects, verbs: d.verbs, ...(d.grantOption ? { grantOption: true as const } : {}) });
  const publicSide = (side: "a" | "b") => {
    const p = shape.public;
    if (!p || !(side === "a" ? p.inA : p.inB)) return {};
    const s = p[side];
    // PUBLIC never holds a grant option (RC0407).
    return { public: { grants: s.grants.map(({ grantOption: _, ...g }) => rename(g)), schemaGrants: s.schemaGrants.map((g) => ({ schema: schema(g.schema), verb: g.verb })), databaseGrants: s.databaseGrants, executes: s.executes.map((e) => execute({ ...e, grantOption: false })), typeUsages: s.typeUsages.map((u) => typeUsage({ ...u, grantOption: false })), defaults: s.defaults.map((d) => futureLine({ ...d, grantOption: false })) } };
  };
  const program = (side: "a" | "b"): GeneratedProgram => ({
    ...publicSide(side),
    schemas: shape.schemas.map((s) => ({
      name: schema(s.base),
      objects: s.objects.map((o): GeneratedObject => ({
        kind: o.kind,
        name: o.base,
        columns: o.columns,
        appendOnly: side === "a" ? o.appendOnlyA : o.appendOnlyB,
        ...(o.partitions.length > 0 ? { partitions: o.partitions } : {}),
      })),
      routines: s.routines.map((r, i) => ({ kind: r.kind, name: r.base, args: r.args.map((t) => argTypeSpellings[t]![0]), id: String(i) })),
      types: s.types.map((t) => ({ kind: t.kind, name: t.base })),
    })),
    roles: shape.roles
      .filter((r) => (side === "a" ? r.inA : r.inB))
      .map((r): GeneratedRole => {
        const s = r[side];
        return {
          name: role(r.base),
          login: s.login,
          ...(s.connectionLimit !== undefined ? { connectionLimit: s.connectionLimit } : {}),
          ...(s.account !== undefined && s.login ? { account: s.account } : {}),
          ...(r.host !== undefined && s.login ? { host: r.host } : {}),
          ...(s.doc !== undefined ? { doc: s.doc } : {}),
          ...(s.attributes.length > 0 ? { attributes: s.attributes } : {}),
          ...(s.validUntil !== undefined ? { validUntil: s.validUntil } : {}),
          ...(s.settings.length > 0 ? { settings: s.settings } : {}),
          ...(s.schemaGrants.length > 0 ? { schemaGrants: s.schemaGrants.map((g) => ({ schema: schema(g.schema), verb: g.verb, ...(g.grantOption ? { grantOption: true as const } : {}) })) } : {}),
          ...(s.databaseGrants.length > 0 ? { databaseGrants: s.databaseGrants, ...(s.databaseGrantOption ? { databaseGrantOption: true as const } : {}) } : {}),
          ...(s.serverGrants.length > 0 ? { serverGrants: s.serverGrants } : {}),
          ...(s.databaseSettings.length > 0 ? { databaseSettings: s.databaseSettings } : {}),
          ...(s.executes.length > 0 ? { executes: s.executes.map(execute) } : {}),
          ...(s.typeUsages.length > 0 ? { typeUsages: s.typeUsages.map(typeUsage) } : {}),
          ...(s.defaults.length > 0 ? { defaults: s.defaults.map(futureLine) } : {}),
          memberOf: [...s.parents.map((p) => role(shape.roles[p]!.base)), ...s.predefined],
          ...(s.parents.some((p) => s.adminPicks[p % 6]) ? { adminOf: s.parents.filter((p) => s.adminPicks[p % 6]).map((p) => role(shape.roles[p]!.base)) } : {}),
          grants: [...r.shared, ...(side === "a" ? r.onlyA : r.onlyB)].map(rename),
        };
      }),
  });
  const a = program("a");
  const principal = (i: number) => {
    const r = shape.roles[i]!;
    return { name: role(r.base), login: r.a.login, host: r.host ?? "%" };
  };
  const drift = shape.drift.map((d) => resolveDrift(d, { schema, role, principal }));
  const extra = shape.drift.flatMap((d) => (d.kind === "extra-role" ? [role(d.name)] : []));
  return {
    engine: shape.engine,
    names,
    a,
    b: program("b"),
    drift,
    baseSchema: `${names.schemaPrefix}base`,
    creator,
    roleNames: [...new Set([...shape.roles.map((r) => role(r.base)), ...extra, creator])],
    leavingAppendOnly: shape.schemas.flatMap((s) =>
      s.objects.filter((o) => o.appendOnlyA && !o.appendOnlyB).flatMap((o) => [o.base, ...o.partitions].map((name) => ({ schema: schema(s.base), name }))),
    ),
  };
}
