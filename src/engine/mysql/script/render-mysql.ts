import { defaultAccountOptions, type AccountOptions } from "../../../model/account-options.js";
import { createHash } from "node:crypto";
import { mysqlGrantable } from "../capabilities.js";
import { compareRoutines, compareText, objectKey, ownedRoles, requiredExternalRoles, routineKey, type DbObject, type Model, type Routine } from "../../../model/ir.js";
import { verbOrder, type ServerVerb, type Verb } from "../../../model/verbs.js";
import { rolecVersion } from "../../../version.js";
import { mysqlCommentText } from "../quote.js";
import { templateRenderer } from "../../templates.js";
import { mysqlInteger, quoteMysqlGrantee, quoteMysqlIdent, quoteMysqlLiteral, quoteMysqlQualified } from "../quote.js";
import * as statements from "../statements.js";
import { mysqlScriptSections } from "../statement-order.js";

/** Names rolec gives what it creates on MySQL/MariaDB; all under the reserved rolec_ prefix or in the `rolec` database. */
export const mysqlNames = {
  /** The locked account that defines the append-only triggers. */
  definer: { name: "rolec_append_only", host: "localhost" },
  /** MariaDB's single default role for an account with parents: rolec_login_<account>. */
  loginRolePrefix: "rolec_login_",
  helperDatabase: "rolec",
  /** The SQLSTATE of every refusal: the append-only triggers' and the script's own checks'. */
  sqlstate: "45000",
} as const;

/** MySQL's limit on trigger names, which are per database. */
const maxTriggerChars = 64;
/** MySQL keeps at most 128 characters of a SIGNAL message. */
const maxMessageChars = 128;

export interface MysqlRenderOptions {
  /** The database each schema maps to; by default its own name. `rolec verify` maps them to scratch databases. */
  readonly databaseOf?: (schema: string) => string;
}

type GranteeSpec = statements.Grantee;
type PrivilegeSpec = statements.PrivilegeSpec;

/** GRANT's names of the verbs, made once rather than for each of a large program's grants. */
const upperVerbs = Object.fromEntries(verbOrder.map((v) => [v, v.toUpperCase()])) as Record<Verb, string>;

function field(row: Record<string, string>, name: string): string {
  const value = row[name];
  if (typeof value !== "string") throw new Error(`bug: a VALUES row has no text field ${name}`);
  return value;
}

function procedureName(base: string): string {
  if (!["fail", "preflight", "converge"].includes(base)) throw new Error(`bug: unknown helper procedure ${base}`);
  return quoteMysqlQualified(mysqlNames.helperDatabase, base);
}

/** The template of each section of the script; append-only is also run alone by `rolec apply`. */
const sectionTemplates: Record<string, string> = {
  roles: "steps/roles.sql",
  memberships: "steps/memberships.sql",
  "object privileges": "steps/object-privileges.sql",
  "append-only": "append-only.sql",
  converge: "steps/converge.sql",
};

let proceduresText: string | undefined;
let helperGuardText: string | undefined;
const render = templateRenderer(
  "mysql",
  {
    ident: (name: string) => quoteMysqlIdent(name),
    qualified: (database: string, name: string) => quoteMysqlQualified(database, name),
    literal: (value: string) => quoteMysqlLiteral(value),
    /**
     * The rows of a VALUES list, each the named fields of one item as literals: the script's
     * largest INSERT has a row per declared grant and column, too many for a helper call per value.
     */
    literalRows: (rows: readonly Record<string, string>[], ...fields: string[]) =>
      rows.map((row) => `  (${fields.map((f) => quoteMysqlLiteral(field(row, f))).join(", ")})`).join(",\n"),
    comment: (value: string) => mysqlCommentText(value),
    int: (value: number) => mysqlInteger(value),
    bool: (value: boolean) => (value ? "TRUE" : "FALSE"),
    grantee: (name: string, host: string | null) => quoteMysqlGrantee(name, host),
    procedure: (base: string) => procedureName(base),
    // Whole statements, written by statements.ts for the script and for plans alike.
    createRole: (name: string) => statements.createRole(name),
    createAccount: (account: statements.Grantee) => statements.createAccount(account),
    lockAccount: (account: statements.Grantee) => statements.lockAccount(account),
    setAccountOptions: (account: statements.Grantee & { connectionLimit: number; account: AccountOptions }) => statements.setAccountOptions(account, account.connectionLimit, account.account),
    grantRole: (parent: string, child: statements.Grantee, admin: unknown) => statements.grantRole(parent, child, admin === true),
    grantPrivileges: (privileges: readonly PrivilegeSpec[], database: string, table: string, grantees: readonly statements.Grantee[]) =>
      statements.grantPrivileges(privileges, database, table, grantees),
    grantExecute: (kind: statements.RoutineKeyword, database: string, routine: string, grantees: readonly statements.Grantee[]) =>
      statements.grantExecute(kind, database, routine, grantees),
    grantServer: (verbs: readonly ServerVerb[], grantee: statements.Grantee) => statements.grantServer(verbs, [grantee]),
  },
  {
    procedures: () => (proceduresText ??= render("procedures.sql", {})),
    // Refuses to go on while anyone else could replace the procedures before the script calls them.
    helperGuard: () => (helperGuardText ??= render("helper-guard.sql", {})),
    appendOnlySection: (_inner, context) => render("append-only.sql", context),
    // The script's sections, in the order of statement-order.ts.
    steps: (_inner, context) => mysqlScriptSections.map((section) => render(sectionTemplates[section], context)).join(""),
  },
);

/**
 * The MySQL/MariaDB script for a model. Sequences and the verbs MySQL cannot grant are left out
 * (the checker reports them when compiling for mysql); partitions are MySQL's own business.
 */
export function renderMysql(model: Model, options: MysqlRenderOptions = {}): string {
  const databaseOf = options.databaseOf ?? ((schema: string) => schema);
  const objects = model.objects.filter((o) => o.kind !== "sequence");
  const kindOf = new Map(objects.map((o) => [objectKey(o), o.kind]));
  const granteeOf = new Map(model.roles.map((r) => [r.name, { name: r.name, host: r.login ? r.host : null }]));

  const grantsByObject = new Map<string, Map<string, PrivilegeSpec[]>>();
  const declaredGrants: { db: string; tbl: string; grantee: string; privilege: string; col: string }[] = [];
  for (const grant of model.grants) {
    const kind = kindOf.get(objectKey(grant.object));
    if (!kind || !mysqlGrantable(grant.verb, kind)) continue;
    const key = objectKey(grant.object);
    let byRole = grantsByObject.get(key);
    if (!byRole) grantsByObject.set(key, (byRole = new Map()));
    let specs = byRole.get(grant.role);
    if (!specs) byRole.set(grant.role, (specs = []));
    specs.push({ verb: grant.verb, columns: grant.columns === "all" ? null : grant.columns });
    const db = databaseOf(grant.object.schema);
    const privilege = upperVerbs[grant.verb];
    for (const col of grant.columns === "all" ? [""] : grant.columns) declaredGrants.push({ db, tbl: grant.object.name, grantee: grant.role, privilege, col });
  }
  const appendOnly = objects.filter((o) => o.appendOnly);
  for (const o of appendOnly) declaredGrants.push({ db: databaseOf(o.schema), tbl: o.name, grantee: mysqlNames.definer.name, privilege: "TRIGGER", col: "" });

  const renderedObjects = objects.map((object) => {
    // One GRANT per distinct privilege list, naming every role that gets exactly that list.
    const byPrivileges = new Map<string, { privileges: PrivilegeSpec[]; grantees: GranteeSpec[] }>();
    for (const [role, privileges] of grantsByObject.get(objectKey(object)) ?? []) {
      const key = JSON.stringify(privileges);
      const entry = byPrivileges.get(key);
      if (entry) entry.grantees.push(granteeOf.get(role)!);
      else byPrivileges.set(key, { privileges, grantees: [granteeOf.get(role)!] });
    }
    // Ordered by the privilege list's text (the map's key), then by the first grantee.
    const grants = [...byPrivileges]
      .sort(([a, x], [b, y]) => compareText(a, b) || compareText(x.grantees[0]!.name, y.grantees[0]!.name))
      .map(([, grant]) => grant);
    return { db: databaseOf(object.schema), name: object.name, grants };
  });

  // EXECUTE on routines, one GRANT per routine naming every role that gets it. A routine is known
  // there by its database, kind and name (the checker refuses two the server could not tell apart).
  const routineKeyword = (r: Routine): statements.RoutineKeyword => (r.kind === "procedure" ? "PROCEDURE" : "FUNCTION");
  const executeBy = new Map<string, GranteeSpec[]>();
  for (const g of model.routineGrants) executeBy.set(routineKey(g.routine), [...(executeBy.get(routineKey(g.routine)) ?? []), granteeOf.get(g.role)!]);
  const routines = [...model.routines].sort(compareRoutines);
  const renderedRoutines = routines
    .filter((r) => executeBy.has(routineKey(r)))
    .map((r) => ({ kind: routineKeyword(r), db: databaseOf(r.schema), name: r.name, grants: [{ grantees: executeBy.get(routineKey(r))! }] }));
  const routineByKey = new Map(routines.map((r) => [routineKey(r), r]));
  const declaredRoutineGrants = model.routineGrants.map((g) => {
    const routine = routineByKey.get(routineKey(g.routine))!;
    return { db: databaseOf(routine.schema), name: routine.name, kind: routineKeyword(routine), grantee: g.role };
  });

  // Privileges on the whole server, one GRANT per role.
  const serverVerbsOf = new Map<string, ServerVerb[]>();
  for (const g of model.serverGrants) serverVerbsOf.set(g.role, [...(serverVerbsOf.get(g.role) ?? []), g.verb]);
  const serverGrants = [...serverVerbsOf].map(([role, verbs]) => ({ grantee: granteeOf.get(role)!, verbs }));

  // External roles and accounts are never created or altered: the script only names them.
  const roles = ownedRoles(model).map((r) => ({
    name: r.name,
    host: r.login ? r.host : null,
    isAccount: r.login,
    connectionLimit: r.connectionLimit,
    account: r.account ?? defaultAccountOptions,
  }));
  const required = new Set(requiredExternalRoles(model).map((r) => r.name));
  const declaredRoles = [
    ...model.roles.map((r) => ({ name: r.name, isAccount: r.login, host: r.login ? r.host : "", isExternal: r.external, isRequired: required.has(r.name) })),
    ...(appendOnly.length > 0 ? [{ name: mysqlNames.definer.name, isAccount: true, host: mysqlNames.definer.host, isExternal: false, isRequired: false }] : []),
  ];
  const memberships = model.roles.flatMap((r) => r.memberOf.map((parent) => ({ parent, child: granteeOf.get(r.name)!, admin: (r.adminOf ?? []).includes(parent) })));

  return render("script.sql", {
    version: rolecVersion,
    sourcesSha256: model.sourcesSha256,
    sources: model.sources,
    snapshot: model.snapshot ?? null,
    accounts: roles.filter((r) => r.isAccount),
    roles,
    definer: mysqlNames.definer,
    memberships,
    objects: renderedObjects,
    routines: renderedRoutines,
    serverGrants,
    appendOnlyTables: appendOnly.map((o) => appendOnlyTable(o, databaseOf(o.schema))),
    declaredObjectRows: chunks(objects.map((o) => ({ db: databaseOf(o.schema), tbl: o.name, isView: o.kind === "view", appendOnly: o.appendOnly }))),
    declaredRoleRows: chunks(declaredRoles),
    declaredMemberRows: chunks(memberships.map((m) => ({ parent: m.parent, child: m.child.name, admin: m.admin }))),
    declaredGrantRows: chunks(declaredGrants),
    declaredRoutineRows: chunks(routines.map((r) => ({ db: databaseOf(r.schema), name: r.name, kind: routineKeyword(r) }))),
    declaredRoutineGrantRows: chunks(declaredRoutineGrants),
    declaredServerRows: chunks(model.serverGrants.map((g) => ({ grantee: g.role, privilege: statements.serverPrivilegeKeyword(g.verb) }))),
  });
}

/**
 * The script's own append-only section for some of the model's append-only tables: what
 * `rolec apply` runs to guard a table, so a plan and the script guard a table the same way.
 */
export function renderMysqlAppendOnlyGuard(model: Model, tables: readonly { schema: string; name: string }[]): string {
  const wanted = new Set(tables.map((t) => objectKey(t)));
  const chosen = model.objects.filter((o) => o.appendOnly && wanted.has(objectKey(o)));
  return render("append-only.sql", { definer: mysqlNames.definer, appendOnlyTables: chosen.map((o) => appendOnlyTable(o, o.schema)) });
}

/** The names of the two triggers that guard an append-only table. */
export function mysqlAppendOnlyTriggers(table: string): { update: string; delete: string } {
  return { update: triggerName("update", table), delete: triggerName("delete", table) };
}

function appendOnlyTable(object: DbObject, db: string) {
  const shown = `${db}.${object.name}`;
  const message = (op: string) => truncate(`${op} is not allowed: ${shown} is append-only (rolec)`, maxMessageChars);
  return {
    db,
    name: object.name,
    updateTrigger: triggerName("update", object.name),
    deleteTrigger: triggerName("delete", object.name),
    updateMessage: message("UPDATE"),
    deleteMessage: message("DELETE"),
  };
}

/** `rolec_append_only_update_<table>`, or with a digest of the table name when that is too long for MySQL. */
function triggerName(op: "update" | "delete", table: string): string {
  const readable = `rolec_append_only_${op}_${table}`;
  if ([...readable].length <= maxTriggerChars) return readable;
  return `rolec_append_only_${op}_${createHash("sha256").update(table).digest("hex").slice(0, 16)}`;
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** Rows in groups, one INSERT each, so a large program does not make one enormous statement. */
function chunks<T>(rows: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
