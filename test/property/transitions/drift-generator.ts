import fc from "fast-check";
import { isAscii } from "../program-generator.js";
import type { Engine, ObjectShape, RoleShape, SchemaShape } from "../transition-generator.js";

/**
 * Drift for the transition tests: changes a person makes by hand on the database after A was
 * applied, that B's apply (or nothing, for a migration) must undo where they touch what the files
 * manage. Generated with role and object indices; resolved to the case's names by the generator.
 */

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
  | { readonly kind: "pg-database"; readonly grantee: number; readonly privilege: "CONNECT" | "TEMPORARY" | "CREATE"; readonly grantOption: boolean }
  | { readonly kind: "member"; readonly child: number; readonly parent: number; readonly admin: boolean }
  | { readonly kind: "predefined"; readonly child: number; readonly parent: string }
  | { readonly kind: "attribute"; readonly role: number; readonly attribute: string }
  | { readonly kind: "extra-role"; readonly name: string; readonly member: number; readonly grants: readonly { readonly on: ObjectRef; readonly privilege: string }[] }
  | { readonly kind: "granted-by"; readonly grantor: number; readonly grantee: number | "PUBLIC"; readonly on: ObjectRef; readonly privilege: string }
  | { readonly kind: "default-privileges"; readonly grantee: number; readonly schema: string; readonly privilege: string }
  // PostgreSQL: the programs' creator's default privileges changed by hand (ALTER DEFAULT PRIVILEGES FOR ROLE creator ...).
  | { readonly kind: "creator-default"; readonly grantee: number | "PUBLIC"; readonly schema: string | null; readonly objects: "TABLES" | "FUNCTIONS" | "TYPES"; readonly privilege: string; readonly revoke: boolean }
  | { readonly kind: "comment"; readonly role: number; readonly text: string }
  // PostgreSQL: a role-wide setting set or reset by hand (the clause after ALTER ROLE name).
  | { readonly kind: "setting"; readonly role: number; readonly clause: string }
  | { readonly kind: "max-connections"; readonly role: number; readonly limit: number }
  /** MySQL/MariaDB: ALTER USER with account options set by hand (REQUIRE, hourly limits, PASSWORD EXPIRE). */
  | { readonly kind: "account-options"; readonly role: number; readonly clause: string }
  | { readonly kind: "default-role"; readonly role: number; readonly to: number | "NONE" }
  // Drift that takes away: what A granted may have been revoked by hand.
  | { readonly kind: "revoke"; readonly grantee: number | "PUBLIC"; readonly on: ObjectRef }
  | { readonly kind: "revoke-member"; readonly child: number; readonly parent: number }
  | { readonly kind: "revoke-all"; readonly grantee: number }
  // MySQL/MariaDB: privileges on a declared routine granted by hand (EXECUTE, ALTER ROUTINE).
  | { readonly kind: "routine"; readonly grantee: number | "PUBLIC"; readonly schema: string; readonly name: string; readonly routineKind: "function" | "procedure"; readonly privileges: readonly string[]; readonly grantOption: boolean };


/** The base name of the role the programs' default privileges name as their creator (it is declared by none). */
export const creatorBase = 'mk"; --';

/** Drift with names instead of indices: roles as { name, login, host }, objects by schema and name. */
export type ResolvedDrift = ReturnType<typeof resolveDrift>;

const columnVerbs = new Set(["select", "insert", "update", "references"]);

export function driftArb(schemas: readonly SchemaShape[], roles: readonly RoleShape[], engine: Engine): fc.Arbitrary<Drift[]> {
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
      fc.record({ child: role, parent: fc.constantFrom("pg_read_all_data", "pg_write_all_data", "pg_signal_backend", "pg_monitor") }).map((p) => ({ kind: "predefined" as const, ...p })),
      fc.record({ role, attribute: fc.constantFrom("CONNECTION LIMIT 3", "CREATEDB", "CREATEROLE", "NOINHERIT", "LOGIN", "NOLOGIN", "BYPASSRLS", "REPLICATION", "SUPERUSER") }).map((a) => ({ kind: "attribute" as const, ...a })),
      fc
        .record({ grantor: role, grantee: fc.oneof(role, fc.constant("PUBLIC" as const)), g: onObject(all) })
        .map(({ grantor, grantee, g }) => ({ kind: "granted-by" as const, grantor, grantee: grantee === grantor ? ("PUBLIC" as const) : grantee, on: g.on, privilege: g.privilege })),
      fc.record({ grantee: role, schema: schemaName, privilege: fc.constantFrom("SELECT", "INSERT", "DELETE") }).map((d) => ({ kind: "default-privileges" as const, ...d })),
      fc
        .record({
          grantee,
          schema: fc.option(schemaName, { nil: null }),
          on: fc.constantFrom({ objects: "TABLES" as const, privilege: "SELECT" }, { objects: "TABLES" as const, privilege: "UPDATE" }, { objects: "FUNCTIONS" as const, privilege: "EXECUTE" }, { objects: "TYPES" as const, privilege: "USAGE" }),
          revoke: fc.boolean(),
        })
        .map(({ grantee, schema, on, revoke }) => ({ kind: "creator-default" as const, grantee, schema, ...on, revoke })),
      fc.record({ role, text: fc.constantFrom("set by hand", "it's drifted") }).map((c) => ({ kind: "comment" as const, ...c })),
      fc.record({ grantee: role, privilege: fc.constantFrom("CONNECT" as const, "TEMPORARY" as const, "CREATE" as const), grantOption: fc.boolean() }).map((d) => ({ kind: "pg-database" as const, ...d })),
      fc
        .record({ role, clause: fc.constantFrom("SET work_mem = '1MB'", "SET statement_timeout = '1s'", "SET search_path = public", "RESET ALL") })
        .map((c) => ({ kind: "setting" as const, ...c })),
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
      fc.record({ grantee: role, privilege: fc.constantFrom("SELECT", "INSERT", "UPDATE", "DELETE", "PROCESS", "REPLICATION CLIENT", "SUPER", "BINLOG ADMIN") }).map((g) => ({ kind: "global" as const, ...g })),
    );
    const routines = schemas.flatMap((s) => s.routines.map((r) => ({ schema: s.base, name: r.base, routineKind: r.kind })));
    // Not to a role named outside ASCII: MariaDB stores such a grant under another name, where it
    // never takes effect (RC0921); nor, as above, to an account that is a role in B.
    const asciiRoles = keepsKind.filter((i) => isAscii(roles[i]!.base));
    if (routines.length > 0) {
      const routineGrantee = asciiRoles.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...asciiRoles) }, { weight: 1, arbitrary: fc.constant("PUBLIC" as const) }) : fc.constant("PUBLIC" as const);
      kinds.push(
        fc
          .record({ grantee: routineGrantee, routine: fc.constantFrom(...routines), privileges: fc.subarray(["EXECUTE", "ALTER ROUTINE"], { minLength: 1 }), grantOption: fc.boolean() })
          .map(({ routine, ...d }) => ({ kind: "routine" as const, ...routine, ...d })),
      );
    }
    const plainRoles = inA.filter(({ r }) => !r.a.login).map(({ i }) => i);
    if (accounts.length > 0) {
      const account = fc.constantFrom(...accounts);
      kinds.push(
        fc.record({ role: account, limit: fc.constantFrom(0, 2, 50) }).map((m) => ({ kind: "max-connections" as const, ...m })),
        fc
          .record({
            role: account,
            clause: fc.constantFrom("REQUIRE X509 WITH MAX_QUERIES_PER_HOUR 7 PASSWORD EXPIRE INTERVAL 3 DAY", "REQUIRE SUBJECT '/CN=drift'", "REQUIRE NONE PASSWORD EXPIRE NEVER", "WITH MAX_UPDATES_PER_HOUR 9 MAX_CONNECTIONS_PER_HOUR 0"),
          })
          .map((d) => ({ kind: "account-options" as const, ...d })),
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

export interface Resolver {
  readonly schema: (base: string) => string;
  readonly role: (base: string) => string;
  readonly principal: (index: number) => { name: string; login: boolean; host: string };
}

export function resolveDrift(d: Drift, n: Resolver) {
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
    case "pg-database":
      return { ...d, grantee: n.principal(d.grantee) };
    case "member":
      return { ...d, child: n.principal(d.child), parent: n.principal(d.parent) };
    case "predefined":
      return { ...d, child: n.principal(d.child) };
    case "attribute":
    case "comment":
    case "setting":
    case "max-connections":
    case "account-options":
      return { ...d, role: n.principal(d.role) };
    case "extra-role":
      return { ...d, name: n.role(d.name), member: n.principal(d.member), grants: d.grants.map((g) => ({ ...g, on: on(g.on) })) };
    case "granted-by":
      return { ...d, grantor: n.principal(d.grantor), grantee: who(d.grantee), on: on(d.on) };
    case "default-privileges":
      return { ...d, grantee: n.principal(d.grantee), schema: n.schema(d.schema) };
    case "creator-default":
      return { ...d, grantee: who(d.grantee), schema: d.schema === null ? null : n.schema(d.schema), creator: n.role(creatorBase) };
    case "default-role":
      return { ...d, role: n.principal(d.role), to: d.to === "NONE" ? ("NONE" as const) : n.principal(d.to) };
    case "revoke":
      return { ...d, grantee: who(d.grantee), on: on(d.on) };
    case "revoke-member":
      return { ...d, child: n.principal(d.child), parent: n.principal(d.parent) };
    case "revoke-all":
      return { ...d, grantee: n.principal(d.grantee) };
    case "routine":
      return { ...d, grantee: who(d.grantee), schema: n.schema(d.schema) };
  }
}
