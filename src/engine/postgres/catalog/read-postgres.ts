import { appendOnlyNames } from "../script/render-postgres.js";
import type { SqlSession } from "../../session.js";
import { parseStoredSettings } from "./stored-settings.js";
import type { DatabaseVerb } from "../../../model/verbs.js";
import { PUBLIC, rolePowers, sortState, type DatabasePrivilegeFact, type DefaultPrivilegeFact, type MembershipFact, type PrivilegeFact, type RolePower, type RoleState, type SchemaPrivilegeFact } from "../../../model/permission-state.js";
import type { LiveDatabase, LiveObject, LiveTrigger } from "../../../model/live-database.js";
import { compareObjects, compareRoutines, objectKey } from "../../../model/ir.js";
import type { ArgType } from "../../../model/argument-types.js";
import { validUntilColumnSql } from "./valid-until-column.js";
import { parseAclText } from "./acl-text.js";
import { declarableTypeSql, declarableRoutineSql, routineArgsSql } from "./routine-args.js";

/**
 * Reads a PostgreSQL database's roles, memberships and the privileges on every table, view,
 * sequence and column in `schemas`, and the default ACLs (ALTER DEFAULT PRIVILEGES) global or
 * in `schemas`, in seven catalog queries whatever their number, and with `routinesAndTypes` the
 * ACLs of their functions, procedures, types and domains in an eighth. Privileges
 * come from the ACLs themselves (aclexplode, with acldefault standing in for a NULL ACL), not
 * from information_schema, which hides what the current user cannot see: PUBLIC, owners'
 * implicit privileges, grant options and grantors are all kept.
 */
/**
 * An object's ACL as a JSON array of { grantor, grantee (PUBLIC for 0), privilege, grantable },
 * PostgreSQL's default for its kind and owner (acldefault) standing in for a NULL one. The three
 * arguments are the catalog's own columns and expressions, never a name.
 */
function aclJson(acl: string, kind: string, owner: string): string {
  return `COALESCE((SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
                        'grantor', gr.rolname, 'grantee', CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE ge.rolname END,
                        'privilege', x.privilege_type, 'grantable', x.is_grantable))
                      FROM pg_catalog.aclexplode(COALESCE(${acl}, pg_catalog.acldefault(${kind}, ${owner}))) x
                      LEFT JOIN pg_catalog.pg_roles gr ON gr.oid = x.grantor
                      LEFT JOIN pg_catalog.pg_roles ge ON ge.oid = x.grantee), '[]'::json)`;
}

export interface ReadOptions {
  /** Read functions, procedures, types and domains (an eighth query). */
  readonly routinesAndTypes?: boolean;
  /**
   * Default privileges are read for every schema (global) and the schemas read; these add the
   * schemas a program's default lines name, and creators whose built-in defaults are wanted even
   * where they have no entry in pg_default_acl.
   */
  readonly defaults?: { readonly schemas: readonly string[]; readonly creators: readonly string[] };
}

export async function readPostgres(session: SqlSession, schemas: readonly string[], triggerNames: readonly string[], options: ReadOptions = {}): Promise<LiveDatabase> {
  // Types and domains ride along with the routines' query: both are read only when asked for.
  // rolec's own event triggers are always read: whoever plans against this read (plan, import) judges them.
  const eventTriggerNames = [appendOnlyNames.dropEventTrigger, appendOnlyNames.renameEventTrigger];
  const roleRows = await session.query<RoleRow>(
    `SELECT r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin, r.rolreplication, r.rolbypassrls,
            r.rolconnlimit, pg_catalog.shobj_description(r.oid, 'pg_authid') AS comment, ${validUntilColumnSql} AS valid_until,
            (SELECT s.setconfig FROM pg_catalog.pg_db_role_setting s WHERE s.setrole = r.oid AND s.setdatabase = 0) AS settings,
            (SELECT s.setconfig FROM pg_catalog.pg_db_role_setting s JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase
             WHERE s.setrole = r.oid AND d.datname = pg_catalog.current_database()) AS database_settings,
            pg_catalog.current_setting('server_version_num')::int AS server_version,
            -- rolec's event triggers ride along (one uncorrelated subquery), so the read stays at six queries.
            (SELECT pg_catalog.json_agg(pg_catalog.json_build_object('name', e.evtname, 'enabled', e.evtenabled::text))
             FROM pg_catalog.pg_event_trigger e WHERE e.evtname = ANY ($1::text[])) AS event_triggers,
            -- So does the current database's own ACL, acldefault standing in for a NULL one.
            (SELECT pg_catalog.json_build_object('name', d.datname, 'owner', o.rolname, 'acl', ${aclJson("d.datacl", `'d'::"char"`, "d.datdba")})
             FROM pg_catalog.pg_database d JOIN pg_catalog.pg_roles o ON o.oid = d.datdba
             WHERE d.datname = pg_catalog.current_database()) AS database
     FROM pg_catalog.pg_roles r ORDER BY r.rolname`,
    [eventTriggerNames],
  );
  // inherit_option exists from PostgreSQL 16; to_jsonb reads it where it is, without a second query for the version.
  const membershipRows = await session.query<{ parent: string; child: string; grantor: string | null; admin: boolean; inherit: boolean }>(
    `SELECT p.rolname AS parent, c.rolname AS child, g.rolname AS grantor, m.admin_option AS admin,
            COALESCE((pg_catalog.to_jsonb(m) ->> 'inherit_option')::boolean, c.rolinherit) AS inherit
     FROM pg_catalog.pg_auth_members m
     JOIN pg_catalog.pg_roles p ON p.oid = m.roleid
     JOIN pg_catalog.pg_roles c ON c.oid = m.member
     LEFT JOIN pg_catalog.pg_roles g ON g.oid = m.grantor`,
  );
  // ACLs come as PostgreSQL prints them and are decoded here (acl-text.ts says why); rows are
  // put in order here too, which costs the server more than the rest of the query.
  const relationRows = await session.query<RelationRow>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind, o.rolname AS owner,
            (SELECT pn.nspname || '.' || pc.relname FROM pg_catalog.pg_inherits i
               JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
             WHERE i.inhrelid = c.oid LIMIT 1) AS parent,
            c.relispartition AS is_partition,
            ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns,
            COALESCE(c.relacl, pg_catalog.acldefault((CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::"char", c.relowner))::text AS acl
     FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_catalog.pg_roles o ON o.oid = c.relowner
     WHERE n.nspname = ANY ($1::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`,
    [schemas],
  );
  relationRows.sort(compareObjects);
  const columnRows = await session.query<{ schema: string; name: string; column: string; acl: string }>(
    `SELECT n.nspname AS schema, c.relname AS name, a.attname AS column, a.attacl::text AS acl
     FROM pg_catalog.pg_attribute a
     JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY ($1::text[]) AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL`,
    [schemas],
  );
  const schemaRows = await session.query<{ schema: string; owner: string; acl: AclEntry[] }>(
    `SELECT n.nspname AS schema, o.rolname AS owner,
            ${aclJson("n.nspacl", `'n'::"char"`, "n.nspowner")} AS acl
     FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_roles o ON o.oid = n.nspowner
     WHERE n.nspname = ANY ($1::text[])`,
    [schemas],
  );
  const triggerRows = await session.query<{ schema: string; name: string; trigger: string; enabled: string; function_owner: string; function_schema: string; function_name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name, t.tgname AS trigger, t.tgenabled::text AS enabled,
            po.rolname AS function_owner, pn.nspname AS function_schema, p.proname AS function_name
     FROM pg_catalog.pg_trigger t
     JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
     JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
     JOIN pg_catalog.pg_roles po ON po.oid = p.proowner
     WHERE n.nspname = ANY ($1::text[]) AND NOT t.tgisinternal AND t.tgname = ANY ($2::text[])`,
    [schemas, triggerNames],
  );
  // Functions and procedures; those an extension installed are the extension's, never declared.
  const routineRows = !options.routinesAndTypes ? [] : await session.query<{ schema: string; name: string; kind: string; owner: string; args: ArgType[] | null; acl: AclEntry[] }>(
    `SELECT n.nspname AS schema, p.proname AS name, p.prokind::text AS kind, o.rolname AS owner,
            ${routineArgsSql} AS args,
            ${aclJson("p.proacl", `'f'::"char"`, "p.proowner")} AS acl
     FROM pg_catalog.pg_proc p
     JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
     JOIN pg_catalog.pg_roles o ON o.oid = p.proowner
     WHERE n.nspname = ANY ($1::text[]) AND ${declarableRoutineSql}
     UNION ALL
     SELECT n.nspname, t.typname, CASE WHEN t.typtype = 'd' THEN 'domain' ELSE 'type' END, o.rolname, NULL::json,
            ${aclJson("t.typacl", `'T'::"char"`, "t.typowner")}
     FROM pg_catalog.pg_type t
     JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
     JOIN pg_catalog.pg_roles o ON o.oid = t.typowner
     WHERE n.nspname = ANY ($1::text[]) AND ${declarableTypeSql}`,
    [schemas],
  );
  // PostgreSQL's built-in defaults hold where a role has no entry for every schema: PUBLIC's
  // EXECUTE on functions and USAGE on types. They are written out, marked, for each role that
  // has an entry anywhere or that the caller names, as the plan must see them to take them away.
  const defaultRows = await session.query<{ owner: string; schema: string | null; objtype: string; grantee: string | null; privilege: string; grantable: boolean; built_in: boolean }>(
    `SELECT o.rolname AS owner, n.nspname AS schema, d.defaclobjtype::text AS objtype,
            CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE ge.rolname END AS grantee, x.privilege_type AS privilege, x.is_grantable AS grantable, false AS built_in
     FROM pg_catalog.pg_default_acl d
     JOIN pg_catalog.pg_roles o ON o.oid = d.defaclrole
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
     CROSS JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) x
     LEFT JOIN pg_catalog.pg_roles ge ON ge.oid = x.grantee
     WHERE d.defaclnamespace = 0 OR n.nspname = ANY ($1::text[])
     UNION ALL
     SELECT o.rolname, NULL, k.objtype, 'PUBLIC', k.privilege, false, true
     FROM pg_catalog.pg_roles o
     CROSS JOIN (VALUES ('f', 'EXECUTE'), ('T', 'USAGE')) k (objtype, privilege)
     WHERE (o.rolname = ANY ($2::text[]) OR EXISTS (SELECT 1 FROM pg_catalog.pg_default_acl a WHERE a.defaclrole = o.oid))
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_default_acl g
                       WHERE g.defaclrole = o.oid AND g.defaclnamespace = 0 AND g.defaclobjtype = k.objtype::"char")
     ORDER BY 1, 2 NULLS FIRST, 3, 4, 5`,
    [[...schemas, ...(options.defaults?.schemas ?? [])], options.defaults?.creators ?? []],
  );

  const roles: RoleState[] = roleRows.map((r) => ({
    name: r.rolname,
    login: r.rolcanlogin,
    connectionLimit: r.rolconnlimit,
    powers: rolePowers.filter((p) => powerOf(r, p)),
    inherit: r.rolinherit,
    validUntil: r.valid_until,
    settings: parseStoredSettings(r.settings),
    databaseSettings: parseStoredSettings(r.database_settings),
    comment: r.comment,
  }));
  const memberships: MembershipFact[] = membershipRows.map((m) => ({
    parent: m.parent,
    child: m.child,
    admin: m.admin,
    inherit: m.inherit,
    ...(m.grantor !== null ? { grantor: m.grantor } : {}),
  }));

  const objects: LiveObject[] = [];
  const privileges: PrivilegeFact[] = [];
  const kindOf = new Map<string, LiveObject["kind"]>();
  for (const r of relationRows) {
    const kind = r.relkind === "S" ? "sequence" : r.relkind === "v" || r.relkind === "m" ? "view" : "table";
    kindOf.set(objectKey(r), kind);
    objects.push({ schema: r.schema, name: r.name, kind, owner: r.owner, columns: r.columns, parent: r.parent, isPartition: r.is_partition, triggers: [] });
    for (const entry of parseAclText(r.acl)) privileges.push(fact(r.schema, r.name, kind, null, entry));
  }
  for (const c of columnRows) {
    const kind = kindOf.get(objectKey(c));
    if (!kind) continue;
    for (const entry of parseAclText(c.acl)) privileges.push(fact(c.schema, c.name, kind, c.column, entry));
  }
  const byKey = new Map(objects.map((o) => [objectKey(o), o]));
  for (const t of triggerRows) {
    const trigger: LiveTrigger = { name: t.trigger, enabled: enabledState(t.enabled), functionOwner: t.function_owner, function: `${t.function_schema}.${t.function_name}` };
    (byKey.get(objectKey(t))?.triggers as LiveTrigger[] | undefined)?.push(trigger);
  }
  const schemaPrivileges: SchemaPrivilegeFact[] = schemaRows.flatMap((s) =>
    s.acl.map((entry) => ({
      grantee: entry.grantee ?? PUBLIC,
      schema: s.schema,
      privilege: entry.privilege === "CREATE" ? ("create" as const) : ("usage" as const),
      grantable: entry.grantable,
      grantor: entry.grantor ?? "",
    })),
  );
  return {
    engine: "postgres",
    serverVersion: roleRows[0]?.server_version ?? 0,
    state: sortState({ roles, memberships, privileges, schemaPrivileges }),
    objects,
    schemas: schemaRows.map((s) => ({ name: s.schema, owner: s.owner })),
    // A kind of object a later PostgreSQL adds is not one rolec manages: left out.
    defaultPrivileges: defaultRows.flatMap((d) => {
      const objects = defaultObjects[d.objtype];
      return objects ? [{ owner: d.owner, schema: d.schema, objects, grantee: d.grantee ?? PUBLIC, privilege: d.privilege, grantable: d.grantable, ...(d.built_in ? { builtIn: true as const } : {}) }] : [];
    }),
    types: routineRows
      .filter((r) => r.kind === "type" || r.kind === "domain")
      .map((r) => ({
        schema: r.schema,
        name: r.name,
        kind: r.kind as "type" | "domain",
        owner: r.owner,
        privileges: r.acl.map((entry) => ({ grantee: entry.grantee ?? PUBLIC, grantable: entry.grantable, grantor: entry.grantor ?? "" })),
      }))
      .sort(compareObjects),
    routines: routineRows
      .filter((r) => r.kind !== "type" && r.kind !== "domain")
      .map((r) => ({
        schema: r.schema,
        name: r.name,
        args: r.args!,
        kind: r.kind === "p" ? ("procedure" as const) : ("function" as const),
        owner: r.owner,
        privileges: r.acl.map((entry) => ({ grantee: entry.grantee ?? PUBLIC, grantable: entry.grantable, grantor: entry.grantor ?? "" })),
      }))
      .sort(compareRoutines),
    eventTriggers: (roleRows[0]?.event_triggers ?? []).map((e) => ({ name: e.name, enabled: enabledState(e.enabled) })),
    ...databaseOf(roleRows[0]?.database ?? null),
    queries: options.routinesAndTypes ? 8 : 7,
  };
}

interface RoleRow {
  rolname: string;
  rolsuper: boolean;
  rolinherit: boolean;
  rolcreaterole: boolean;
  rolcreatedb: boolean;
  rolcanlogin: boolean;
  rolreplication: boolean;
  rolbypassrls: boolean;
  rolconnlimit: number;
  comment: string | null;
  valid_until: string;
  /** Role-wide settings (ALTER ROLE ... SET), `name=value` each; those for one database are left alone. */
  settings: string[] | null;
  /** Those for the current database only (ALTER ROLE ... IN DATABASE). */
  database_settings: string[] | null;
  server_version: number;
  event_triggers: { name: string; enabled: string }[] | null;
  database: { name: string; owner: string; acl: AclEntry[] } | null;
}

interface RelationRow {
  schema: string;
  name: string;
  relkind: string;
  owner: string;
  parent: string | null;
  is_partition: boolean;
  columns: string[];
  /** As PostgreSQL prints an aclitem[]. */
  acl: string;
}

interface AclEntry {
  grantor: string | null;
  grantee: string | null;
  privilege: string;
  grantable: boolean;
}

function powerOf(r: RoleRow, power: RolePower): boolean {
  switch (power) {
    case "superuser":
      return r.rolsuper;
    case "createrole":
      return r.rolcreaterole;
    case "createdb":
      return r.rolcreatedb;
    case "replication":
      return r.rolreplication;
    case "bypassrls":
      return r.rolbypassrls;
  }
}

function fact(schema: string, name: string, kind: LiveObject["kind"], column: string | null, entry: AclEntry): PrivilegeFact {
  return {
    grantee: entry.grantee ?? PUBLIC,
    schema,
    name,
    kind,
    verb: entry.privilege.toLowerCase() as PrivilegeFact["verb"],
    column,
    grantable: entry.grantable,
    grantor: entry.grantor ?? "",
  };
}

/** pg_default_acl.defaclobjtype, in the words of ALTER DEFAULT PRIVILEGES. */
const defaultObjects: Record<string, DefaultPrivilegeFact["objects"]> = { r: "tables", S: "sequences", f: "functions", T: "types", n: "schemas", L: "large objects" };

function enabledState(code: string): LiveTrigger["enabled"] {
  return code === "A" ? "always" : code === "O" ? "origin" : code === "R" ? "replica" : "disabled";
}

const databaseVerbs: Record<string, DatabaseVerb> = { CONNECT: "connect", TEMPORARY: "temporary", CREATE: "create" };

function databaseOf(row: RoleRow["database"]): Pick<LiveDatabase, "database"> {
  if (row === null) return {};
  // A privilege a later PostgreSQL adds is not one the language grants: left out.
  const privileges: DatabasePrivilegeFact[] = row.acl.flatMap((entry) => {
    const privilege = databaseVerbs[entry.privilege];
    return privilege ? [{ grantee: entry.grantee ?? PUBLIC, privilege, grantable: entry.grantable, grantor: entry.grantor ?? "" }] : [];
  });
  return { database: { name: row.name, owner: row.owner, privileges } };
}
