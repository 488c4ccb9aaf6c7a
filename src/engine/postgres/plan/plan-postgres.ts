import type { Blocker, Plan, PlanChange, RoleField, UnmanagedRole } from "../../plan.js";
import { appendOnlyNames } from "../script/render-postgres.js";
import { allDatabaseGrants, compareText, formatRoutine, managesDatabase, managesDatabaseSettings, objectKey, routineKey, type Model } from "../../../model/ir.js";
import type { RoleSetting } from "../../../model/role-settings.js";
import type { Span } from "../../../source/source.js";
import type { LiveDatabase, LiveObject } from "../../../model/live-database.js";
import { withCascades } from "./revoke-cascade.js";
import { type AclGrant } from "../../plan.js";
import { planDefaultPrivileges, undeclaredGranteeDefaults } from "./plan-default-privileges.js";
import { desiredState, privilegeKey, PUBLIC, type DefaultPrivilegeFact, type MembershipFact, type PrivilegeFact, type RoleState, type SchemaPrivilegeFact } from "../../../model/permission-state.js";
import { orderPostgresChanges } from "./change-order.js";
import { planRoutines, planTypes } from "./plan-routines-and-types.js";
import { settingText } from "../catalog/stored-settings.js";
import { compositeKey } from "../../../model/composite-key.js";
import { validUntilForever } from "../../../model/valid-until.js";

/**
 * The PostgreSQL plan: every change that makes the live database hold exactly what the .roles
 * files say for the roles and objects they declare. Roles the files do not declare are listed,
 * and with `prune` their grants on declared objects and memberships in declared roles go too.
 */
export function planPostgres(model: Model, live: LiveDatabase, options: { prune?: boolean } = {}): Plan {
  const desired = desiredState(model);
  const roles = membershipScope(model);
  // Roles the files name, owned or external: what they hold on the declared objects is managed.
  const declaredRoles = roles.known;
  const liveRoles = new Map(live.state.roles.map((r) => [r.name, r]));
  const changes: PlanChange[] = [];
  const blockers: Blocker[] = [];

  for (const role of desired.roles) {
    const current = liveRoles.get(role.name);
    if (!current) {
      changes.push({ kind: "create-role", role: role.name, desired: role, ...(role.span ? { span: role.span } : {}) });
      continue;
    }
    const alter = (field: RoleField, from: string, to: string) => {
      if (from !== to) changes.push({ kind: "alter-role", role: role.name, field, from, to, desired: role, ...(role.span ? { span: role.span } : {}) });
    };
    alter("login", current.login ? "LOGIN" : "NOLOGIN", role.login ? "LOGIN" : "NOLOGIN");
    alter("connection limit", String(current.connectionLimit), String(role.connectionLimit));
    alter("powers", current.powers.join(" ") || "none", role.powers.join(" ") || "none");
    // VALID UNTIL is the files' only once they say it; until then a person or a password policy keeps it.
    if (role.validUntil !== undefined) alter("valid until", current.validUntil ?? validUntilForever, role.validUntil);
    alter("settings", current.settings.map(settingText).join("; ") || "none", role.settings.map(settingText).join("; ") || "none");
    if (managesDatabaseSettings(model)) {
      const text = (settings: readonly RoleSetting[] | undefined) => (settings ?? []).map(settingText).join("; ") || "none";
      alter("settings in database", text(current.databaseSettings), text(role.databaseSettings));
    }
    alter("inherit", current.inherit ? "INHERIT" : "NOINHERIT", role.inherit ? "INHERIT" : "NOINHERIT");
    alter("comment", JSON.stringify(current.comment), JSON.stringify(role.comment));
  }

  planMemberships(desired.memberships, live, roles, changes, options.prune === true);

  // Objects: each declared one, and its partitions, which hold nothing of their own.
  const liveObjects = new Map(live.objects.map((o) => [objectKey(o), o]));
  const managed = new Map<string, LiveObject>();
  for (const object of model.objects) {
    for (const name of [object.name, ...object.partitions]) {
      const found = liveObjects.get(compositeKey(object.schema, name));
      if (!found) {
        blockers.push({ what: `${object.schema}.${name} does not exist`, hint: "create it (or fix its declaration), then plan again", span: object.span });
      } else if (found.kind !== object.kind) {
        blockers.push({ what: `${object.schema}.${name} is a ${found.kind}, declared a ${object.kind}`, hint: "fix the declaration", span: object.span });
      } else {
        managed.set(compositeKey(object.schema, name), found);
      }
    }
  }
  // Owners among the declared roles, undeclared children of append-only tables and the like are
  // what the script itself refuses: planOnPostgres asks the database with the script's own
  // queries (preflight-blockers.ts), so they are not judged a second time here.
  const liveSchemas = new Map(live.schemas.map((s) => [s.name, s.owner]));

  const grantees = (grantee: string) => declaredRoles.has(grantee) || grantee === PUBLIC || (options.prune === true && liveRoles.has(grantee) && !isSystemRole(grantee));
  const wanted = new Map(desired.privileges.map((p) => [privilegeKey(p), p]));
  const held = new Map<string, PrivilegeFact[]>();
  for (const fact of live.state.privileges) {
    const object = managed.get(objectKey(fact));
    if (!object || fact.grantee === object.owner) continue;
    const key = privilegeKey(fact);
    const list = held.get(key);
    if (list) list.push(fact);
    else held.set(key, [fact]);
  }
  // A declared privilege must be the owner's grant, as the compiled script leaves it: one that hangs
  // on the grant option of a role the files do not declare goes when that role loses its option.
  const foreignGrantor = (grantor: string | undefined, owner: string) => grantor !== undefined && grantor !== "" && grantor !== owner && !declaredRoles.has(grantor);
  for (const [key, fact] of wanted) {
    const object = managed.get(objectKey(fact));
    if (!object) continue;
    // A declared grant option must be held too; a grant without it is given again with it.
    if (!(held.get(key) ?? []).some((h) => !foreignGrantor(h.grantor, object.owner) && (h.grantable || !fact.grantable))) changes.push({ kind: "grant", role: fact.grantee, fact });
  }
  for (const [key, facts] of held) {
    for (const fact of facts) {
      if (!grantees(fact.grantee)) continue;
      const owner = managed.get(objectKey(fact))!.owner;
      if (!wanted.has(key) || foreignGrantor(fact.grantor, owner)) changes.push({ kind: "revoke", role: fact.grantee, fact, owner });
      else if (fact.grantable && !wanted.get(key)!.grantable) changes.push({ kind: "revoke-grant-option", role: fact.grantee, fact, owner });
    }
  }

  // Schemas: USAGE where something in them is granted or USAGE is declared; CREATE where declared.
  const wantedSchema = new Set(desired.schemaPrivileges.map((s) => compositeKey(s.grantee, s.schema, s.privilege)));
  const wantedSchemaOption = new Set(desired.schemaPrivileges.filter((s) => s.grantable).map((s) => compositeKey(s.grantee, s.schema, s.privilege)));
  const liveSchemaFacts = live.state.schemaPrivileges.filter((s) => liveSchemas.has(s.schema) && s.grantee !== liveSchemas.get(s.schema));
  // Live facts by grantee, schema and privilege: a large database has thousands of each.
  const liveSchemaFactsByKey = new Map<string, SchemaPrivilegeFact[]>();
  for (const fact of liveSchemaFacts) {
    const key = compositeKey(fact.grantee, fact.schema, fact.privilege);
    const list = liveSchemaFactsByKey.get(key);
    if (list) list.push(fact);
    else liveSchemaFactsByKey.set(key, [fact]);
  }
  for (const fact of desired.schemaPrivileges) {
    if (!liveSchemas.has(fact.schema)) continue;
    const owner = liveSchemas.get(fact.schema)!;
    const heldFacts = liveSchemaFactsByKey.get(compositeKey(fact.grantee, fact.schema, fact.privilege)) ?? [];
    // A declared grant option must be held too; a grant without it is given again with it.
    if (!heldFacts.some((s) => !foreignGrantor(s.grantor, owner) && (s.grantable || !fact.grantable))) {
      changes.push({ kind: "grant-schema", role: fact.grantee, fact });
    }
  }
  for (const fact of liveSchemaFacts) {
    if (!grantees(fact.grantee)) continue;
    // Without a `public` block PUBLIC keeps USAGE on a schema, as the script leaves it: what matters is that it may not CREATE.
    const allowed =
      ((fact.privilege === "usage" && fact.grantee === PUBLIC && !model.public) || wantedSchema.has(compositeKey(fact.grantee, fact.schema, fact.privilege))) && !foreignGrantor(fact.grantor, liveSchemas.get(fact.schema)!);
    if (!allowed || (fact.grantable && !wantedSchemaOption.has(compositeKey(fact.grantee, fact.schema, fact.privilege)))) {
      changes.push({ kind: "revoke-schema", role: fact.grantee, fact, owner: liveSchemas.get(fact.schema)!, grantOptionOnly: allowed });
    }
  }

  // The database's own privileges, once the files say any: each declared role holds exactly its declared ones.
  if (managesDatabase(model) && live.database) {
    const { owner, privileges } = live.database;
    const declaredOnDatabase = allDatabaseGrants(model);
    const wantedOnDatabase = new Set(declaredOnDatabase.map((g) => compositeKey(g.role, g.verb)));
    const wantedOptionOnDatabase = new Set(declaredOnDatabase.filter((g) => g.grantable).map((g) => compositeKey(g.role, g.verb)));
    // PUBLIC's are the database's business until a `public` block says what PUBLIC holds.
    const heldOnDatabase = privileges.filter((f) => f.grantee !== owner && (f.grantee !== PUBLIC || model.public !== undefined));
    for (const g of declaredOnDatabase) {
      if (!heldOnDatabase.some((f) => f.grantee === g.role && f.privilege === g.verb && !foreignGrantor(f.grantor, owner) && (f.grantable || !g.grantable))) {
        changes.push({ kind: "grant-database", role: g.role, privilege: g.verb, ...(g.grantable ? { grantOption: true as const } : {}) });
      }
    }
    for (const fact of heldOnDatabase) {
      if (!grantees(fact.grantee)) continue;
      const allowed = wantedOnDatabase.has(compositeKey(fact.grantee, fact.privilege)) && !foreignGrantor(fact.grantor, owner);
      if (!allowed || (fact.grantable && !wantedOptionOnDatabase.has(compositeKey(fact.grantee, fact.privilege)))) changes.push({ kind: "revoke-database", role: fact.grantee, fact, owner, grantOptionOnly: allowed });
    }
  }

  planRoutines(model, live, grantees, changes, blockers);
  planTypes(model, live, grantees, changes, blockers);
  planAppendOnly(model, live, managed, changes);
  changes.push(...planDefaultPrivileges(model, live, grantees));

  // What the revokes take with them (CASCADE) is listed too, and declared grants they take are made again.
  const { changes: planned, taken } = withCascades(orderPostgresChanges(changes, (role) => declaredRoles.has(role)), live, managed, desired);
  const unmanaged = options.prune ? [] : unmanagedRoles(live, roles, managed, taken, new Set(model.routines.map(routineKey)), new Set(model.types.map(objectKey)), undeclaredGranteeDefaults(model, live, (role) => declaredRoles.has(role) || isSystemRole(role)));
  return { changes: planned, blockers, unmanaged };
}

/** Which roles a program owns and which it declares external, and so which memberships it manages. */
export interface MembershipScope {
  readonly owned: ReadonlySet<string>;
  readonly external: ReadonlySet<string>;
  /** Owned and external. */
  readonly known: ReadonlySet<string>;
  /**
   * Whether the program decides whether `child` is a member of `parent`: an owned child's
   * memberships, but for those in external roles (their owners' business), and an external
   * child's memberships in owned roles. Any other membership is left alone.
   */
  manages(parent: string, child: string): boolean;
}

export function membershipScope(model: Model): MembershipScope {
  const owned = new Set(model.roles.filter((r) => !r.external).map((r) => r.name));
  const external = new Set(model.roles.filter((r) => r.external).map((r) => r.name));
  return {
    owned,
    external,
    known: new Set([...owned, ...external]),
    manages: (parent, child) => (owned.has(child) && !external.has(parent)) || (external.has(child) && owned.has(parent)),
  };
}

function planMemberships(desired: readonly MembershipFact[], live: LiveDatabase, roles: MembershipScope, changes: PlanChange[], prune: boolean): void {
  const wanted = new Set(desired.map((m) => compositeKey(m.parent, m.child)));
  const perGrantor = live.serverVersion >= 160000;
  // With --prune, roles the files do not declare also lose their memberships in the roles the files own.
  const held = live.state.memberships.filter((m) => roles.manages(m.parent, m.child) || (prune && roles.owned.has(m.parent) && !roles.known.has(m.child) && !isSystemRole(m.child)));
  const heldByPair = new Map<string, (typeof held)[number][]>();
  for (const h of held) {
    const key = compositeKey(h.parent, h.child);
    const list = heldByPair.get(key);
    if (list) list.push(h);
    else heldByPair.set(key, [h]);
  }
  for (const m of desired) {
    const rows = heldByPair.get(compositeKey(m.parent, m.child)) ?? [];
    if (rows.length === 0) changes.push({ kind: "grant-membership", role: m.child, parent: m.parent, inherit: m.inherit, admin: m.admin, ...(m.span ? { span: m.span } : {}) });
    else {
      if (perGrantor && !rows.some((r) => r.inherit === m.inherit)) changes.push({ kind: "set-inherit", role: m.child, parent: m.parent, inherit: m.inherit });
      if (m.admin && !rows.some((r) => r.admin)) changes.push({ kind: "grant-admin-option", role: m.child, parent: m.parent, ...(m.span ? { span: m.span } : {}) });
    }
  }
  const withAdmin = new Set(desired.filter((m) => m.admin).map((m) => compositeKey(m.parent, m.child)));
  for (const m of held) {
    const grantor = perGrantor && m.grantor !== undefined ? { grantor: m.grantor } : {};
    const key = compositeKey(m.parent, m.child);
    if (!wanted.has(key)) changes.push({ kind: "revoke-membership", role: m.child, parent: m.parent, ...grantor });
    else if (m.admin && !withAdmin.has(key)) changes.push({ kind: "revoke-admin-option", role: m.child, parent: m.parent, ...grantor });
  }
}

/** Append-only tables must be owned by the owner role, with both triggers ENABLE ALWAYS; other tables must have none of rolec's. */
function planAppendOnly(model: Model, live: LiveDatabase, managed: ReadonlyMap<string, LiveObject>, changes: PlanChange[]): void {
  const ownerRole = live.state.roles.find((r) => r.name === appendOnlyNames.owner);
  const ownerMembers = live.state.memberships.filter((m) => m.parent === appendOnlyNames.owner).map((m) => m.child);
  for (const object of model.objects.filter((o) => o.kind === "table")) {
    const tables = [object.name, ...object.partitions].map((name) => managed.get(compositeKey(object.schema, name))).filter((o): o is LiveObject => o !== undefined);
    if (tables.length === 0) continue;
    if (!object.appendOnly) {
      if (tables.some((t) => t.triggers.length > 0 || t.owner === appendOnlyNames.owner)) changes.push({ kind: "unguard", role: undefined, schema: object.schema, table: object.name });
      continue;
    }
    const problems: string[] = [];
    if (!ownerRole) problems.push(`the owner role ${appendOnlyNames.owner} does not exist`);
    else if (ownerRole.login || ownerRole.powers.length > 0) problems.push(`${appendOnlyNames.owner} can log in or has powers`);
    if (ownerMembers.length > 0) problems.push(`${appendOnlyNames.owner} has members: ${ownerMembers.join(", ")}`);
    // Without them the owner of the table's schema could drop it and recreate it with forged rows.
    if (live.eventTriggers) {
      for (const name of [appendOnlyNames.dropEventTrigger, appendOnlyNames.renameEventTrigger]) {
        const found = live.eventTriggers.find((e) => e.name === name);
        if (!found) problems.push(`event trigger ${name} does not exist: the owner of schema ${object.schema} may drop or move the table`);
        else if (found.enabled !== "always") problems.push(`event trigger ${name} is ${found.enabled}, not ENABLE ALWAYS`);
      }
    }
    for (const table of tables) {
      const isParent = table.name === object.name;
      if (table.owner !== appendOnlyNames.owner) problems.push(`${table.schema}.${table.name} is owned by ${table.owner}`);
      for (const trigger of [appendOnlyNames.rowTrigger, appendOnlyNames.truncateTrigger]) {
        const found = table.triggers.find((t) => t.name === trigger);
        if (!found) problems.push(`${table.schema}.${table.name} has no ${trigger} trigger`);
        else if (found.enabled !== "always") problems.push(`${table.schema}.${table.name}'s ${trigger} trigger is ${found.enabled}, not ENABLE ALWAYS`);
        else if (found.functionOwner !== appendOnlyNames.owner && isParent) problems.push(`${found.function} is owned by ${found.functionOwner}`);
      }
    }
    if (problems.length > 0) changes.push({ kind: "guard-append-only", role: undefined, schema: object.schema, table: object.name, partitions: object.partitions, problems });
  }
}

/** `taken`: the grants a cascade takes, which plan lists as such rather than as left alone. */
function unmanagedRoles(
  live: LiveDatabase,
  roles: MembershipScope,
  managed: ReadonlyMap<string, LiveObject>,
  taken: (fact: PrivilegeFact) => boolean,
  declaredRoutines: ReadonlySet<string>,
  declaredTypes: ReadonlySet<string>,
  defaults: readonly DefaultPrivilegeFact[],
): UnmanagedRole[] {
  const declaredRoles = roles.known;
  const holds = new Map<string, string[]>();
  const add = (role: string, what: string) => holds.set(role, [...(holds.get(role) ?? []), what]);
  for (const fact of live.state.privileges) {
    const object = managed.get(objectKey(fact));
    if (!object || fact.grantee === object.owner || fact.grantee === PUBLIC || declaredRoles.has(fact.grantee) || isSystemRole(fact.grantee) || taken(fact)) continue;
    add(fact.grantee, `${fact.verb.toUpperCase()}${fact.column !== null ? ` (${fact.column})` : ""} on ${fact.schema}.${fact.name}`);
  }
  for (const m of live.state.memberships) {
    if (roles.owned.has(m.parent) && !declaredRoles.has(m.child) && !isSystemRole(m.child)) add(m.child, `member of ${m.parent}`);
  }
  for (const t of live.types ?? []) {
    if (!declaredTypes.has(objectKey(t))) continue;
    for (const f of t.privileges) {
      if (f.grantee !== t.owner && f.grantee !== PUBLIC && !declaredRoles.has(f.grantee) && !isSystemRole(f.grantee)) add(f.grantee, `USAGE on ${t.kind} ${t.schema}.${t.name}`);
    }
  }
  for (const r of live.routines ?? []) {
    if (!declaredRoutines.has(routineKey(r))) continue;
    for (const f of r.privileges) {
      if (f.grantee !== r.owner && f.grantee !== PUBLIC && !declaredRoles.has(f.grantee) && !isSystemRole(f.grantee)) add(f.grantee, `EXECUTE on ${formatRoutine(r)}`);
    }
  }
  for (const f of defaults) add(f.grantee, `default ${f.privilege} on ${f.objects} ${f.owner} creates ${f.schema === null ? "in any schema" : `in schema ${f.schema}`}`);
  return [...holds].map(([role, what]) => ({ role, holds: [...new Set(what)] })).sort((a, b) => compareText(a.role, b.role));
}

export function isSystemRole(name: string): boolean {
  return name.startsWith("pg_") || name === appendOnlyNames.owner;
}
