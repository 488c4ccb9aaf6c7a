import { compareText, type Model } from "../model/ir.js";
import type { SqlSession } from "./session.js";

/** A role whose attributes or memberships in the database differ from the model. */
export interface RoleMismatch {
  readonly role: string;
  readonly what: "exists" | "login" | "connection limit" | "inherit" | "member of" | "powers";
  readonly expected: string;
  readonly actual: string;
}

interface RoleRow {
  rolname: string;
  rolcanlogin: boolean;
  rolconnlimit: number;
  rolinherit: boolean;
  powers: string[];
}

/**
 * Compares pg_roles and pg_auth_members with the model, for the declared roles: their
 * attributes, that they hold no powers the language cannot grant (superuser, createrole,
 * createdb, replication, bypassrls), and that they are members of exactly the declared roles.
 */
export async function compareRoles(model: Model, session: SqlSession): Promise<RoleMismatch[]> {
  const names = model.roles.map((r) => r.name);
  const rows = await session.query<RoleRow>(
    `SELECT rolname, rolcanlogin, rolconnlimit, rolinherit,
            array_remove(ARRAY[CASE WHEN rolsuper THEN 'superuser' END, CASE WHEN rolcreaterole THEN 'createrole' END,
              CASE WHEN rolcreatedb THEN 'createdb' END, CASE WHEN rolreplication THEN 'replication' END,
              CASE WHEN rolbypassrls THEN 'bypassrls' END], NULL) AS powers
     FROM pg_catalog.pg_roles WHERE rolname = ANY ($1::text[])`,
    [names],
  );
  const edges = await session.query<{ parent: string; child: string }>(
    `SELECT parent.rolname AS parent, child.rolname AS child
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
    if (row.rolcanlogin !== role.login) mismatches.push({ role: role.name, what: "login", expected: String(role.login), actual: String(row.rolcanlogin) });
    if (row.rolconnlimit !== role.connectionLimit) {
      mismatches.push({ role: role.name, what: "connection limit", expected: String(role.connectionLimit), actual: String(row.rolconnlimit) });
    }
    if (row.powers.length > 0) mismatches.push({ role: role.name, what: "powers", expected: "(none)", actual: row.powers.join(", ") });
    if (!row.rolinherit) mismatches.push({ role: role.name, what: "inherit", expected: "true", actual: "false" });
    const actualParents = [...new Set(edges.filter((e) => e.child === role.name).map((e) => e.parent))].sort(compareText);
    if (actualParents.join("\u0000") !== role.memberOf.join("\u0000")) {
      mismatches.push({ role: role.name, what: "member of", expected: role.memberOf.join(", ") || "(none)", actual: actualParents.join(", ") || "(none)" });
    }
  }
  return mismatches;
}
