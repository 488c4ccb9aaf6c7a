import { compositeKey } from "../../../model/composite-key.js";
import { allDatabaseGrants, compareText, grantableRelations, defaultCreators, defaultSchemas, managedSchemas, routineKey, type RoutineName, managesDatabase, managesDatabaseSettings, objectKey, ownedRoles, requiredExternalRoles, undeclaredCreators, type Model } from "../../../model/ir.js";
import type { RoleSetting } from "../../../model/role-settings.js";
import { schemaCreate, schemaUsage } from "../../../model/effective.js";
import { defaultObjectsOrder, verbOrder, type DatabaseVerb, type DefaultObjects, type Verb } from "../../../model/verbs.js";
import { rolecVersion } from "../../../version.js";
import { inherits } from "../../../model/role-attributes.js";
import { templateRenderer } from "../../templates.js";
import { preflightCheck, preflightChecks, rolecSqlstates, type PreflightCheck } from "./preflight-checks.js";
import { commentText, quoteDollar, quoteIdent, quoteLiteral, quoteQualified, quoteRoutine, sqlInteger } from "../quote.js";
import * as statements from "../statements.js";
import { postgresSteps, type PostgresStep } from "../statement-order.js";
import type { ObjectRef, PrivilegeSpec } from "../statements.js";
import type { ObjectKind } from "../../../syntax/ast.js";

/** Names rolec gives the things it creates for append-only tables; stable so re-runs replace them. */
export const appendOnlyNames = {
  function: "rolec_append_only_guard",
  rowTrigger: "rolec_append_only_row",
  truncateTrigger: "rolec_append_only_truncate",
  /** Owns every append-only table, partition and guard function; NOLOGIN, never a member of anything. */
  owner: "rolec_append_only_owner",
  /**
   * The schema of the event trigger function that refuses DDL that would drop or move an
   * append-only table (DROP TABLE, DROP SCHEMA ... CASCADE, ALTER SCHEMA ... RENAME) to anyone
   * but a superuser: a schema's owner may drop any table in it, whoever owns the table. Its own
   * schema, owned by the owner role, so that no schema owner can drop the function.
   */
  ddlSchema: "rolec_append_only",
  ddlFunction: "refuse_ddl",
  /** The event triggers: on sql_drop, and on ddl_command_end for ALTER SCHEMA. */
  dropEventTrigger: "rolec_append_only_drop",
  renameEventTrigger: "rolec_append_only_rename",
  sqlstate: rolecSqlstates.appendOnly,
  ownershipSqlstate: rolecSqlstates.ownership,
  structureSqlstate: rolecSqlstates.structure,
} as const;

/** The template of each step's section; append-only and unguard are also run alone by `rolec apply`. */
const stepTemplates: Record<PostgresStep, string> = {
  roles: "steps/roles.sql",
  memberships: "steps/memberships.sql",
  "other grantors": "steps/other-grantors.sql",
  database: "steps/database.sql",
  schemas: "steps/schemas.sql",
  "default privileges": "steps/default-privileges.sql",
  "append-only": "append-only.sql",
  unguard: "unguard.sql",
  "object privileges": "steps/object-privileges.sql",
};

const render = templateRenderer(
  "postgres",
  {
    ident: (name: string) => quoteIdent(name),
    qualified: (schema: string, name: string) => quoteQualified(schema, name),
    literal: (value: string) => quoteLiteral(value),
    comment: (value: string) => commentText(value),
    int: (value: number) => sqlInteger(value),
    literalList: (values: readonly string[]) => values.map(quoteLiteral).join(", "),
    // A routine's signature as a literal, for the regprocedure type to read.
    routineLiteral: (routine: RoutineName) => quoteLiteral(quoteRoutine(routine)),
    // A type's qualified name as a literal, for the regtype type to read.
    typeLiteral: (type: { schema: string; name: string }) => quoteLiteral(quoteQualified(type.schema, type.name)),
    grantExecute: (routine: RoutineName, grantees: readonly string[], grantOption: unknown) => statements.grantExecute(routine, grantees, { grantOption: grantOption === true }),
    revokeExecute: (routine: RoutineName, grantees: readonly string[]) => statements.revokeExecute(routine, grantees),
    grantTypeUsage: (type: statements.TypeRef, grantees: readonly string[], grantOption: unknown) => statements.grantTypeUsage(type, grantees, { grantOption: grantOption === true }),
    revokeTypeUsage: (type: statements.TypeRef, grantees: readonly string[]) => statements.revokeTypeUsage(type, grantees),
    // Whole statements, written by statements.ts for the script and for plans alike.
    createRole: (name: string) => statements.createRole(name),
    setRolePowers: (name: string, powers: readonly string[]) => statements.setRolePowers(name, powers),
    setRoleValidUntil: (name: string, validUntil: string) => statements.setRoleValidUntil(name, validUntil),
    setRoleSettings: (name: string, settings: readonly RoleSetting[]) => statements.setRoleSettings(name, settings),
    setRoleDatabaseSettings: (name: string, settings: readonly RoleSetting[]) => statements.setRoleDatabaseSettings(name, settings),
    rolePowersDiffer: (powers: readonly string[]) => statements.rolePowersDiffer(powers),
    setRoleAttributes: (role: statements.RoleAttributes) => statements.setRoleAttributes(role),
    commentOnRole: (name: string, doc: string | null) => statements.commentOnRole(name, doc),
    grantMembership: (parent: string, child: string, admin: boolean) => statements.grantMembership(parent, child, { admin }),
    grantSchemaPrivilege: (privilege: "usage" | "create", schema: string, grantees: readonly string[], grantOption: unknown) => statements.grantSchemaPrivilege(privilege, schema, grantees, grantOption === true),
    revokeSchemaPrivilege: (privilege: "all" | "create", schema: string, grantees: readonly string[]) => statements.revokeSchemaPrivilege(privilege, schema, grantees),
    grantDatabasePrivileges: (privileges: readonly DatabaseVerb[], grantees: readonly string[], grantOption: unknown) => statements.grantDatabasePrivileges(privileges, grantees, grantOption === true),
    revokeAllOnDatabase: (grantees: readonly string[]) => statements.revokeDatabasePrivileges("all", grantees),
    grantPrivileges: (privileges: readonly PrivilegeSpec[], object: ObjectRef, grantees: readonly string[], grantOption: unknown) => statements.grantPrivileges(privileges, object, grantees, { grantOption: grantOption === true }),
    // TABLE or SEQUENCE as a literal, for a statement a DO block writes with format().
    objectKeywordLiteral: (kind: ObjectKind) => quoteLiteral(statements.objectKeyword(kind)),
    revokePrivileges: (privileges: "all", object: ObjectRef, grantees: readonly string[]) => statements.revokePrivileges(privileges, object, grantees),
    grantDefaultPrivileges: (creator: string, schema: string | null, privileges: readonly string[], objects: DefaultObjects, grantees: readonly string[], grantOption: unknown) =>
      statements.grantDefaultPrivileges(creator, schema, privileges, objects, grantees, grantOption === true),
    revokeAllDefaultPrivileges: (creator: string, schema: string | null, objects: DefaultObjects, grantees: readonly string[]) => statements.revokeDefaultPrivileges(creator, schema, [], objects, grantees),
    // ALTER DEFAULT PRIVILEGES' word for a kind of object (TABLES, ...), as a literal for format() to print.
    defaultObjectsLiteral: (objects: DefaultObjects) => quoteLiteral(statements.defaultObjectsWord(objects)),
  },
  {
    dollar: quoteDollar,
    // The script's sections, one per step of statement-order.ts, in that order.
    steps: (_inner, context) => postgresSteps.map((step) => render(stepTemplates[step], context)).join(""),
    // {{#preflight}}name{{/preflight}}: the DO block that refuses to go on when that check finds something.
    // Both stand on a line of their own in the template, which ends that line.
    preflight: (inner, context) => render("refuse.sql", { ...context, check: preflightCheck(inner.trim()) }).trimEnd(),
    checkQuery: (_inner, context) => render(`checks/${(context as { check: PreflightCheck }).check.name}.sql`, context).trimEnd(),
  },
);

/** The PostgreSQL script for a model: one transaction that converges the database on it. */
export function renderPostgres(model: Model): string {
  return render("script.sql", scriptData(model));
}

/**
 * The script's append-only section for some of the model's append-only tables only: the owner
 * role, the guard functions, the check for undeclared children, the triggers and the owner.
 */
export function renderAppendOnlyGuard(model: Model, tables: readonly { schema: string; name: string }[]): string {
  const wanted = new Set(tables.map((t) => objectKey(t)));
  return render("append-only.sql", scriptData(restrictObjects(model, (o) => o.appendOnly && wanted.has(objectKey(o)))));
}

/** The script's section that drops rolec's triggers from tables that are no longer append-only. */
export function renderUnguard(model: Model, tables: readonly { schema: string; name: string }[]): string {
  const wanted = new Set(tables.map((t) => objectKey(t)));
  return render("unguard.sql", scriptData(restrictObjects(model, (o) => !o.appendOnly && o.kind === "table" && wanted.has(objectKey(o)))));
}

/**
 * The query of every check the script runs before it changes anything, for `rolec plan` to run
 * on the live database: the rows it returns are what makes the script refuse.
 */
export function renderPreflightQueries(model: Model, wanted: (check: PreflightCheck) => boolean = () => true): { check: PreflightCheck; sql: string }[] {
  const data = preflightData(model);
  // Only the wanted ones are rendered: on 10,000 tables each is some hundreds of kilobytes of SQL.
  return preflightChecks.filter((check) => check.applies(data) && wanted(check)).map((check) => ({ check, sql: render(`checks/${check.name}.sql`, data) }));
}

/** The script's refusals (RC002 to RC005) on their own, for a migration to begin with. */
export function renderPreflight(model: Model): string {
  const data = preflightData(model);
  return preflightChecks
    .filter((check) => check.applies(data))
    .map((check) => render("refuse.sql", { ...data, check }))
    .join("\n");
}

function restrictObjects(model: Model, keep: (o: Model["objects"][number]) => boolean): Model {
  const objects = model.objects.filter(keep);
  return { ...model, objects };
}

/**
 * What the checks before any change (targets/postgres/checks/) read, and nothing more: `rolec
 * plan` renders their queries for every run, and the whole script's data costs several times as
 * much to build on a large program. The script's data starts from this, so the two cannot differ.
 */
function preflightData(model: Model) {
  return {
    // Roles the program owns are named in the script's REVOKE lists; external roles, which may be
    // missing when the program grants them nothing, only ever through queries that find them first.
    managedRoles: ownedRoles(model).map((r) => r.name),
    externalRoles: model.roles.filter((r) => r.external).map((r) => r.name),
    knownRoles: model.roles.map((r) => r.name),
    requiredExternalRoles: requiredExternalRoles(model).map((r) => r.name),
    undeclaredCreators: undeclaredCreators(model),
    schemaNames: managedSchemas(model),
    relations: model.objects.flatMap((o) => [o.name, ...o.partitions].map((name) => ({ schema: o.schema, name }))),
    memberships: model.roles.flatMap((r) => r.memberOf.map((parent) => ({ parent, child: r.name, inherit: inherits(r), admin: (r.adminOf ?? []).includes(parent) }))),
    appendOnlyTables: model.objects.filter((o) => o.appendOnly).map((o) => ({ schema: o.schema, name: o.name, partitions: o.partitions })),
    appendOnlyPartitions: model.objects.filter((o) => o.appendOnly).flatMap((o) => o.partitions.map((name) => ({ schema: o.schema, name }))),
    plainTables: model.objects
      .filter((o) => o.kind === "table" && !o.appendOnly)
      .flatMap((o) => [o.name, ...o.partitions].map((name) => ({ schema: o.schema, name }))),
    appendOnlyOwner: appendOnlyNames.owner,
    // The checks name routines and types by signature only; the script's data adds who holds what.
    routines: model.routines.map((r) => ({ routine: { schema: r.schema, name: r.name, args: r.args } })),
    types: model.types.map((t) => ({ type: { kind: t.kind, schema: t.schema, name: t.name } })),
  };
}

function scriptData(model: Model) {
  const preflight = preflightData(model);
  const { managedRoles, externalRoles, knownRoles, schemaNames, appendOnlyTables } = preflight;
  const usage = schemaUsage(model);
  const create = schemaCreate(model);
  const schemaOptions = new Set(model.schemaGrants.filter((g) => g.grantable).map((g) => compositeKey(g.role, g.schema, g.verb)));
  // PUBLIC is named among the grantees only when a `public` block manages it.
  const publicIfManaged = model.public ? [statements.publicGrantee] : [];

  const grantsByObject = new Map<string, Map<string, (PrivilegeSpec & { grantOption: boolean })[]>>();
  for (const grant of [...model.grants, ...(model.public?.grants ?? [])]) {
    const key = objectKey(grant.object);
    let byRole = grantsByObject.get(key);
    if (!byRole) grantsByObject.set(key, (byRole = new Map()));
    let specs = byRole.get(grant.role);
    if (!specs) byRole.set(grant.role, (specs = []));
    specs.push({ verb: grant.verb, columns: grant.columns === "all" ? null : grant.columns, grantOption: grant.grantable === true });
  }
  const ownedRoleNames = new Set(managedRoles);
  // One array for every object's REVOKE, so the grantee list is quoted once (statements.ts caches it).
  const revokeFrom = [statements.publicGrantee, ...managedRoles];

  // Partitions too: each is revoked everything and granted what lines naming it declare.
  const objects = grantableRelations(model.objects).map((object) => {
    // One GRANT per distinct privilege list, naming every role that gets exactly that list.
    const byPrivileges = new Map<string, { privileges: PrivilegeSpec[]; roles: string[]; grantOption: boolean }>();
    // Roles with a declared grant option here, and the verbs they hold it for.
    const delegates: { role: string; verbs: string[]; owned: boolean }[] = [];
    const byRole = grantsByObject.get(objectKey(object)) ?? new Map<string, (PrivilegeSpec & { grantOption: boolean })[]>();
    for (const [role, specs] of byRole) {
      // Whole-object verbs, those with a grant option and column lists go in separate statements, so each reads simply.
      const parts = [specs.filter((s) => s.columns === null && !s.grantOption), specs.filter((s) => s.grantOption), specs.filter((s) => s.columns !== null)];
      for (const part of parts) {
        if (part.length === 0) continue;
        const privileges: PrivilegeSpec[] = part.map((s) => ({ verb: s.verb, columns: s.columns }));
        const grantOption = part[0]!.grantOption;
        const key = JSON.stringify([grantOption, privileges]);
        const entry = byPrivileges.get(key);
        if (entry) entry.roles.push(role);
        else byPrivileges.set(key, { privileges, roles: [role], grantOption });
      }
      const withOption = specs.filter((s) => s.grantOption).map((s) => s.verb.toUpperCase());
      if (withOption.length > 0) delegates.push({ role, verbs: withOption, owned: ownedRoleNames.has(role) });
    }
    const grants = [...byPrivileges.values()]
      .map((g) => ({ ...g, order: privilegeListOrder(g.privileges, g.grantOption) }))
      .sort((a, b) => compareText(a.order, b.order) || compareText(a.roles[0]!, b.roles[0]!))
      .map(({ privileges, roles, grantOption }) => ({ privileges, roles, grantOption }));
    const ref: ObjectRef = { kind: object.kind, schema: object.schema, name: object.name };
    const delegateNames = new Set(delegates.map((d) => d.role));
    return {
      ...ref,
      // A role with a declared grant option is left out of the REVOKE ALL, which would take what it
      // handed on from the option (CASCADE) on every run; its other privileges go one by one.
      delegates,
      revokeFrom: delegates.length === 0 ? revokeFrom : revokeFrom.filter((role) => !delegateNames.has(role)),
      grants: grants.map((g) => ({ ...g, object: ref })),
    };
  });

  const externalDelegates = new Map(objects.flatMap((o) => {
    const names = o.delegates.filter((d) => !d.owned).map((d) => d.role);
    return names.length > 0 ? [[objectKey(o), names] as const] : [];
  }));

  // EXECUTE on routines and USAGE on types: who gets it, and who gets it with the grant option.
  // Those with the option are left out of the REVOKE, as on objects: it would take what they handed on.
  const singlePrivilege = <T>(grants: readonly { role: string; grantable?: true }[], item: T) => {
    const plain = grants.filter((g) => !g.grantable).map((g) => g.role);
    const withOption = grants.filter((g) => g.grantable).map((g) => g.role);
    return {
      ...item,
      plainRoles: plain,
      optionRoles: withOption,
      revokeFrom: withOption.length === 0 ? revokeFrom : revokeFrom.filter((role) => !withOption.includes(role)),
      externalDelegates: withOption.filter((role) => !ownedRoleNames.has(role)),
    };
  };
  const byRoutine = new Map<string, { role: string; grantable?: true }[]>();
  for (const g of [...model.routineGrants, ...(model.public?.routineGrants ?? [])]) byRoutine.set(routineKey(g.routine), [...(byRoutine.get(routineKey(g.routine)) ?? []), g]);
  const routines = model.routines.map((r) => singlePrivilege(byRoutine.get(routineKey(r)) ?? [], { routine: { schema: r.schema, name: r.name, args: r.args } }));
  const byType = new Map<string, { role: string; grantable?: true }[]>();
  for (const g of [...model.typeGrants, ...(model.public?.typeGrants ?? [])]) byType.set(objectKey(g.type), [...(byType.get(objectKey(g.type)) ?? []), g]);
  const types = model.types.map((t) => singlePrivilege(byType.get(objectKey(t)) ?? [], { type: { kind: t.kind, schema: t.schema, name: t.name } }));

  return {
    ...preflight,
    version: rolecVersion,
    sourcesSha256: model.sourcesSha256,
    sources: model.sources,
    snapshot: model.snapshot ?? null,
    roles: ownedRoles(model).map((r) => ({ name: r.name, login: r.login, connectionLimit: r.connectionLimit, inherit: inherits(r), attributes: r.attributes, validUntil: r.validUntil ?? null, settings: r.settings, databaseSettings: r.databaseSettings, doc: r.doc ?? null })),
    // Roles' settings for this database are the files' once a line says `in database`; until then they are left alone.
    databaseSettingsManaged: managesDatabaseSettings(model),
    revokeFrom,
    publicOnly: [statements.publicGrantee],
    externalRolesChecked: requiredExternalRoles(model).length > 0 || undeclaredCreators(model).length > 0,
    // What an external role may hold a privilege on, besides the declared schemas: every declared object and partition.
    externalRevokeObjects: externalRoles.length === 0 ? [] : model.objects.flatMap((o) => [o.name, ...o.partitions].filter((name) => !externalDelegates.has(objectKey({ schema: o.schema, name }))).map((name) => ({ schema: o.schema, name, sequence: o.kind === "sequence" }))),
    // Grants a role made on an object where it holds a declared grant option, to be looked for among the other grantors'.
    delegations: objects.flatMap((o) => o.delegates.map((d) => ({ schema: o.schema, name: o.name, role: d.role }))),
    routineDelegations: routines.flatMap((r) => r.optionRoles.map((role) => ({ routine: r.routine, role }))),
    typeDelegations: types.flatMap((t) => t.optionRoles.map((role) => ({ type: t.type, role }))),
    // External roles lose everything on routines and types but where they hold a declared grant option.
    externalRevokeRoutines: routines.filter((r) => r.externalDelegates.length === 0),
    externalDelegateRoutines: routines.filter((r) => r.externalDelegates.length > 0),
    externalRevokeTypes: types.filter((t) => t.externalDelegates.length === 0),
    externalDelegateTypes: types.filter((t) => t.externalDelegates.length > 0),
    externalDelegatesAny: [...objects.filter((o) => externalDelegates.has(objectKey(o))), ...routines.filter((r) => r.externalDelegates.length > 0), ...types.filter((t) => t.externalDelegates.length > 0)].length > 0,
    // Objects where an external role holds a declared grant option: the others lose everything there, it loses the rest one by one.
    externalDelegateObjects: objects.filter((o) => externalDelegates.has(objectKey(o))).map((o) => ({ schema: o.schema, name: o.name, sequence: o.kind === "sequence", delegates: externalDelegates.get(objectKey(o))! })),
    ownershipSqlstate: appendOnlyNames.ownershipSqlstate,
    structureSqlstate: appendOnlyNames.structureSqlstate,
    adminMemberships: model.roles.flatMap((r) => (r.adminOf ?? []).map((parent) => ({ parent, child: r.name }))),
    database: databaseStep(model, [...knownRoles, ...publicIfManaged], managedRoles),
    // With a `public` block PUBLIC holds exactly what it says on the schemas and the database; without, it keeps USAGE and its CONNECT and TEMPORARY.
    publicManaged: model.public !== undefined,
    otherGrantorsStep: schemaNames.length > 0 || managesDatabase(model),
    schemas: schemaNames.map((name) => {
      const holders = (byRole: Map<string, string[]>) => [...knownRoles, ...publicIfManaged].filter((role) => byRole.get(role)?.includes(name));
      const withOption = (verb: "usage" | "create") => (role: string) => schemaOptions.has(compositeKey(role, name, verb));
      // A role with a declared grant option is left out of the REVOKE ALL, which would take what it
      // granted on from the option (CASCADE) on every run; its other privileges there go one by one.
      const delegates = managedRoles
        .map((role) => ({ role, kept: (["usage", "create"] as const).filter((verb) => withOption(verb)(role)).map((verb) => verb.toUpperCase()) }))
        .filter((d) => d.kept.length > 0);
      return {
        name,
        revokeFrom: managedRoles.filter((role) => !delegates.some((d) => d.role === role)),
        delegates,
        usageRoles: holders(usage).filter((role) => !withOption("usage")(role)),
        usageOptionRoles: holders(usage).filter(withOption("usage")),
        createRoles: holders(create).filter((role) => !withOption("create")(role)),
        createOptionRoles: holders(create).filter(withOption("create")),
      };
    }),
    appendOnlySchemas: [...new Set(appendOnlyTables.map((t) => t.schema))].sort(compareText).map((name) => ({ name })),
    appendOnlyTables,
    appendOnlyFunction: appendOnlyNames.function,
    appendOnlySqlstate: appendOnlyNames.sqlstate,
    rowTrigger: appendOnlyNames.rowTrigger,
    truncateTrigger: appendOnlyNames.truncateTrigger,
    ddlSchema: appendOnlyNames.ddlSchema,
    ddlFunction: appendOnlyNames.ddlFunction,
    dropEventTrigger: appendOnlyNames.dropEventTrigger,
    renameEventTrigger: appendOnlyNames.renameEventTrigger,
    objects,
    routines,
    types,
    objectsOrRoutines: model.objects.length > 0 || routines.length > 0 || types.length > 0,
    ...defaultPrivilegesStep(model, [statements.publicGrantee, ...managedRoles], externalRoles),
  };
}

/**
 * The default privileges of the creators a `created by` names: for every schema and each default
 * schema, and each kind of object, every privilege is taken from the owned roles and PUBLIC (and
 * from the external roles that exist, in a DO block), then the declared ones are given, one GRANT
 * per distinct privilege list.
 */
function defaultPrivilegesStep(model: Model, revokeFrom: readonly string[], externalRoles: readonly string[]) {
  const scopes: (string | null)[] = [null, ...defaultSchemas(model)];
  const creators = defaultCreators(model).map((creator) => ({
    creator,
    // Never from the creator itself: that would take its own privileges on what it creates.
    revokeFrom: revokeFrom.filter((role) => role !== creator),
    scopes: scopes.map((schema) => ({
      schema,
      kinds: defaultObjectsOrder
        .filter((objects) => schema === null || objects !== "schemas")
        .map((objects) => {
          // Per role, the privileges without and with the grant option, each list one GRANT naming every role that gets exactly it.
          const byRole = new Map<string, { plain: string[]; option: string[] }>();
          for (const g of model.defaultGrants) {
            if (g.creator !== creator || g.schema !== schema || g.objects !== objects) continue;
            const entry = byRole.get(g.role) ?? { plain: [], option: [] };
            (g.grantable ? entry.option : entry.plain).push(g.verb.toUpperCase());
            byRole.set(g.role, entry);
          }
          const grants = new Map<string, { privileges: string[]; roles: string[]; grantOption: boolean }>();
          for (const [role, lists] of byRole) {
            for (const [privileges, grantOption] of [[lists.plain, false], [lists.option, true]] as const) {
              if (privileges.length === 0) continue;
              const key = `${grantOption}:${privileges.join(",")}`;
              if (grants.has(key)) grants.get(key)!.roles.push(role);
              else grants.set(key, { privileges: [...privileges], roles: [role], grantOption });
            }
          }
          return { objects, grants: [...grants.values()] };
        }),
    })),
  }));
  return {
    defaultCreators: creators,
    defaultExternalTargets: externalRoles.length === 0 ? [] : creators.flatMap((c) => c.scopes.flatMap((s) => s.kinds.map((k) => ({ creator: c.creator, schema: s.schema, objects: k.objects })))),
  };
}

/** A privilege list's place among an object's GRANTs: whole-object verbs first, then those with a grant option, then by verb and columns. */
function privilegeListOrder(list: readonly PrivilegeSpec[], grantOption: boolean): string {
  return `${list[0]!.columns !== null ? 2 : grantOption ? 1 : 0}${JSON.stringify(list.map((p) => [verbOrder.indexOf(p.verb as Verb), p.columns]))}`;
}

/**
 * The database step's data, null when the files say nothing of the database: one GRANT per distinct list (with or without the grant option),
 * naming every role that gets exactly that list; and the roles with a declared grant option,
 * which the REVOKE ALL leaves out (it would take what they granted on, CASCADE, on every run).
 */
function databaseStep(
  model: Model,
  knownRoles: readonly string[],
  managedRoles: readonly string[],
): { grants: { privileges: DatabaseVerb[]; roles: string[]; grantOption: boolean }[]; revokeFrom: string[]; delegates: { role: string; kept: string[] }[] } | null {
  if (!managesDatabase(model)) return null;
  const byRole = new Map<string, { plain: DatabaseVerb[]; option: DatabaseVerb[] }>();
  for (const g of allDatabaseGrants(model)) {
    const entry = byRole.get(g.role) ?? { plain: [], option: [] };
    (g.grantable ? entry.option : entry.plain).push(g.verb);
    byRole.set(g.role, entry);
  }
  const grants = new Map<string, { privileges: DatabaseVerb[]; roles: string[]; grantOption: boolean }>();
  for (const role of knownRoles) {
    for (const [privileges, grantOption] of [[byRole.get(role)?.plain ?? [], false], [byRole.get(role)?.option ?? [], true]] as const) {
      if (privileges.length === 0) continue;
      const key = `${grantOption}:${privileges.join(",")}`;
      const entry = grants.get(key);
      if (entry) entry.roles.push(role);
      else grants.set(key, { privileges: [...privileges], roles: [role], grantOption });
    }
  }
  const delegates = managedRoles.filter((role) => (byRole.get(role)?.option.length ?? 0) > 0).map((role) => ({ role, kept: byRole.get(role)!.option.map((v) => v.toUpperCase()) }));
  return { grants: [...grants.values()], revokeFrom: managedRoles.filter((role) => !delegates.some((d) => d.role === role)), delegates };
}
