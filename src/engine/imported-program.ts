import { hourlyLimits, type AccountOptions } from "../model/account-options.js";
import { compareText, formatRoutine, type RoutineName } from "../model/ir.js";
import { formatArgTypes, type ArgType } from "../model/argument-types.js";
import type { RoutineKind } from "../syntax/ast.js";
import type { RoleAttribute } from "../model/role-attributes.js";
import type { RoleSetting } from "../model/role-settings.js";
import { formatName } from "../syntax/names.js";
import { compositeKey } from "../model/composite-key.js";
import type { DefaultObjects, DefaultVerb, ServerVerb } from "../model/verbs.js";

/** What `rolec import` found, in the shape of the .roles language. */
export interface ImportedProgram {
  readonly schemas: readonly ImportedSchema[];
  readonly roles: readonly ImportedRole[];
  /** What PUBLIC holds that plan would otherwise take away: written as a `public` block. */
  readonly public?: Pick<ImportedRole, "grants" | "routineGrants" | "typeGrants" | "schemaGrants" | "databaseGrants" | "defaultGrants">;
}

export interface ImportedSchema {
  readonly name: string;
  readonly objects: readonly ImportedObject[];
  /** Functions and procedures, sorted by name and argument types (PostgreSQL). */
  readonly routines?: readonly ImportedRoutine[];
  /** Types and domains, sorted by name (PostgreSQL). */
  readonly types?: readonly { readonly kind: "type" | "domain"; readonly name: string }[];
}

export interface ImportedRoutine {
  readonly kind: RoutineKind;
  readonly name: string;
  readonly args: readonly ArgType[];
}

export interface ImportedObject {
  readonly kind: "table" | "view" | "sequence";
  readonly name: string;
  readonly columns: readonly string[];
  readonly appendOnly: boolean;
  readonly partitions: readonly string[];
}

export interface ImportedRole {
  readonly name: string;
  /** A role imported roles are members of that holds nothing here: `external role NAME`, with nothing else said of it. */
  readonly external: boolean;
  readonly login: boolean;
  /** -1: no limit. */
  readonly connectionLimit: number;
  readonly comment: string | null;
  /** A MySQL/MariaDB account's host, where it is not the default '%'. */
  readonly host?: string;
  /** A MySQL/MariaDB account's options, where any is not the server's default. */
  readonly account?: AccountOptions;
  /** PostgreSQL role attributes (createdb, ...), in canonical order. */
  readonly attributes?: readonly RoleAttribute[];
  /** PostgreSQL VALID UNTIL, where the role has an end (valid-until.ts). */
  readonly validUntil?: string;
  /** Run-time parameters it gets at login in every database. */
  readonly settings?: readonly RoleSetting[];
  /** Those it gets in this database only (`set ... in database`). */
  readonly databaseSettings?: readonly RoleSetting[];
  readonly memberOf: readonly string[];
  /** Those of `memberOf` it holds with ADMIN OPTION (PostgreSQL). */
  readonly adminOf?: readonly string[];
  readonly grants: readonly ImportedGrant[];
  /** EXECUTE on functions and procedures, sorted (PostgreSQL). */
  readonly routineGrants?: readonly (RoutineName & { readonly grantOption?: true })[];
  /** USAGE on types and domains, sorted (PostgreSQL). */
  readonly typeGrants?: readonly { readonly schema: string; readonly name: string; readonly grantOption?: true }[];
  /** Privileges on schemas themselves that its grants do not already imply, by schema. */
  readonly schemaGrants?: readonly ImportedSchemaGrant[];
  /** MySQL/MariaDB privileges on the whole server (`process on server`), in the language's order. */
  readonly serverGrants?: readonly ServerVerb[];
  /** Privileges on the database (`connect, temporary on database`), in the language's order. */
  readonly databaseGrants?: readonly ("connect" | "temporary" | "create")[];
  /** Those of `databaseGrants` held with the grant option. */
  readonly databaseGrantOptions?: readonly ("connect" | "temporary" | "create")[];
  /** Default privileges (PostgreSQL), sorted by creator, schema (every schema first) and kind of object. */
  readonly defaultGrants?: readonly ImportedDefaultGrant[];
}

/** `select, insert on future tables in schema s created by c`: the verbs in the language's order. */
export interface ImportedDefaultGrant {
  readonly creator: string;
  /** Null: objects created in any schema. */
  readonly schema: string | null;
  readonly objects: DefaultObjects;
  readonly verbs: readonly DefaultVerb[];
  /** Those of `verbs` given with the grant option. */
  readonly grantOption?: readonly DefaultVerb[];
}

/** `usage, create on schema s`: the verbs in the language's order. */
export interface ImportedSchemaGrant {
  readonly schema: string;
  readonly verbs: readonly ("usage" | "create")[];
  /** Those of `verbs` held with the grant option. */
  readonly grantOption?: readonly ("usage" | "create")[];
}

/** One per object × verb; `object` null for every table and view of the schema (`schema.*`), `columns` null for the whole object. */
export interface ImportedGrant {
  readonly schema: string;
  readonly object: string | null;
  readonly verb: string;
  readonly columns: readonly string[] | null;
  /** Held with a grant option on the whole object: written `with grant option`. */
  readonly grantOption?: true;
}

const verbOrder = ["select", "insert", "update", "delete", "truncate", "references", "trigger", "usage"];

/** The schemas as one file's text: every object with its columns, in name order. */
export function renderSchemas(program: ImportedProgram): string {
  const out: string[] = ["// Imported by rolec import: the objects roles may be granted something on.", ""];
  for (const schema of program.schemas) {
    out.push(`schema ${formatName(schema.name)} {`);
    for (const o of schema.objects) {
      if (o.kind === "sequence") {
        out.push(`  sequence ${formatName(o.name)}`);
        continue;
      }
      const partitions = o.partitions.length > 0 ? ` partitions (${o.partitions.map(formatName).join(", ")})` : "";
      out.push(`  ${o.appendOnly ? "append_only " : ""}${o.kind} ${formatName(o.name)} (${o.columns.map(formatName).join(", ")})${partitions}`);
    }
    for (const r of schema.routines ?? []) out.push(`  ${r.kind} ${formatName(r.name)}${formatArgTypes(r.args)}`);
    for (const t of schema.types ?? []) out.push(`  ${t.kind} ${formatName(t.name)}`);
    out.push("}", "");
  }
  return out.join("\n").replace(/\n+$/, "\n");
}

/**
 * The roles as one file's text: attributes, memberships, settings, then grants, one line per object and
 * set of columns, with the verbs that share them on the same line.
 */
export function renderRoles(program: ImportedProgram): string {
  const out: string[] = ["// Imported by rolec import: roles, memberships and grants.", ""];
  for (const role of program.roles.filter((r) => !r.external)) {
    // Split at every line break the lexer knows: a carriage return left inside a `///` line
    // would end the comment there, and a hostile comment would go on as declarations.
    if (role.comment !== null) for (const line of role.comment.split(/\r\n|\r|\n/)) out.push(`///${line === "" ? "" : ` ${line}`}`);
    const options = `${role.login ? " login" : ""}${role.connectionLimit !== -1 ? ` connection_limit ${role.connectionLimit}` : ""}${role.host !== undefined ? ` host ${formatName(role.host)}` : ""}${role.account ? accountOptionsText(role.account) : ""}${(role.attributes ?? []).map((a) => ` ${a}`).join("")}${role.validUntil !== undefined ? ` valid_until '${role.validUntil}'` : ""}`;
    out.push(`role ${formatName(role.name)}${options} {`);
    const plain = role.memberOf.filter((p) => !(role.adminOf ?? []).includes(p));
    if (plain.length > 0) out.push(`  member of ${plain.map(formatName).join(", ")}`);
    if ((role.adminOf ?? []).length > 0) out.push(`  member of ${role.adminOf!.map(formatName).join(", ")} with admin option`);
    const setLine = (s: RoleSetting) => `  set ${s.parameter.split(".").map(formatName).join(".")} = ${s.values.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ")}`;
    for (const s of role.settings ?? []) out.push(setLine(s));
    for (const s of role.databaseSettings ?? []) out.push(`${setLine(s)} in database`);
    if ((role.serverGrants ?? []).length > 0) out.push(`  ${role.serverGrants!.join(", ")} on server`);
    out.push(...grantLines(role));
    out.push("}", "");
  }
  if (program.public) out.push("// What PUBLIC holds, and so every role.", "public {", ...grantLines(program.public), "}", "");
  const external = program.roles.filter((r) => r.external);
  if (external.length > 0) {
    out.push("// Roles the roles above are members of that hold nothing in this database: their memberships are", "// managed elsewhere (another database's program, or a person), so these files leave them alone.");
    if (external.some((r) => (r.defaultGrants ?? []).length > 0)) out.push("// What their blocks say are the default privileges they are given in this database.");
    for (const role of external) {
      // One that creates objects, or is given default privileges, says so in its block.
      const lines = grantLines(role);
      out.push(lines.length > 0 ? [`external role ${formatName(role.name)} {`, ...lines, "}"].join("\n") : `external role ${formatName(role.name)}`);
    }
    out.push("");
  }
  return out.join("\n").replace(/\n+$/, "\n");
}

/** A role's or PUBLIC's grant lines, indented: database, then schemas, then objects; verbs on the same object with the same columns share a line. */
function grantLines(holder: Pick<ImportedRole, "grants" | "routineGrants" | "typeGrants" | "schemaGrants" | "databaseGrants" | "databaseGrantOptions" | "defaultGrants">): string[] {
  const out: string[] = [];
  const lines = new Map<string, { on: string; schema: string; object: string | null; verbs: string[]; columns: readonly string[] | null; grantOption: boolean }>();
  for (const g of holder.grants) {
    const on = `${formatName(g.schema)}.${g.object === null ? "*" : formatName(g.object)}`;
    const grantOption = g.grantOption === true;
    const key = compositeKey(on, g.columns === null ? "" : g.columns.join("\u0001"), grantOption ? 1 : 0);
    const line = lines.get(key) ?? { on, schema: g.schema, object: g.object, verbs: [], columns: g.columns, grantOption };
    line.verbs.push(g.verb);
    lines.set(key, line);
  }
  // In name order (`schema.*` first), as the names are, not as they are quoted.
  const byName = (a: { schema: string; object: string | null }, b: typeof a) =>
    compareText(a.schema, b.schema) || Number(a.object !== null) - Number(b.object !== null) || compareText(a.object ?? "", b.object ?? "");
  // Verbs held with the grant option go on a line of their own, which says so.
  const withAndWithout = <V extends string>(verbs: readonly V[], option: readonly V[] | undefined, on: string) =>
    [verbs.filter((v) => !(option ?? []).includes(v)), verbs.filter((v) => (option ?? []).includes(v))]
      .map((list, i) => (list.length > 0 ? `  ${list.join(", ")} on ${on}${i === 1 ? " with grant option" : ""}` : ""))
      .filter((line) => line !== "");
  if (holder.databaseGrants?.length) out.push(...withAndWithout(holder.databaseGrants, holder.databaseGrantOptions, "database"));
  for (const s of holder.schemaGrants ?? []) out.push(...withAndWithout(s.verbs, s.grantOption, `schema ${formatName(s.schema)}`));
  for (const line of [...lines.values()].sort((a, b) => byName(a, b) || Number(a.columns !== null) - Number(b.columns !== null) || Number(a.grantOption) - Number(b.grantOption))) {
    const verbs = line.verbs.sort((a, b) => verbOrder.indexOf(a) - verbOrder.indexOf(b));
    out.push(`  ${verbs.map((v) => (line.columns === null ? v : `${v} (${line.columns.map(formatName).join(", ")})`)).join(", ")} on ${line.on}${line.grantOption ? " with grant option" : ""}`);
  }
  // Always with the argument types: an overload added later leaves the line meaning what it meant.
  const withOption = (g: { grantOption?: true }) => (g.grantOption ? " with grant option" : "");
  for (const r of holder.routineGrants ?? []) out.push(`  execute on ${formatRoutine(r)}${withOption(r)}`);
  for (const t of holder.typeGrants ?? []) out.push(`  usage on ${formatName(t.schema)}.${formatName(t.name)}${withOption(t)}`);
  for (const d of holder.defaultGrants ?? []) {
    out.push(...withAndWithout(d.verbs, d.grantOption, `future ${d.objects}${d.schema === null ? "" : ` in schema ${formatName(d.schema)}`} created by ${formatName(d.creator)}`));
  }
  return out;
}

/** ` require_x509 max_queries_per_hour 100 password_lifetime 90`: the options that are not the server's default, as the language writes them. */
function accountOptionsText(account: AccountOptions): string {
  const words: string[] = [];
  if (account.require === "ssl" || account.require === "x509") words.push(`require_${account.require}`);
  const text = (value: string) => `'${value.replaceAll("'", "''")}'`;
  if (account.issuer !== "") words.push(`require_issuer ${text(account.issuer)}`);
  if (account.subject !== "") words.push(`require_subject ${text(account.subject)}`);
  if (account.cipher !== "") words.push(`require_cipher ${text(account.cipher)}`);
  for (const limit of hourlyLimits) if (account[limit.field] !== 0) words.push(`${limit.option} ${account[limit.field]}`);
  if (account.passwordLifetime !== null) words.push(`password_lifetime ${account.passwordLifetime}`);
  return words.map((w) => ` ${w}`).join("");
}
