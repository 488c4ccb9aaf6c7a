import fc from "fast-check";
import { formatName } from "../../src/syntax/names.js";

/**
 * Random valid .roles programs for differential testing: schemas, tables (some append-only),
 * views and sequences with hostile names among plain ones, roles with memberships (a DAG; login
 * roles are never parents, as MySQL requires), table and column grants, wildcards with
 * exceptions, and `all`. Every program passes the checker for PostgreSQL and MySQL alike, so one
 * program can be tried on every engine.
 *
 * Schemas are named `rolec_prop_<n>…` and roles `rp<n>…`, so a test can find and drop them all
 * on a shared server; the rest of each name is drawn from a pool that includes quotes,
 * backquotes, backslashes, semicolons, comment markers, reserved words, non-ASCII letters and a
 * right-to-left mark.
 */

export const hostilePieces = ["", "", "", "_x", "'q", "`b", '"d', ";", "--", "/*c*/", " sp", "\\bs", "é", "日本", "\u200f", "select", "$", "\\!", "#h"];
/** Whether a name is all ASCII: MariaDB's routine privileges keep no other name right (RC0921). */
export function isAscii(text: string): boolean {
  return /^[\u0000-\u007f]*$/.test(text);
}

export const columnPool = ["id", "email", "Name", "select", "user", "q'uote", "b`tick", "semi;colon", "--", "back\\slash", "ünï", "d\"q", "x y", "at"];

export interface GeneratedObject {
  readonly kind: "table" | "view" | "sequence";
  readonly name: string;
  readonly columns: readonly string[];
  readonly appendOnly: boolean;
  /** A partitioned table's partitions, in the same schema. */
  readonly partitions?: readonly string[];
}

/** A function or procedure (PostgreSQL only), its argument types as the declaration writes them (valid SQL too). */
export interface GeneratedRoutine {
  readonly kind: "function" | "procedure";
  readonly name: string;
  readonly args: readonly string[];
  /** Which routine of its schema it is, for grants to name: the generator knows, so the reference needs no type rules. */
  readonly id: string;
}

/** `execute on s.f(types)`, `execute on s.f` or `execute on s.*` (PostgreSQL only). */
export interface GeneratedExecute {
  readonly schema: string;
  /** A routine's id, or `*` for every routine of the schema. */
  readonly routine: string;
  /** The argument types as this line writes them (perhaps other spellings of the declared ones); absent: the name alone. */
  readonly args?: readonly string[];
  /** `with grant option`. */
  readonly grantOption?: true;
}

export interface GeneratedGrant {
  readonly verbs: readonly { readonly verb: string; readonly columns?: readonly string[] }[];
  readonly schema: string;
  /** An object's name, or `*` for every object of the schema. */
  readonly object: string;
  readonly except: readonly { readonly object: string; readonly columns?: readonly string[] }[];
  /** PostgreSQL only: `with grant option`, on a line without column lists. */
  readonly grantOption?: true;
}

/** A login role's account options as docs/language.md names them; absent ones are not written. */
export interface GeneratedAccount {
  readonly require?: "ssl" | "x509";
  readonly issuer?: string;
  readonly subject?: string;
  readonly cipher?: string;
  readonly maxQueriesPerHour?: number;
  readonly maxUpdatesPerHour?: number;
  readonly maxConnectionsPerHour?: number;
  readonly passwordLifetime?: number;
}

/** ` require_x509 max_queries_per_hour 5 ...`, in the order the fields are declared. */
function accountWords(a: GeneratedAccount): string {
  const text = (v: string) => `'${v.replaceAll("'", "''")}'`;
  const words = [
    a.require !== undefined ? `require_${a.require}` : "",
    a.issuer !== undefined ? `require_issuer ${text(a.issuer)}` : "",
    a.subject !== undefined ? `require_subject ${text(a.subject)}` : "",
    a.cipher !== undefined ? `require_cipher ${text(a.cipher)}` : "",
    a.maxQueriesPerHour !== undefined ? `max_queries_per_hour ${a.maxQueriesPerHour}` : "",
    a.maxUpdatesPerHour !== undefined ? `max_updates_per_hour ${a.maxUpdatesPerHour}` : "",
    a.maxConnectionsPerHour !== undefined ? `max_connections_per_hour ${a.maxConnectionsPerHour}` : "",
    a.passwordLifetime !== undefined ? `password_lifetime ${a.passwordLifetime}` : "",
  ];
  return words.filter((w) => w !== "").map((w) => ` ${w}`).join("");
}

export interface GeneratedRole {
  readonly name: string;
  readonly login: boolean;
  /** `connection_limit N`; absent: not written (no limit). */
  readonly connectionLimit?: number;
  /** `host "..."` of a login role; absent: not written ('%'). */
  readonly host?: string;
  /** One `///` line above the role. */
  readonly doc?: string;
  /** MySQL/MariaDB account options of a login role, written after `host`. */
  readonly account?: GeneratedAccount;
  /** PostgreSQL role attributes, written after the other options (`createdb`, ...). */
  readonly attributes?: readonly string[];
  /** `valid_until '...'` (PostgreSQL only), as written. */
  readonly validUntil?: string;
  /** `set PARAMETER = 'VALUE', ...` lines. */
  readonly settings?: readonly { readonly parameter: string; readonly values: readonly string[] }[];
  /** `set PARAMETER = 'VALUE', ... in database` lines (PostgreSQL only). */
  readonly databaseSettings?: readonly { readonly parameter: string; readonly values: readonly string[] }[];
  /** Parents, PostgreSQL predefined roles (`pg_monitor`) among them. */
  readonly memberOf: readonly string[];
  /** PostgreSQL only: those of `memberOf` (never predefined) it holds `with admin option`. */
  readonly adminOf?: readonly string[];
  readonly grants: readonly GeneratedGrant[];
  /** PostgreSQL only: `usage on schema s`, `create on schema s`. */
  readonly schemaGrants?: readonly { readonly schema: string; readonly verb: "usage" | "create"; readonly grantOption?: true }[];
  /** PostgreSQL only: `connect, temporary on database`. */
  readonly databaseGrants?: readonly ("connect" | "temporary" | "create")[];
  /** The database line says `with grant option`. */
  readonly databaseGrantOption?: true;
  /** MySQL/MariaDB only: `process, replication_client on server`. */
  readonly serverGrants?: readonly string[];
  /** PostgreSQL only: EXECUTE on functions and procedures. */
  readonly executes?: readonly GeneratedExecute[];
  /** PostgreSQL only: `usage on s.t` on declared types and domains. */
  readonly typeUsages?: readonly { readonly schema: string; readonly type: string; readonly grantOption?: true }[];
  /** PostgreSQL only: `VERBS on future OBJECTS [in schema s] created by CREATOR`. */
  readonly defaults?: readonly GeneratedDefault[];
}

/** A default privilege line: `objects` is tables, sequences, functions, types or schemas; `schema` null for every schema. */
export interface GeneratedDefault {
  readonly creator: string;
  readonly schema: string | null;
  readonly objects: string;
  readonly verbs: readonly string[];
  readonly grantOption?: true;
}

export interface GeneratedProgram {
  readonly schemas: readonly {
    readonly name: string;
    readonly objects: readonly GeneratedObject[];
    readonly routines?: readonly GeneratedRoutine[];
    /** PostgreSQL only: `type NAME` (an enum) and `domain NAME` (over text). */
    readonly types?: readonly { readonly kind: "type" | "domain"; readonly name: string }[];
  }[];
  readonly roles: readonly GeneratedRole[];
  /** PostgreSQL only: a `public` block, with what PUBLIC holds. */
  readonly public?: Pick<GeneratedRole, "grants" | "schemaGrants" | "databaseGrants" | "executes" | "typeUsages" | "defaults">;
}

const objectArb = (index: number): fc.Arbitrary<GeneratedObject> =>
  fc.record({
    kind: fc.constantFrom("table", "table", "table", "view", "sequence"),
    piece: fc.constantFrom(...hostilePieces),
    columns: fc.uniqueArray(fc.constantFrom(...columnPool), { minLength: 1, maxLength: 5, selector: (c) => c.toLowerCase() }),
    appendOnly: fc.boolean(),
  }).map(({ kind, piece, columns, appendOnly }) => ({
    kind,
    name: `${kind === "table" ? "t" : kind === "view" ? "v" : "q"}${index}${piece}`,
    columns: kind === "sequence" ? [] : columns,
    appendOnly: kind === "table" && appendOnly,
  }));

const schemaArb = (index: number) =>
  fc
    .tuple(fc.constantFrom(...hostilePieces), fc.integer({ min: 1, max: 4 }))
    .chain(([piece, count]) => fc.tuple(fc.constant(`rolec_prop_${index}${piece}`), fc.tuple(...Array.from({ length: count }, (_, i) => objectArb(i)))))
    .map(([name, objects]) => ({ name, objects }));

/** Verbs a role may be granted on the object, as every target can grant them. */
function verbsFor(o: GeneratedObject): string[] {
  if (o.kind === "sequence") return ["usage", "select"];
  if (o.kind === "view") return ["select", "insert", "update", "delete"];
  return o.appendOnly ? ["select", "insert"] : ["select", "insert", "update", "delete", "references", "trigger"];
}
const columnVerbs = new Set(["select", "insert", "update", "references"]);

function grantArb(schemas: GeneratedProgram["schemas"]): fc.Arbitrary<GeneratedGrant> {
  const targets = schemas.flatMap((s) => s.objects.map((o) => ({ schema: s.name, object: o })));
  const single = fc.constantFrom(...targets).chain(({ schema, object }) =>
    fc
      .tuple(fc.subarray(verbsFor(object), { minLength: 1 }), fc.boolean(), object.columns.length > 0 ? fc.subarray([...object.columns], { minLength: 1 }) : fc.constant([]), fc.boolean())
      .map(([verbs, perColumn, columns, all]) => {
        if (all && object.kind !== "sequence") return { verbs: [{ verb: "all" }], schema, object: object.name, except: [] };
        return {
          verbs: verbs.map((verb) => (perColumn && columnVerbs.has(verb) && object.kind !== "sequence" ? { verb, columns } : { verb })),
          schema,
          object: object.name,
          except: [],
        };
      }),
  );
  // `select on s.*`, perhaps leaving out one object or some of its columns.
  const withReadable = schemas.filter((s) => s.objects.some((o) => o.kind !== "sequence"));
  if (withReadable.length === 0) return single;
  const wildcard = fc.constantFrom(...withReadable).chain((s): fc.Arbitrary<GeneratedGrant> => {
    const readable = s.objects.filter((o) => o.kind !== "sequence");
    return fc.option(fc.constantFrom(...readable), { nil: undefined }).chain((excluded): fc.Arbitrary<GeneratedGrant> =>
      excluded === undefined
        ? fc.constant<GeneratedGrant>({ verbs: [{ verb: "select" }], schema: s.name, object: "*", except: [] })
        : fc.subarray([...excluded.columns], { minLength: 0, maxLength: Math.max(0, excluded.columns.length - 1) }).map((columns): GeneratedGrant => ({
            verbs: [{ verb: "select" }],
            schema: s.name,
            object: "*",
            except: [columns.length > 0 ? { object: excluded.name, columns } : { object: excluded.name }],
          })),
    );
  });
  return fc.oneof({ weight: 4, arbitrary: single }, { weight: 1, arbitrary: wildcard });
}

export const programArb: fc.Arbitrary<GeneratedProgram> = fc
  .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 5 }))
  .chain(([schemaCount, roleCount]) =>
    fc.tuple(...Array.from({ length: schemaCount }, (_, i) => schemaArb(i))).chain((schemas) =>
      fc
        .tuple(
          ...Array.from({ length: roleCount }, (_, i) =>
            fc.record({
              piece: fc.constantFrom(...hostilePieces),
              login: fc.boolean(),
              parents: fc.subarray(Array.from({ length: i }, (_, j) => j)),
              grants: fc.array(grantArb(schemas), { maxLength: 4 }),
            }),
          ),
        )
        .map((drafts) => {
          const names = drafts.map((d, i) => `rp${i}${d.piece}`);
          const roles: GeneratedRole[] = drafts.map((d, i) => ({
            name: names[i]!,
            login: d.login,
            // Only roles without login may be parents: on MySQL a login role is an account.
            memberOf: d.parents.filter((j) => !drafts[j]!.login).map((j) => names[j]!),
            grants: d.grants,
          }));
          return { schemas, roles };
        }),
    ),
  );

/** The program as .roles source text. */
export function programSource(program: GeneratedProgram): string {
  const n = formatName;
  const lines: string[] = [];
  for (const s of program.schemas) {
    lines.push(`schema ${n(s.name)} {`);
    for (const o of s.objects) {
      if (o.kind === "sequence") lines.push(`  sequence ${n(o.name)}`);
      else {
        const partitions = o.partitions?.length ? ` partitions (${o.partitions.map(n).join(", ")})` : "";
        lines.push(`  ${o.appendOnly ? "append_only " : ""}${o.kind} ${n(o.name)} (${o.columns.map(n).join(", ")})${partitions}`);
      }
    }
    for (const r of s.routines ?? []) lines.push(`  ${r.kind} ${n(r.name)}(${r.args.join(", ")})`);
    for (const t of s.types ?? []) lines.push(`  ${t.kind} ${n(t.name)}`);
    lines.push("}");
  }
  const routineName = (schema: string, id: string) => program.schemas.find((s) => s.name === schema)!.routines!.find((r) => r.id === id)!.name;
  const grantLines = (r: Pick<GeneratedRole, "grants" | "schemaGrants" | "databaseGrants" | "databaseGrantOption" | "executes" | "typeUsages" | "defaults">) => {
    for (const d of r.defaults ?? []) lines.push(`  ${d.verbs.join(", ")} on future ${d.objects}${d.schema === null ? "" : ` in schema ${n(d.schema)}`} created by ${n(d.creator)}${d.grantOption ? " with grant option" : ""}`);
    for (const u of r.typeUsages ?? []) lines.push(`  usage on ${n(u.schema)}.${n(u.type)}${u.grantOption ? " with grant option" : ""}`);
    for (const e of r.executes ?? []) {
      lines.push(`  execute on ${n(e.schema)}.${e.routine === "*" ? "*" : `${n(routineName(e.schema, e.routine))}${e.args ? `(${e.args.join(", ")})` : ""}`}${e.grantOption ? " with grant option" : ""}`);
    }
    if (r.databaseGrants?.length) lines.push(`  ${r.databaseGrants.join(", ")} on database${r.databaseGrantOption ? " with grant option" : ""}`);
    for (const g of r.schemaGrants ?? []) lines.push(`  ${g.verb} on schema ${n(g.schema)}${g.grantOption ? " with grant option" : ""}`);
    for (const g of r.grants) {
      const verbs = g.verbs.map((v) => (v.columns ? `${v.verb} (${v.columns.map(n).join(", ")})` : v.verb)).join(", ");
      const except = g.except.map((e) => `${n(g.schema)}.${n(e.object)}${e.columns ? `(${e.columns.map(n).join(", ")})` : ""}`).join(", ");
      lines.push(`  ${verbs} on ${n(g.schema)}.${g.object === "*" ? "*" : n(g.object)}${except ? ` except ${except}` : ""}${g.grantOption ? " with grant option" : ""}`);
    }
  };
  if (program.public) {
    lines.push("public {");
    grantLines(program.public);
    lines.push("}");
  }
  for (const r of program.roles) {
    if (r.doc !== undefined) lines.push(`/// ${r.doc}`);
    const options = `${r.login ? " login" : ""}${r.connectionLimit !== undefined ? ` connection_limit ${r.connectionLimit}` : ""}${r.host !== undefined ? ` host ${n(r.host)}` : ""}${r.account ? accountWords(r.account) : ""}${(r.attributes ?? []).map((a) => ` ${a}`).join("")}${r.validUntil !== undefined ? ` valid_until '${r.validUntil}'` : ""}`;
    lines.push(`role ${n(r.name)}${options} {`);
    const plain = r.memberOf.filter((p) => !(r.adminOf ?? []).includes(p));
    if (plain.length > 0) lines.push(`  member of ${plain.map(n).join(", ")}`);
    if (r.adminOf?.length) lines.push(`  member of ${r.adminOf.map(n).join(", ")} with admin option`);
    for (const s of r.settings ?? []) lines.push(`  set ${s.parameter} = ${s.values.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ")}`);
    for (const s of r.databaseSettings ?? []) lines.push(`  set ${s.parameter} = ${s.values.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ")} in database`);
    if (r.serverGrants?.length) lines.push(`  ${r.serverGrants.join(", ")} on server`);
    grantLines(r);
    lines.push("}");
  }
  return lines.join("\n") + "\n";
}

/** Generated programs as their source text, which is what a failing case prints after shrinking. */
export const programSourceArb: fc.Arbitrary<string> = programArb.map(programSource);
