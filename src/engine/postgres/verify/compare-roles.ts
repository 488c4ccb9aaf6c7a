import { inherits } from "../../../model/role-attributes.js";
import type { RoleMismatch } from "../../verify-report.js";
import { listParameters, type RoleSetting } from "../../../model/role-settings.js";
import { compareText, managesDatabaseSettings, type Model } from "../../../model/ir.js";
import type { SqlSession } from "../../session.js";
import { validUntilColumnSql } from "../catalog/valid-until-column.js";
import { compositeKey, sameParts } from "../../../model/composite-key.js";


interface RoleRow {
  rolname: string;
  rolcanlogin: boolean;
  rolconnlimit: number;
  rolinherit: boolean;
  powers: string[];
  settings: string[] | null;
  database_settings: string[] | null;
  valid_until: string;
}

/**
 * Compares pg_roles and pg_auth_members with the model, for the declared roles: their
 * attributes, that they hold exactly the declared powers (createrole, createdb, replication,
 * bypassrls; never superuser), and that they are members of exactly the declared roles.
 * External roles, made plain by verify itself, are checked for their memberships only.
 */
export async function compareRoles(model: Model, session: SqlSession): Promise<RoleMismatch[]> {
  const names = model.roles.map((r) => r.name);
  const rows = await session.query<RoleRow>(
    `SELECT rolname, rolcanlogin, rolconnlimit, rolinherit, ${validUntilColumnSql} AS valid_until,
            array_remove(ARRAY[CASE WHEN rolsuper THEN 'superuser' END, CASE WHEN rolcreaterole THEN 'createrole' END,
              CASE WHEN rolcreatedb THEN 'createdb' END, CASE WHEN rolreplication THEN 'replication' END,
              CASE WHEN rolbypassrls THEN 'bypassrls' END], NULL) AS powers,
            (SELECT s.setconfig FROM pg_catalog.pg_db_role_setting s WHERE s.setrole = r.oid AND s.setdatabase = 0) AS settings,
            (SELECT s.setconfig FROM pg_catalog.pg_db_role_setting s JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase
             WHERE s.setrole = r.oid AND d.datname = pg_catalog.current_database()) AS database_settings
     FROM pg_catalog.pg_roles r WHERE rolname = ANY ($1::text[])`,
    [names],
  );
  const edges = await session.query<{ parent: string; child: string; admin_option: boolean; inherit_option: string | null }>(
    `SELECT parent.rolname AS parent, child.rolname AS child, m.admin_option,
            pg_catalog.to_jsonb(m) ->> 'inherit_option' AS inherit_option -- PostgreSQL 16 and later
     FROM pg_catalog.pg_auth_members m
     JOIN pg_catalog.pg_roles parent ON parent.oid = m.roleid
     JOIN pg_catalog.pg_roles child ON child.oid = m.member
     WHERE child.rolname = ANY ($1::text[])`,
    [names],
  );
  const byName = new Map(rows.map((r) => [r.rolname, r]));
  const mismatches: RoleMismatch[] = [];
  for (const role of model.roles) {
    const row = byName.get(role.name);
    if (!row) {
      mismatches.push({ role: role.name, what: "exists", expected: "yes", actual: "no" });
      continue;
    }
    // An external role's attributes are its owner's; only its memberships are this program's.
    if (!role.external) {
      if (row.rolcanlogin !== role.login) mismatches.push({ role: role.name, what: "login", expected: String(role.login), actual: String(row.rolcanlogin) });
      if (row.rolconnlimit !== role.connectionLimit) {
        mismatches.push({ role: role.name, what: "connection limit", expected: String(role.connectionLimit), actual: String(row.rolconnlimit) });
      }
      // NOINHERIT is compared on its own below (rolinherit).
      const expected = role.attributes.filter((a) => a !== "noinherit").sort().join(", ");
      const actual = [...row.powers].sort().join(", ");
      if (actual !== expected) mismatches.push({ role: role.name, what: "powers", expected: expected || "(none)", actual: actual || "(none)" });
      // PostgreSQL keeps a known parameter under its own spelling (DateStyle); the language's are in lower case.
      const held = (stored: string[] | null) => (stored ?? []).map((entry) => entry.slice(0, entry.indexOf("=")).toLowerCase() + entry.slice(entry.indexOf("="))).sort().join("; ");
      const wantedSettings = (await storedForms(role.settings, session)).join("; ");
      const heldSettings = held(row.settings);
      if (heldSettings !== wantedSettings) mismatches.push({ role: role.name, what: "settings", expected: wantedSettings || "(none)", actual: heldSettings || "(none)" });
      if (managesDatabaseSettings(model)) {
        const wantedHere = (await storedForms(role.databaseSettings, session)).join("; ");
        const heldHere = held(row.database_settings);
        if (heldHere !== wantedHere) mismatches.push({ role: role.name, what: "settings in database", expected: wantedHere || "(none)", actual: heldHere || "(none)" });
      }
      if (role.validUntil !== undefined && row.valid_until !== role.validUntil) mismatches.push({ role: role.name, what: "valid until", expected: role.validUntil, actual: row.valid_until });
      const inherit = inherits(role);
      if (row.rolinherit !== inherit) mismatches.push({ role: role.name, what: "inherit", expected: String(inherit), actual: String(row.rolinherit) });
    }
    for (const parent of role.memberOf) {
      const held = edges.some((e) => e.child === role.name && e.parent === parent && e.admin_option);
      const wanted = (role.adminOf ?? []).includes(parent);
      if (held !== wanted) mismatches.push({ role: role.name, what: `admin option on ${parent}`, expected: String(wanted), actual: String(held) });
    }
    // PostgreSQL 16 and later: each membership inherits exactly when its member is INHERIT.
    const inheritOption = String(role.external || inherits(role));
    for (const edge of edges.filter((e) => e.child === role.name && e.inherit_option !== null && e.inherit_option !== inheritOption)) {
      mismatches.push({ role: role.name, what: `inherit option on ${edge.parent}`, expected: inheritOption, actual: edge.inherit_option! });
    }
    const actualParents = [...new Set(edges.filter((e) => e.child === role.name).map((e) => e.parent))].sort(compareText);
    if (!sameParts(actualParents, role.memberOf)) {
      mismatches.push({ role: role.name, what: "member of", expected: role.memberOf.join(", ") || "(none)", actual: actualParents.join(", ") || "(none)" });
    }
  }
  return mismatches;
}

/**
 * What nobody but the script's own declared roles may hold, checked across the catalog: roles
 * the script created beyond the declared ones and rolec's own, ACL entries on declared objects
 * for anyone not declared (other than the owner). Schemas are schema-checks.ts's.
 */
export async function compareCatalog(model: Model, session: SqlSession, rolesBefore: ReadonlySet<string>, ownRoles: readonly string[]): Promise<RoleMismatch[]> {
  const declared = new Set([...model.roles.map((r) => r.name), ...ownRoles]);
  const mismatches: RoleMismatch[] = [];
  for (const { rolname } of await session.query<{ rolname: string }>("SELECT rolname FROM pg_catalog.pg_roles ORDER BY rolname")) {
    if (!rolesBefore.has(rolname) && !declared.has(rolname)) mismatches.push({ role: rolname, what: "exists", expected: "no such role (not declared)", actual: "created by the script" });
  }
  const relations = model.objects.flatMap((o) => [o.name, ...o.partitions].map((name) => [o.schema, name]));
  const grants = await session.query<{ grantee: string; relation: string; privilege: string; schema_name: string; object_name: string }>(
    `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::pg_catalog.regrole::text END AS grantee,
            pg_catalog.format('%I.%I', n.nspname, c.relname) AS relation, a.privilege_type AS privilege, n.nspname AS schema_name, c.relname AS object_name
     FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a
     JOIN pg_catalog.jsonb_array_elements($1::jsonb) r(pair) ON r.pair->>0 = n.nspname AND r.pair->>1 = c.relname
     WHERE a.grantee <> c.relowner
       AND a.grantee NOT IN (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = ANY ($2::text[]))
     ORDER BY 1, 2, 3`,
    [JSON.stringify(relations), [...declared]],
  );
  // PUBLIC's table-wide grants that a `public` block declares are the program's own.
  const publicDeclared = new Set((model.public?.grants ?? []).filter((g) => g.columns === "all").map((g) => compositeKey(g.verb.toUpperCase(), g.object.schema, g.object.name)));
  for (const g of grants) {
    if (g.grantee === "PUBLIC" && publicDeclared.has(compositeKey(g.privilege, g.schema_name, g.object_name))) continue;
    mismatches.push({ role: g.grantee, what: `${g.privilege} on ${g.relation}`, expected: "not granted (not declared)", actual: "granted" });
  }
  return mismatches;
}

/**
 * How pg_db_role_setting should hold the declared settings, worked out with the server's own
 * quote_ident for list parameters' items (which PostgreSQL quotes as identifiers where needed),
 * and not with the code that reads them back for plan.
 */
async function storedForms(settings: readonly RoleSetting[], session: SqlSession): Promise<string[]> {
  const forms: string[] = [];
  for (const setting of settings) {
    if (!listParameters.has(setting.parameter)) {
      forms.push(`${setting.parameter}=${setting.values[0]}`);
      continue;
    }
    const [row] = await session.query<{ items: string }>("SELECT pg_catalog.string_agg(pg_catalog.quote_ident(v), ', ' ORDER BY n) AS items FROM unnest($1::text[]) WITH ORDINALITY AS u(v, n)", [setting.values]);
    forms.push(`${setting.parameter}=${row!.items}`);
  }
  return forms.sort();
}
