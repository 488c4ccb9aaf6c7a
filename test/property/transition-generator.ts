import fc from "fast-check";
import { columnPool, hostilePieces, type GeneratedGrant, type GeneratedObject, type GeneratedProgram, type GeneratedRole } from "./program-generator.js";

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

interface ObjectShape {
  readonly kind: "table" | "view" | "sequence";
  readonly base: string;
  readonly columns: readonly string[];
  /** PostgreSQL only: a partitioned table's partitions (MySQL ignores `partitions (...)`). */
  readonly partitions: readonly string[];
  readonly appendOnlyA: boolean;
  readonly appendOnlyB: boolean;
}

interface SchemaShape {
  readonly base: string;
  readonly objects: readonly ObjectShape[];
}

/** Which program a grant list is valid in: A, B, or both (then an object counts as append-only if it is in either). */
type Side = "a" | "b" | "both";

interface RoleSide {
  readonly login: boolean;
  readonly connectionLimit: number | undefined;
  readonly doc: string | undefined;
  readonly parents: readonly number[];
}

interface RoleShape {
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

/** An object of the schema by position, with base names; instantiated with the case's names. */
export interface ObjectRef {
  readonly schema: string;
  readonly object: string;
}

/**
 * A change made by hand after A was applied. `role`, `grantee`, `child`... are role indices into
 * the case's roles (present in A); "PUBLIC" is every role.
 */
export type Drift =
  | { readonly kind: "grant"; readonly grantee: number | "PUBLIC"; readonly on: ObjectRef; readonly privilege: string; readonly columns?: readonly string[]; readonly grantOption: boolean }
  | { readonly kind: "schema"; readonly grantee: number | "PUBLIC"; readonly schema: string; readonly privilege: "USAGE" | "CREATE"; readonly grantOption: boolean }
  | { readonly kind: "database"; readonly grantee: number | "PUBLIC"; readonly schema: string; readonly pattern: boolean; readonly privileges: readonly string[]; readonly grantOption: boolean }
  | { readonly kind: "global"; readonly grantee: number; readonly privilege: string }
  | { readonly kind: "member"; readonly child: number; readonly parent: number; readonly admin: boolean }
  | { readonly kind: "predefined"; readonly child: number; readonly parent: string }
  | { readonly kind: "attribute"; readonly role: number; readonly attribute: string }
  | { readonly kind: "extra-role"; readonly name: string; readonly member: number; readonly grants: readonly { readonly on: ObjectRef; readonly privilege: string }[] }
  | { readonly kind: "granted-by"; readonly grantor: number; readonly grantee: number | "PUBLIC"; readonly on: ObjectRef; readonly privilege: string }
  | { readonly kind: "default-privileges"; readonly grantee: number; readonly schema: string; readonly privilege: string }
  | { readonly kind: "comment"; readonly role: number; readonly text: string }
  | { readonly kind: "max-connections"; readonly role: number; readonly limit: number }
  | { readonly kind: "default-role"; readonly role: number; readonly to: number | "NONE" }
  // Drift that takes away: what A granted may have been revoked by hand.
  | { readonly kind: "revoke"; readonly grantee: number | "PUBLIC"; readonly on: ObjectRef }
  | { readonly kind: "revoke-member"; readonly child: number; readonly parent: number }
  | { readonly kind: "revoke-all"; readonly grantee: number };

export interface TransitionShape {
  readonly engine: Engine;
  readonly schemas: readonly SchemaShape[];
  readonly roles: readonly RoleShape[];
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
  /** Tables append-only in A and not in B: PostgreSQL asks for them to be given a real owner by hand first. */
  readonly leavingAppendOnly: readonly { readonly schema: string; readonly name: string }[];
}

/** Drift with names instead of indices: roles as { name, login, host }, objects by schema and name. */
export type ResolvedDrift = ReturnType<typeof resolveDrift>;

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
    .chain(([piece, count]) => fc.tuple(fc.constant(`s${index}${piece}`), fc.tuple(...Array.from({ length: count }, (_, i) => objectShapeArb(i, engine)))))
    .map(([base, objects]) => ({ base, objects }));

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
  const targets = schemas.flatMap((s) => s.objects.map((o) => ({ schema: s.base, o })));
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
      })
      .map(({ all, verbs, columnsFor, except }): GeneratedGrant => {
        const chosen: GeneratedGrant["verbs"][number][] = all ? [{ verb: "all" }] : verbs.map((verb, i) => (columnVerbs.has(verb) && o.kind !== "sequence" && columnsFor[i]?.length ? { verb, columns: columnsFor[i]! } : { verb }));
        // `except s.t(cols)` must remove columns some column verb of the line covers (RC0601).
        const covered = new Set<string>();
        for (const v of all ? kindVerbs(o.kind, "postgres").filter((x) => !(appendOnly && appendOnlyForbidden.has(x))).map((verb) => ({ verb })) : chosen) {
          if (columnVerbs.has(v.verb) && o.kind !== "sequence") for (const c of ("columns" in v ? v.columns : undefined) ?? o.columns) covered.add(c);
        }
        const removable = (except ?? []).filter((c) => covered.has(c));
        return { verbs: chosen, schema, object: o.base, except: removable.length > 0 ? [{ object: o.base, columns: removable }] : [] };
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
    })
    .map(({ all, verbs, excluded, columnPicks }): GeneratedGrant => {
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
      return { verbs: granted.map((verb) => ({ verb })), schema: schema.base, object: "*", except };
    });
}

function grantsArb(schemas: readonly SchemaShape[], engine: Engine, side: Side, maxLength: number): fc.Arbitrary<GeneratedGrant[]> {
  const withRelations = schemas.filter((s) => s.objects.some((o) => o.kind !== "sequence"));
  const single = singleGrantArb(schemas, engine, side);
  const grant = withRelations.length === 0 ? single : fc.oneof({ weight: 3, arbitrary: single }, { weight: 1, arbitrary: fc.constantFrom(...withRelations).chain((s) => wildcardGrantArb(s, engine, side)) });
  return fc.array(grant, { maxLength });
}

function roleSideArb(engine: Engine, login: fc.Arbitrary<boolean>): fc.Arbitrary<Omit<RoleSide, "parents"> & { parentPicks: boolean[] }> {
  return login.chain((isLogin) =>
    fc.record({
      login: fc.constant(isLogin),
      // MySQL: MAX_USER_CONNECTIONS is an account's; 0 cannot be said there (RC0908).
      connectionLimit:
        engine === "postgres" ? fc.constantFrom(undefined, undefined, -1, 0, 5, 100) : isLogin ? fc.constantFrom(undefined, undefined, -1, 5, 100) : fc.constant(undefined),
      doc: fc.option(fc.constantFrom(...docPool), { nil: undefined, freq: 3 }),
      parentPicks: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
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
          a: roleSideArb(engine, fc.constant(loginA)),
          b: roleSideArb(engine, fc.constant(loginB)),
          shared: grantsArb(schemas, engine, "both", 3),
          onlyA: grantsArb(schemas, engine, "a", 2),
          onlyB: grantsArb(schemas, engine, "b", 2),
        })
        .map(({ a, b, shared, onlyA, onlyB }) => ({
          base: `r${index}${piece}`,
          // An account keeps its host from A to B: moving it to a less specific host leaves the
          // old, more specific account in front of it, which plan rightly blocks on.
          host: engine === "mysql" ? host : undefined,
          inA: presence !== "b",
          inB: presence !== "a",
          a: { login: a.login, connectionLimit: a.connectionLimit, doc: a.doc, parents: [] },
          b: { login: b.login, connectionLimit: b.connectionLimit, doc: b.doc, parents: [] },
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

function driftArb(schemas: readonly SchemaShape[], roles: readonly RoleShape[], engine: Engine): fc.Arbitrary<Drift[]> {
  const inA = roles.map((r, i) => ({ r, i })).filter(({ r }) => r.inA);
  if (inA.length === 0) return fc.constant([]);
  const role = fc.constantFrom(...inA.map(({ i }) => i));
  const grantee = fc.oneof({ weight: 4, arbitrary: role }, { weight: 1, arbitrary: fc.constant("PUBLIC" as const) });
  // Partitions too: a grant made on one by hand must go (they hold nothing of their own).
  const all = schemas.flatMap((s) =>
    s.objects.flatMap((o) => [{ ref: { schema: s.base, object: o.base }, o }, ...o.partitions.map((p) => ({ ref: { schema: s.base, object: p }, o }))]),
  );
  const relations = all.filter(({ o }) => o.kind !== "sequence");
  const schemaName = fc.constantFrom(...schemas.map((s) => s.base));
  const onObject = (pool: typeof all) =>
    fc.constantFrom(...pool).chain(({ ref, o }) => {
      const privileges = privilegesFor(o, engine);
      const columns = o.columns.length > 0 ? fc.option(fc.subarray([...o.columns], { minLength: 1 }), { nil: undefined }) : fc.constant(undefined);
      return fc.record({ on: fc.constant(ref), privilege: fc.constantFrom(...privileges), columns }).map((g) => ({
        ...g,
        // Only per-column privileges take a column list.
        columns: o.kind !== "sequence" && columnVerbs.has(g.privilege.toLowerCase()) ? g.columns : undefined,
      }));
    });
  const pool = engine === "postgres" ? all : relations;
  if (pool.length === 0) return fc.constant([]);
  const kinds: fc.Arbitrary<Drift>[] = [
    fc.record({ g: onObject(pool), grantee, grantOption: fc.boolean() }).map(({ g, grantee, grantOption }) => ({ kind: "grant" as const, grantee, ...g, grantOption })),
    fc.record({ name: fc.constantFrom("x0", "x1"), member: role, grants: fc.array(onObject(pool).map(({ on, privilege }) => ({ on, privilege })), { minLength: 1, maxLength: 2 }) }).map((x) => ({ kind: "extra-role" as const, ...x })),
  ];
  // Memberships between the case's roles run from a later role to an earlier one, as in the programs, so no cycle.
  const pairs = inA.flatMap(({ i: child }) => inA.filter(({ r, i }) => i < child && !(engine === "mysql" && r.a.login)).map(({ i: parent }) => ({ child, parent })));
  if (pairs.length > 0) kinds.push(fc.record({ pair: fc.constantFrom(...pairs), admin: fc.boolean() }).map(({ pair, admin }) => ({ kind: "member" as const, ...pair, admin })));
  if (pairs.length > 0 && engine === "postgres") kinds.push(fc.constantFrom(...pairs).map((pair) => ({ kind: "revoke-member" as const, ...pair })));
  if (engine === "postgres") {
    kinds.push(
      fc
        .oneof(
          fc.record({ grantee: role, privilege: fc.constantFrom("USAGE" as const, "CREATE" as const) }),
          // PUBLIC keeps USAGE on a schema (README: plan leaves it); CREATE it may not keep.
          fc.record({ grantee: fc.constant("PUBLIC" as const), privilege: fc.constant("CREATE" as const) }),
        )
        .chain((s) => fc.record({ schema: schemaName, grantOption: fc.boolean() }).map((rest) => ({ kind: "schema" as const, ...s, ...rest }))),
      fc.record({ child: role, parent: fc.constantFrom("pg_read_all_data", "pg_write_all_data", "pg_signal_backend") }).map((p) => ({ kind: "predefined" as const, ...p })),
      fc.record({ role, attribute: fc.constantFrom("CONNECTION LIMIT 3", "CREATEDB", "CREATEROLE", "NOINHERIT", "LOGIN", "NOLOGIN", "BYPASSRLS", "REPLICATION", "SUPERUSER") }).map((a) => ({ kind: "attribute" as const, ...a })),
      fc
        .record({ grantor: role, grantee: fc.oneof(role, fc.constant("PUBLIC" as const)), g: onObject(all) })
        .map(({ grantor, grantee, g }) => ({ kind: "granted-by" as const, grantor, grantee: grantee === grantor ? ("PUBLIC" as const) : grantee, on: g.on, privilege: g.privilege })),
      fc.record({ grantee: role, schema: schemaName, privilege: fc.constantFrom("SELECT", "INSERT", "DELETE") }).map((d) => ({ kind: "default-privileges" as const, ...d })),
      fc.record({ role, text: fc.constantFrom("set by hand", "it's drifted") }).map((c) => ({ kind: "comment" as const, ...c })),
      fc.record({ grantee, g: onObject(all) }).map(({ grantee, g }) => ({ kind: "revoke" as const, grantee, on: g.on })),
    );
  } else {
    const accounts = inA.filter(({ r }) => r.a.login).map(({ i }) => i);
    // Not to an account whose role turns into a plain role in B: MariaDB would lend the role that
    // account's database grants, and plan rightly blocks on it (test/live/mysql-login-paths.test.ts).
    const keepsKind = inA.filter(({ r }) => !r.inB || r.a.login === r.b.login).map(({ i }) => i);
    const databaseGrantee = keepsKind.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keepsKind) }, { weight: 1, arbitrary: fc.constant("PUBLIC" as const) }) : fc.constant("PUBLIC" as const);
    kinds.push(
      fc
        .record({ grantee: databaseGrantee, schema: schemaName, pattern: fc.boolean(), privileges: fc.subarray(["SELECT", "INSERT", "UPDATE", "DELETE", "DROP", "CREATE"], { minLength: 1 }), grantOption: fc.boolean() })
        .map((d) => ({ kind: "database" as const, ...d })),
      fc.record({ grantee: role, privilege: fc.constantFrom("SELECT", "INSERT", "UPDATE", "DELETE") }).map((g) => ({ kind: "global" as const, ...g })),
    );
    const plainRoles = inA.filter(({ r }) => !r.a.login).map(({ i }) => i);
    if (accounts.length > 0) {
      const account = fc.constantFrom(...accounts);
      kinds.push(
        fc.record({ role: account, limit: fc.constantFrom(0, 2, 50) }).map((m) => ({ kind: "max-connections" as const, ...m })),
        // A default role must be granted first; the drift grants it.
        fc.record({ role: account, to: plainRoles.length > 0 ? fc.oneof(fc.constant("NONE" as const), fc.constantFrom(...plainRoles)) : fc.constant("NONE" as const) }).map((d) => ({ kind: "default-role" as const, ...d })),
        // Accounts only: MariaDB 10.11 refuses REVOKE ALL from a role that holds a role with table
        // privileges (1141, naming the other role's table), as if it held them itself.
        account.map((grantee) => ({ kind: "revoke-all" as const, grantee })),
      );
    }
  }
  return fc.array(fc.oneof(...kinds), { maxLength: 6 });
}

/** Privileges a person might grant on an object by hand, the language's and the engine's own. */
function privilegesFor(o: ObjectShape, engine: Engine): string[] {
  if (engine === "postgres") {
    if (o.kind === "sequence") return ["USAGE", "SELECT", "UPDATE"];
    // PostgreSQL takes every table privilege on a view too, truncate and references included.
    return ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];
  }
  if (o.kind === "view") return ["SELECT", "INSERT", "UPDATE", "DELETE", "SHOW VIEW", "DROP"];
  return ["SELECT", "INSERT", "UPDATE", "DELETE", "REFERENCES", "TRIGGER", "DROP", "ALTER", "INDEX", "CREATE VIEW"];
}

export function transitionArb(engine: Engine): fc.Arbitrary<TransitionShape> {
  return fc
    .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 5 }))
    .chain(([schemaCount, roleCount]) =>
      fc.tuple(...Array.from({ length: schemaCount }, (_, i) => schemaShapeArb(i, engine))).chain((schemas) =>
        fc
          .tuple(...Array.from({ length: roleCount }, (_, i) => roleShapeArb(i, schemas, engine)))
          .map((drafts) => withParents(drafts, engine))
          .chain((roles) => driftArb(schemas, roles, engine).map((drift) => ({ engine, schemas, roles, drift }))),
      ),
    );
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
  const program = (side: "a" | "b"): GeneratedProgram => ({
    schemas: shape.schemas.map((s) => ({
      name: schema(s.base),
      objects: s.objects.map((o): GeneratedObject => ({
        kind: o.kind,
        name: o.base,
        columns: o.columns,
        appendOnly: side === "a" ? o.appendOnlyA : o.appendOnlyB,
        ...(o.partitions.length > 0 ? { partitions: o.partitions } : {}),
      })),
    })),
    roles: shape.roles
      .filter((r) => (side === "a" ? r.inA : r.inB))
      .map((r): GeneratedRole => {
        const s = r[side];
        return {
          name: role(r.base),
          login: s.login,
          ...(s.connectionLimit !== undefined ? { connectionLimit: s.connectionLimit } : {}),
          ...(r.host !== undefined && s.login ? { host: r.host } : {}),
          ...(s.doc !== undefined ? { doc: s.doc } : {}),
          memberOf: s.parents.map((p) => role(shape.roles[p]!.base)),
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
    roleNames: [...new Set([...shape.roles.map((r) => role(r.base)), ...extra])],
    leavingAppendOnly: shape.schemas.flatMap((s) =>
      s.objects.filter((o) => o.appendOnlyA && !o.appendOnlyB).flatMap((o) => [o.base, ...o.partitions].map((name) => ({ schema: schema(s.base), name }))),
    ),
  };
}

interface Resolver {
  readonly schema: (base: string) => string;
  readonly role: (base: string) => string;
  readonly principal: (index: number) => { name: string; login: boolean; host: string };
}

function resolveDrift(d: Drift, n: Resolver) {
  const on = (ref: ObjectRef) => ({ schema: n.schema(ref.schema), name: ref.object });
  const who = (g: number | "PUBLIC") => (g === "PUBLIC" ? ("PUBLIC" as const) : n.principal(g));
  switch (d.kind) {
    case "grant":
      return { ...d, grantee: who(d.grantee), on: on(d.on) };
    case "schema":
      return { ...d, grantee: who(d.grantee), schema: n.schema(d.schema) };
    case "database":
      return { ...d, grantee: who(d.grantee), schema: n.schema(d.schema) };
    case "global":
      return { ...d, grantee: n.principal(d.grantee) };
    case "member":
      return { ...d, child: n.principal(d.child), parent: n.principal(d.parent) };
    case "predefined":
      return { ...d, child: n.principal(d.child) };
    case "attribute":
    case "comment":
    case "max-connections":
      return { ...d, role: n.principal(d.role) };
    case "extra-role":
      return { ...d, name: n.role(d.name), member: n.principal(d.member), grants: d.grants.map((g) => ({ ...g, on: on(g.on) })) };
    case "granted-by":
      return { ...d, grantor: n.principal(d.grantor), grantee: who(d.grantee), on: on(d.on) };
    case "default-privileges":
      return { ...d, grantee: n.principal(d.grantee), schema: n.schema(d.schema) };
    case "default-role":
      return { ...d, role: n.principal(d.role), to: d.to === "NONE" ? ("NONE" as const) : n.principal(d.to) };
    case "revoke":
      return { ...d, grantee: who(d.grantee), on: on(d.on) };
    case "revoke-member":
      return { ...d, child: n.principal(d.child), parent: n.principal(d.parent) };
    case "revoke-all":
      return { ...d, grantee: n.principal(d.grantee) };
  }
}
