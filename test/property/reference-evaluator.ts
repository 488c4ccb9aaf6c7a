import type { GeneratedObject, GeneratedProgram } from "./program-generator.js";

/**
 * An oracle for what a program allows, written from docs/language.md alone and sharing no code
 * with rolec's checker, model, emitters or planners: given the generator's description of a
 * program (not its .roles text, and not rolec's model of it), it says for every role, object,
 * verb and column whether the role may do it once the program is applied.
 *
 * What it follows, section by section of the document:
 * - "Grants": `schema.*` is every table and view of the schema, never a sequence; a verb reaches
 *   the objects it fits; `verb (a, b)` is those columns only; `except s.o` takes the object out of
 *   the line; `except s.o(c)` takes columns out of the per-column verbs (select, insert, update,
 *   references), which then hold the remaining columns, while delete, truncate and trigger keep
 *   the whole object; `all` is every verb of the object's kind.
 * - The verb table: which verb applies to tables, views and sequences.
 * - "Append-only tables": what `all` or `*` would give on one is narrowed to select and insert.
 * - "Roles": effective privileges are a role's own plus those of every role it is a member of,
 *   transitively; a role holds nothing else (no other membership, no powers).
 * - "Grant options": `... with grant option` lets the role grant those verbs on those whole
 *   objects (EXECUTE on those routines, USAGE on those types) to others, and so its members (who
 *   inherit it as any privilege); no other role holds one, PUBLIC never.
 *   A `noinherit` role holds none of its parents' (it must SET ROLE), and its members hold its
 *   own but not its parents': the chain stops at it.
 * - "Any grant on an object implies USAGE on its schema"; "Privileges on schemas": `usage on
 *   schema s` and `create on schema s` give exactly those, inherited like any grant; `on
 *   database` likewise, once the program says anything of the database.
 * - "Schemas and objects": partitions are reached through their parent; a line naming a
 *   partition grants on it (a table with its table's columns, append-only with it), and `s.*`
 *   never reaches one.
 * - "Functions and procedures": `execute on s.f(types)` (or `s.f`) gives EXECUTE on that routine,
 *   `execute on s.*` on every routine of the schema; EXECUTE comes with USAGE on the schema, but
 *   PUBLIC's does not; without a `public` block PUBLIC holds nothing on a declared routine.
 * - "Types and domains": `usage on s.t` gives USAGE on it, as EXECUTE is given on a routine.
 * - "Default privileges": a creator some line names holds, for every schema and in each schema,
 *   exactly the default privileges the lines give the declared roles and PUBLIC (`all` is every
 *   verb of the kind), PostgreSQL's built-in ones included: none but those.
 * - "Compiling for MySQL and MariaDB": no truncate (and `all` leaves it out), views take no
 *   trigger, sequences do not exist; there are no schema privileges to speak of.
 */

export type Engine = "postgres" | "mysql";
export type Verb = "select" | "insert" | "update" | "delete" | "truncate" | "references" | "trigger" | "usage";

/** Per-column verbs: they may be granted on some columns only. */
export const perColumnVerbs: ReadonlySet<Verb> = new Set<Verb>(["select", "insert", "update", "references"]);

const verbsByKind: Record<GeneratedObject["kind"], readonly Verb[]> = {
  table: ["select", "insert", "update", "delete", "truncate", "references", "trigger"],
  view: ["select", "insert", "update", "delete", "trigger"],
  sequence: ["select", "update", "usage"],
};

/** What an append-only table may be granted: "rows may only be read and inserted". */
const appendOnlyAllowed: ReadonlySet<Verb> = new Set<Verb>(["select", "insert"]);

/** The verbs a kind of object takes on an engine: the verb table, less MySQL's exceptions. */
export function verbsOf(kind: GeneratedObject["kind"], engine: Engine): readonly Verb[] {
  if (engine === "postgres") return verbsByKind[kind];
  if (kind === "sequence") return [];
  return verbsByKind[kind].filter((v) => v !== "truncate" && !(kind === "view" && v === "trigger"));
}

/** One verb on one object: on the whole object, and/or on some columns. */
interface Holding {
  whole: boolean;
  readonly columns: Set<string>;
}

export interface ReferenceObject {
  readonly schema: string;
  readonly name: string;
  readonly kind: GeneratedObject["kind"];
  readonly columns: readonly string[];
  readonly appendOnly: boolean;
  /** For a partition, its table: "Partitions are reached through their parent", and hold what lines naming them grant. */
  readonly partitionOf?: string;
}

export interface ReferenceRole {
  readonly name: string;
  readonly login: boolean;
  /** -1: no limit. */
  readonly connectionLimit: number;
  readonly host: string;
  readonly doc: string | null;
  /** Its declared parents, predefined pg_* roles among them. */
  readonly parents: readonly string[];
  /** "with admin option": the parents it holds with ADMIN OPTION, and no other. */
  readonly adminOf: readonly string[];
  /** Exactly the declared attributes (createdb, createrole, replication, bypassrls); never superuser. */
  readonly attributes: readonly string[];
  /**
   * "valid_until": the moment in UTC as `YYYY-MM-DD HH:MM:SS.mmm`, or `infinity`; undefined when
   * the role does not say it, and then whatever it held is left.
   */
  readonly validUntil: string | undefined;
  /**
   * A login role's account, as mysql.user shows it ("Account options"): ssl_type '' (REQUIRE
   * NONE), ANY (require_ssl), X509 (require_x509) or SPECIFIED (an issuer, subject or cipher,
   * each '' where not said); the hourly limits, 0 where not said; the password's lifetime in
   * days, -1 (the server's default) where not said.
   */
  readonly account: { readonly sslType: string; readonly issuer: string; readonly subject: string; readonly cipher: string; readonly maxQuestions: number; readonly maxUpdates: number; readonly maxConnections: number; readonly passwordLifetime: number };
  /** Exactly the declared settings, in every database; no other role-wide setting. */
  readonly settings: readonly { readonly parameter: string; readonly values: readonly string[] }[];
  /** Its `in database` settings, which it holds exactly in the program's database once any role of the program has one. */
  readonly databaseSettings: readonly { readonly parameter: string; readonly values: readonly string[] }[];
}

/** A declared function or procedure: `signature` is its schema, name and declared argument types as SQL writes them. */
export interface ReferenceRoutine {
  readonly schema: string;
  readonly name: string;
  readonly id: string;
  readonly kind: "function" | "procedure";
  readonly args: readonly string[];
}

export interface Reference {
  readonly engine: Engine;
  readonly routines: readonly ReferenceRoutine[];
  /** Whether the role (or PUBLIC) may execute the routine: its own lines, an ancestor's or PUBLIC's. */
  executes(role: string, schema: string, routineId: string): boolean;
  /** Whether the role may grant EXECUTE on the routine to others: a `with grant option` line of its own or an ancestor's. */
  executesWithGrantOption(role: string, schema: string, routineId: string): boolean;
  readonly types: readonly { readonly schema: string; readonly name: string; readonly kind: "type" | "domain" }[];
  /** Whether the role (or PUBLIC) holds USAGE on the type: its own lines, an ancestor's or PUBLIC's. */
  usesType(role: string, schema: string, type: string): boolean;
  /** Whether the role may grant USAGE on the type to others, likewise. */
  usesTypeWithGrantOption(role: string, schema: string, type: string): boolean;
  readonly roles: readonly ReferenceRole[];
  /** The objects that exist on the engine (on MySQL, no sequences). */
  readonly objects: readonly ReferenceObject[];
  /**
   * Whether `role` may `verb` the object: `column` null asks about the whole object (for a
   * per-column verb: table-wide, covering every column), a name about that column.
   */
  allows(role: string, schema: string, object: string, verb: Verb, column: string | null): boolean;
  /** Whether `role` may grant `verb` on the object (and so on each of its columns) to others: "Grant options". */
  grantable(role: string, schema: string, object: string, verb: Verb): boolean;
  /**
   * Whether the role holds USAGE on the schema: "Any grant on an object implies USAGE on its
   * schema", and `usage on schema s` gives it without one; either the role's own or an ancestor's.
   */
  usesSchema(role: string, schema: string): boolean;
  /** Whether the role may create objects in the schema: `create on schema s`, its own or an ancestor's. */
  createsIn(role: string, schema: string): boolean;
  /** "with grant option" on the schema's verb: the role's own line or an ancestor's. */
  onSchemaWithGrantOption(role: string, schema: string, verb: "usage" | "create"): boolean;
  /** Likewise on the database. */
  onDatabaseWithGrantOption(role: string, verb: "connect" | "temporary" | "create"): boolean;
  /**
   * Whether the program says anything of the database: "once a line grants on it, every declared
   * role holds exactly its declared ones"; until then nothing is said of what roles hold there.
   */
  readonly managesDatabase: boolean;
  /** Whether the program has a `public` block: then PUBLIC (asked about as the role PUBLIC) holds exactly what it says on the schemas and the database too. */
  readonly publicManaged: boolean;
  /** Whether the role (or PUBLIC) holds the privilege on the database, by its own lines, an ancestor's or PUBLIC's. */
  onDatabase(role: string, verb: "connect" | "temporary" | "create"): boolean;
  /** MySQL/MariaDB: whether the role holds the privilege on the whole server ("Privileges on the server"), its own lines' or an ancestor's. */
  onServer(role: string, verb: string): boolean;
  /** MySQL/MariaDB: the privileges the role's own lines give it on the server, the only global ones it may hold itself. */
  ownServer(role: string): readonly string[];
  /** The creators some `created by` names: their default privileges are the program's. */
  readonly defaultCreators: readonly string[];
  /**
   * What a managed creator's default privileges give, for one place (a schema, or null for every
   * schema) and kind of object: `grantee VERB` entries, each grantee a declared role or PUBLIC as
   * the line names it (not through membership), verbs upper case.
   */
  defaultAcl(creator: string, schema: string | null, objects: string): string[];
}

/** The verbs each kind of future object takes, for `all`: "Default privileges"' table. */
export const defaultVerbs: Record<string, readonly string[]> = {
  tables: ["select", "insert", "update", "delete", "truncate", "references", "trigger"],
  sequences: ["select", "update", "usage"],
  functions: ["execute"],
  types: ["usage"],
  schemas: ["usage", "create"],
};

const key = (...parts: string[]) => parts.join("\u0000");

/** PUBLIC, as the role every role is a member of ("Privileges on schemas", "PUBLIC"). */
export const PUBLIC = "PUBLIC";

export function referenceOf(program: GeneratedProgram, engine: Engine): Reference {
  const objects: ReferenceObject[] = program.schemas.flatMap((s) =>
    s.objects
      .filter((o) => engine === "postgres" || o.kind !== "sequence")
      .flatMap((o) => {
        const object = { schema: s.name, name: o.name, kind: o.kind, columns: o.columns, appendOnly: o.appendOnly };
        // MySQL: "Partitions are MySQL's own business there; partitions (...) is ignored."
        const partitions = engine === "postgres" ? (o.partitions ?? []) : [];
        return [object, ...partitions.map((name) => ({ ...object, name, partitionOf: o.name }))];
      }),
  );
  const objectByKey = new Map(objects.map((o) => [key(o.schema, o.name), o]));

  // "A public block says what PUBLIC, and so every role, holds": PUBLIC is one more holder of
  // grants, and every role holds what it holds.
  const holders = [...program.roles, ...(program.public ? [{ name: PUBLIC, memberOf: [], ...program.public }] : [])];
  const everyone = program.public ? [PUBLIC] : [];

  // Each role's own grants, per object and verb, and the verbs it holds with a grant option.
  const own = new Map<string, Map<string, Holding>>();
  const ownOptions = new Map<string, Set<string>>();
  for (const role of holders) {
    const held = new Map<string, Holding>();
    own.set(role.name, held);
    const give = (o: ReferenceObject, verb: Verb, columns: readonly string[] | "whole") => {
      const k = key(o.schema, o.name, verb);
      const h = held.get(k) ?? { whole: false, columns: new Set<string>() };
      held.set(k, h);
      if (columns === "whole") h.whole = true;
      else for (const c of columns) h.columns.add(c);
    };
    for (const grant of role.grants) {
      const targets =
        grant.object === "*"
          ? objects.filter((o) => o.schema === grant.schema && o.kind !== "sequence" && o.partitionOf === undefined)
          : [objectByKey.get(key(grant.schema, grant.object))].filter((o): o is ReferenceObject => o !== undefined);
      for (const o of targets) {
        const exclusions = grant.except.filter((e) => e.object === o.name);
        if (exclusions.some((e) => e.columns === undefined)) continue; // `except s.o`: out of the line
        const excludedColumns = new Set(exclusions.flatMap((e) => e.columns ?? []));
        for (const privilege of grant.verbs) {
          const verbs: readonly Verb[] = privilege.verb === "all" ? verbsOf(o.kind, engine) : [privilege.verb as Verb];
          for (const verb of verbs) {
            if (!verbsOf(o.kind, engine).includes(verb)) continue; // a wildcard reaches only what the verb fits
            if (o.appendOnly && !appendOnlyAllowed.has(verb)) continue; // narrowed (RC0502)
            // "with grant option" is written on lines without columns, so it is always on the whole object.
            if (grant.grantOption) ownOptions.set(role.name, (ownOptions.get(role.name) ?? new Set()).add(key(o.schema, o.name, verb)));
            if (!perColumnVerbs.has(verb) || o.kind === "sequence") {
              give(o, verb, "whole");
              continue;
            }
            if (privilege.columns === undefined && excludedColumns.size === 0) {
              give(o, verb, "whole");
              continue;
            }
            const columns = (privilege.columns ?? o.columns).filter((c) => !excludedColumns.has(c));
            give(o, verb, columns);
          }
        }
      }
    }
  }

  // Membership: everything every ancestor holds, transitively; nothing through a noinherit role's memberships.
  const parents = new Map(program.roles.map((r) => [r.name, (r.attributes ?? []).includes("noinherit") ? [] : r.memberOf]));
  const ancestors = (role: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [...(parents.get(role) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next) || next === role) continue;
      seen.add(next);
      stack.push(...(parents.get(next) ?? []));
    }
    return seen;
  };
  const effective = new Map<string, Map<string, Holding>>();
  for (const role of holders) {
    const merged = new Map<string, Holding>();
    for (const from of [role.name, ...ancestors(role.name), ...everyone]) {
      for (const [k, h] of own.get(from) ?? []) {
        const m = merged.get(k) ?? { whole: false, columns: new Set<string>() };
        merged.set(k, m);
        m.whole ||= h.whole;
        for (const c of h.columns) m.columns.add(c);
      }
    }
    effective.set(role.name, merged);
  }

  const allows = (role: string, schema: string, object: string, verb: Verb, column: string | null): boolean => {
    const h = effective.get(role)?.get(key(schema, object, verb));
    if (!h) return false;
    if (h.whole) return true;
    return column !== null && h.columns.has(column);
  };
  // Partitions are granted nothing, so they hold no grant option either; PUBLIC never holds one.
  const grantable = (role: string, schema: string, object: string, verb: Verb): boolean =>
    [role, ...ancestors(role)].some((from) => ownOptions.get(from)?.has(key(schema, object, verb)) === true);
  const routines: ReferenceRoutine[] = program.schemas.flatMap((s) => (s.routines ?? []).map((r) => ({ schema: s.name, name: r.name, id: r.id, kind: r.kind, args: r.args })));
  // EXECUTE lines, each reaching one routine or, for `s.*`, every routine of the schema.
  const executeLines = (from: string) => holders.find((r) => r.name === from)?.executes ?? [];
  const reaches = (e: { schema: string; routine: string }, schema: string, id: string) => e.schema === schema && (e.routine === "*" || e.routine === id);
  const executes = (role: string, schema: string, id: string) => [role, ...ancestors(role), ...everyone].some((from) => executeLines(from).some((e) => reaches(e, schema, id)));
  const executesWithGrantOption = (role: string, schema: string, id: string) => [role, ...ancestors(role)].some((from) => executeLines(from).some((e) => e.grantOption === true && reaches(e, schema, id)));
  const types = program.schemas.flatMap((s) => (s.types ?? []).map((t) => ({ schema: s.name, name: t.name, kind: t.kind })));
  const usageLines = (from: string) => holders.find((r) => r.name === from)?.typeUsages ?? [];
  const usesType = (role: string, schema: string, type: string) => [role, ...ancestors(role), ...everyone].some((from) => usageLines(from).some((u) => u.schema === schema && u.type === type));
  const usesTypeWithGrantOption = (role: string, schema: string, type: string) => [role, ...ancestors(role)].some((from) => usageLines(from).some((u) => u.grantOption === true && u.schema === schema && u.type === type));
  // "EXECUTE comes with USAGE on the routine's schema", and USAGE on a type with its schema's, but for PUBLIC's.
  const executesIn = (role: string, schema: string) =>
    [role, ...ancestors(role)].some(
      (from) => from !== PUBLIC && (executeLines(from).some((e) => e.schema === schema && routines.some((r) => reaches(e, r.schema, r.id))) || usageLines(from).some((u) => u.schema === schema)),
    );
  const onSchema = (role: string, schema: string, verb: "usage" | "create") =>
    [role, ...ancestors(role), ...everyone].some((from) => holders.find((r) => r.name === from)?.schemaGrants?.some((g) => g.schema === schema && g.verb === verb));
  const usesSchema = (role: string, schema: string): boolean => {
    for (const [k, h] of effective.get(role) ?? []) {
      if (k.split("\u0000")[0] === schema && (h.whole || h.columns.size > 0)) return true;
    }
    return onSchema(role, schema, "usage") || executesIn(role, schema);
  };
  const createsIn = (role: string, schema: string): boolean => onSchema(role, schema, "create");
  // "with grant option" on a schema or the database: the role's own lines or an ancestor's, never PUBLIC's.
  const onSchemaWithGrantOption = (role: string, schema: string, verb: "usage" | "create") =>
    [role, ...ancestors(role)].some((from) => program.roles.find((r) => r.name === from)?.schemaGrants?.some((g) => g.schema === schema && g.verb === verb && g.grantOption === true));
  const onDatabaseWithGrantOption = (role: string, verb: "connect" | "temporary" | "create") =>
    [role, ...ancestors(role)].some((from) => {
      const r = program.roles.find((r) => r.name === from);
      return r?.databaseGrantOption === true && (r.databaseGrants ?? []).includes(verb);
    });
  const onDatabase = (role: string, verb: "connect" | "temporary" | "create") =>
    [role, ...ancestors(role), ...everyone].some((from) => holders.find((r) => r.name === from)?.databaseGrants?.includes(verb));
  const onServer = (role: string, verb: string) => [role, ...ancestors(role)].some((from) => program.roles.find((r) => r.name === from)?.serverGrants?.includes(verb));
  const ownServer = (role: string) => program.roles.find((r) => r.name === role)?.serverGrants ?? [];
  const defaultLines = holders.flatMap((h) => (h.defaults ?? []).map((d) => ({ ...d, grantee: h.name })));
  const defaultAcl = (creator: string, schema: string | null, objects: string): string[] => {
    // "with grant option" on a default line: the grantee holds the option on what is created (`*`).
    const entries = new Map<string, boolean>();
    for (const d of defaultLines) {
      if (d.creator !== creator || d.schema !== schema || d.objects !== objects) continue;
      for (const verb of d.verbs.includes("all") ? defaultVerbs[objects]! : d.verbs) {
        const entry = `${d.grantee} ${verb.toUpperCase()}`;
        entries.set(entry, entries.get(entry) === true || d.grantOption === true);
      }
    }
    return [...entries].map(([entry, option]) => `${entry}${option ? "*" : ""}`).sort();
  };
  return {
    engine,
    defaultCreators: [...new Set(defaultLines.map((d) => d.creator))].sort(),
    defaultAcl,
    routines,
    executes,
    executesWithGrantOption,
    types,
    usesType,
    usesTypeWithGrantOption,
    roles: program.roles.map((r) => ({
      name: r.name,
      login: r.login,
      connectionLimit: r.connectionLimit ?? -1,
      account: {
        sslType: r.account?.require === "ssl" ? "ANY" : r.account?.require === "x509" ? "X509" : r.account?.issuer !== undefined || r.account?.subject !== undefined || r.account?.cipher !== undefined ? "SPECIFIED" : "",
        issuer: r.account?.issuer ?? "",
        subject: r.account?.subject ?? "",
        cipher: r.account?.cipher ?? "",
        maxQuestions: r.account?.maxQueriesPerHour ?? 0,
        maxUpdates: r.account?.maxUpdatesPerHour ?? 0,
        maxConnections: r.account?.maxConnectionsPerHour ?? 0,
        passwordLifetime: r.account?.passwordLifetime ?? -1,
      },
      host: r.host ?? "%",
      doc: r.doc ?? null,
      parents: [...r.memberOf],
      adminOf: [...(r.adminOf ?? [])],
      attributes: [...(r.attributes ?? [])],
      validUntil: r.validUntil === undefined ? undefined : utcMoment(r.validUntil),
      settings: [...(r.settings ?? [])],
      databaseSettings: [...(r.databaseSettings ?? [])],
    })),
    objects,
    allows,
    grantable,
    usesSchema,
    createsIn,
    onSchemaWithGrantOption,
    onDatabaseWithGrantOption,
    managesDatabase: holders.some((r) => (r.databaseGrants ?? []).length > 0),
    publicManaged: program.public !== undefined,
    onDatabase,
    onServer,
    ownServer,
  };
}

/**
 * A written valid_until as the moment it names, in UTC: `infinity`, or a date and time with its
 * offset (the only forms docs/language.md takes). Worked out by hand, with no date library.
 */
function utcMoment(text: string): string {
  if (text.toLowerCase() === "infinity") return "infinity";
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|([+-])(\d{2}):?(\d{2})?)$/.exec(text);
  if (!m) throw new Error(`the generator wrote a valid_until the reference cannot read: ${text}`);
  const offsetMinutes = m[8] === "Z" ? 0 : (m[9] === "-" ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11] ?? 0));
  const minutes = Number(m[4]) * 60 + Number(m[5]) - offsetMinutes;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + minutes * 60_000);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())} ${pad(day.getUTCHours())}:${pad(day.getUTCMinutes())}:${m[6] ?? "00"}.${(m[7] ?? "0").padEnd(3, "0")}`;
}

/** One privilege question, with the reference's answer. */
export interface ExpectedFact {
  readonly role: string;
  readonly schema: string;
  readonly object: string;
  readonly kind: GeneratedObject["kind"];
  readonly verb: Verb;
  /** Null: the whole object. */
  readonly column: string | null;
  readonly allowed: boolean;
  /** Whether the role may grant it on: for a column, by the grant option on the whole object. */
  readonly grantable: boolean;
}

/**
 * Every question there is to ask about the program's roles on its objects: each verb the engine
 * knows for the object's kind on the whole object, and each per-column verb on each column.
 * `verbs` widens the verbs asked about (PostgreSQL takes truncate and references on a view too,
 * so a drifted database may hold them there, and the reference says no).
 */
export function expectedFacts(reference: Reference, verbs: (kind: GeneratedObject["kind"]) => readonly Verb[]): ExpectedFact[] {
  const facts: ExpectedFact[] = [];
  for (const role of reference.roles) {
    for (const o of reference.objects) {
      for (const verb of verbs(o.kind)) {
        const at = (column: string | null) => facts.push({ role: role.name, schema: o.schema, object: o.name, kind: o.kind, verb, column, allowed: reference.allows(role.name, o.schema, o.name, verb, column), grantable: reference.grantable(role.name, o.schema, o.name, verb) });
        at(null);
        if (perColumnVerbs.has(verb) && o.kind !== "sequence") for (const c of o.columns) at(c);
      }
    }
  }
  return facts;
}

/** Facts that both references allow: what a role must never lose while A turns into B. */
export function commonFacts(a: readonly ExpectedFact[], b: readonly ExpectedFact[]): ExpectedFact[] {
  const allowedInB = new Set(b.filter((f) => f.allowed).map((f) => key(f.role, f.schema, f.object, f.verb, f.column ?? "\u0001")));
  return a.filter((f) => f.allowed && allowedInB.has(key(f.role, f.schema, f.object, f.verb, f.column ?? "\u0001")));
}
