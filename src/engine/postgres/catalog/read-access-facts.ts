import { InputError } from "../../../diagnostics/input-error.js";
import { columnVerbs, verbsByKind, type Verb } from "../../../model/verbs.js";
import type { SqlSession } from "../../session.js";
import type { LiveAccessFacts, LiveAccessQuestion } from "../../live-access.js";

const kinds: Record<string, LiveAccessFacts["kind"]> = { r: "table", p: "table", f: "table", v: "view", m: "view", S: "sequence" };

/** Predefined roles that reach every relation for some verbs whatever the ACLs say (PostgreSQL 14 and later). */
const everyRelation: Record<string, readonly string[]> = { pg_read_all_data: ["select"], pg_write_all_data: ["insert", "update", "delete"] };

/**
 * Reads what the server says of one access question: its privilege functions (which know
 * superusers, ownership, PUBLIC, column ACLs and inheritance) for every role, the ACL entries that
 * grant it, and the memberships that pass privileges on. The names are bound as parameters.
 */
export async function readAccessFacts(session: SqlSession, question: LiveAccessQuestion): Promise<LiveAccessFacts> {
  const shown = `${JSON.stringify(question.schema)}.${JSON.stringify(question.name)}`;
  const [relation] = await session.query<{ oid: string; relkind: string; attnum: number | null; columns: string[] }>(
    `SELECT c.oid::int8::text AS oid, c.relkind::text AS relkind,
            ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns,
            (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attname = $3 AND a.attnum > 0 AND NOT a.attisdropped) AS attnum
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')`,
    [question.schema, question.name, question.column ?? null],
  );
  if (!relation) throw new InputError(`the database has no table, view or sequence ${shown}`);
  const kind = kinds[relation.relkind]!;
  const verb = question.verb as Verb;
  if (!verbsByKind[kind].includes(verb)) throw new InputError(`${question.verb} does not apply to ${shown}, a ${kind}; it takes ${verbsByKind[kind].join(", ")}`);
  if (question.column !== undefined) {
    if (!columnVerbs.has(verb)) throw new InputError(`${verb} acts on whole rows, not on a column; ask about ${shown} without one`);
    if (relation.attnum === null) throw new InputError(`${shown} has no column ${JSON.stringify(question.column)} in the database`);
  }
  const perColumn = kind !== "sequence" && columnVerbs.has(verb);
  // Whole: what has_table_privilege says. A role that reaches some columns only is listed too, as the files' answer lists it.
  const whole = kind === "sequence" ? "pg_catalog.has_sequence_privilege(r.oid, $1::oid, $2)" : "pg_catalog.has_table_privilege(r.oid, $1::oid, $2)";
  const can = question.column !== undefined ? "pg_catalog.has_column_privilege(r.oid, $1::oid, $3::text, $2)" : perColumn ? `(${whole} OR pg_catalog.has_any_column_privilege(r.oid, $1::oid, $2))` : whole;
  const roles = await session.query<{ name: string; login: boolean; superuser: boolean }>(
    `SELECT r.rolname AS name, r.rolcanlogin AS login, r.rolsuper AS superuser
       FROM pg_catalog.pg_roles r WHERE r.rolname !~ '^pg_' AND ${can} ORDER BY r.rolname`,
    question.column !== undefined ? [relation.oid, verb.toUpperCase(), question.column] : [relation.oid, verb.toUpperCase()],
  );
  const aclKind = kind === "sequence" ? "s" : "r";
  const entries = await session.query<{ role: string; column: string | null }>(
    `SELECT CASE WHEN e.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(e.grantee)::text END AS role, NULL::text AS column
       FROM pg_catalog.pg_class c, pg_catalog.aclexplode(COALESCE(c.relacl, pg_catalog.acldefault('${aclKind}'::"char", c.relowner))) e
      WHERE c.oid = $1::oid AND e.privilege_type = $2
     UNION ALL
     SELECT CASE WHEN e.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(e.grantee)::text END, a.attname::text
       FROM pg_catalog.pg_attribute a, pg_catalog.aclexplode(a.attacl) e
      WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL AND e.privilege_type = $2 AND ($3::text IS NULL OR a.attname = $3)
     ORDER BY 1, 2`,
    [relation.oid, verb.toUpperCase(), question.column ?? null],
  );
  const holders = new Map<string, "all" | string[]>();
  for (const e of entries) {
    const held = holders.get(e.role);
    if (e.column === null) holders.set(e.role, "all");
    else if (held !== "all") holders.set(e.role, [...(held ?? []), e.column]);
  }
  for (const [role, verbs] of Object.entries(everyRelation)) if (verbs.includes(verb)) holders.set(role, "all");
  const memberships = await session.query<{ member: string; parent: string }>(
    // inherit_option exists from PostgreSQL 16; before it, the member's INHERIT decides.
    `SELECT c.rolname AS member, p.rolname AS parent
       FROM pg_catalog.pg_auth_members m
       JOIN pg_catalog.pg_roles p ON p.oid = m.roleid
       JOIN pg_catalog.pg_roles c ON c.oid = m.member
      WHERE COALESCE((pg_catalog.to_jsonb(m) ->> 'inherit_option')::boolean, c.rolinherit)`,
  );
  const order = new Map(relation.columns.map((c, i) => [c, i]));
  for (const [role, columns] of holders) if (columns !== "all") holders.set(role, columns.sort((a, b) => order.get(a)! - order.get(b)!));
  return { kind, columns: relation.columns, roles, holders: [...holders].map(([role, columns]) => ({ role, columns })), memberships };
}

/** Each named role's direct members, every member included (roles the files do not declare too), sorted. */
export async function readRoleMembers(session: SqlSession, roles: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await session.query<{ role: string; member: string }>(
    `SELECT p.rolname AS role, c.rolname AS member
       FROM pg_catalog.pg_auth_members m
       JOIN pg_catalog.pg_roles p ON p.oid = m.roleid
       JOIN pg_catalog.pg_roles c ON c.oid = m.member
      WHERE p.rolname = ANY ($1::text[])
      ORDER BY p.rolname COLLATE "C", c.rolname COLLATE "C"`,
    [[...roles]],
  );
  const out = new Map<string, string[]>(roles.map((r) => [r, []]));
  for (const row of rows) out.get(row.role)?.push(row.member);
  return out;
}
