import type { Mismatch } from "../../verify-report.js";
import type { Model } from "../../../model/ir.js";
import type { Expectations } from "../../../model/expectations.js";
import type { SqlSession } from "../../session.js";
import { grantedWord, runAsRole } from "./run-as.js";

/** What checking one kind of object with a single privilege (EXECUTE on routines, USAGE on types) takes. */
export interface SinglePrivilegeKind<T extends { readonly schema: string }> {
  readonly items: readonly T[];
  readonly verb: "execute" | "usage";
  /** The kind in the plural, for a report line about them all. */
  readonly plural: string;
  display(item: T): string;
  /** The item's qualified name as the `to_reg...` function of `privilegeSql` reads it. */
  identity(item: T): string;
  /** The privilege function's call on `r.oid` and `v.identity`, e.g. has_function_privilege(r.oid, to_regprocedure(v.identity), 'EXECUTE'). */
  readonly privilegeSql: string;
  /** The same call asking for the grant option ('EXECUTE WITH GRANT OPTION'). */
  readonly grantOptionSql: string;
  expected(role: string, item: T): boolean;
  expectedGrantOption(role: string, item: T): boolean;
  /** A statement that needs exactly the privilege, and USAGE on the item's schema to look it up. */
  statement(item: T, index: number): string;
  /** Run before the statements, in their transaction, which is rolled back. */
  readonly setup?: string;
}

/**
 * For every declared role and every item: what the privilege function says, then a real statement
 * run as the role, which also needs USAGE on the item's schema (without a `public` block PUBLIC
 * keeps the USAGE the database gave it, on schema public).
 */
export async function compareSinglePrivilege<T extends { readonly schema: string }>(model: Model, expect: Expectations, session: SqlSession, kind: SinglePrivilegeKind<T>): Promise<{ privilegeChecks: number; statementChecks: number; mismatches: Mismatch[] }> {
  const mismatches: Mismatch[] = [];
  if (kind.items.length === 0) return { privilegeChecks: 0, statementChecks: 0, mismatches };
  const roles = model.roles.map((r) => r.name);
  const rows = await session.query<{ role: string; item: number; granted: boolean | null; grantable: boolean | null; public_usage: boolean }>(
    `SELECT r.rolname AS role, v.i AS item, ${kind.privilegeSql} AS granted, ${kind.grantOptionSql} AS grantable,
            EXISTS (SELECT FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) x WHERE n.nspname = v.schema AND x.grantee = 0 AND x.privilege_type = 'USAGE') AS public_usage
     FROM pg_catalog.pg_roles r, pg_catalog.jsonb_to_recordset($2::jsonb) AS v(i int, identity text, schema text)
     WHERE r.rolname = ANY ($1::text[])`,
    [roles, JSON.stringify(kind.items.map((item, i) => ({ i, identity: kind.identity(item), schema: item.schema })))],
  );
  const publicUsage = new Map<number, boolean>();
  for (const row of rows) {
    const item = kind.items[row.item]!;
    publicUsage.set(row.item, row.public_usage);
    const expected = kind.expected(row.role, item);
    if (row.granted === null || expected !== row.granted) {
      const actual = row.granted === null ? "missing (did the script drop or change it?)" : grantedWord(row.granted);
      mismatches.push({ role: row.role, object: kind.display(item), verb: kind.verb, check: "privilege function", expected: grantedWord(expected), actual });
    }
    const grantable = kind.expectedGrantOption(row.role, item);
    if (row.grantable !== null && grantable !== row.grantable) {
      mismatches.push({ role: row.role, object: kind.display(item), verb: kind.verb, grantOption: true, check: "privilege function", expected: grantedWord(grantable), actual: grantedWord(row.grantable) });
    }
  }
  if (rows.length !== roles.length * kind.items.length) {
    mismatches.push({ role: undefined, object: kind.plural, verb: kind.verb, check: "privilege function", expected: `${roles.length * kind.items.length} rows`, actual: `${rows.length}` });
  }

  let statements = 0;
  await session.exec("BEGIN");
  try {
    if (kind.setup) await session.exec(kind.setup);
    for (const role of roles) {
      for (const [i, item] of kind.items.entries()) {
        statements += 1;
        const usage = expect.onSchema(role, item.schema, "usage") || (!model.public && (publicUsage.get(i) ?? false));
        const expected = kind.expected(role, item) && usage;
        const sql = kind.statement(item, i);
        const actual = await runAsRole(role, sql, session);
        if (actual !== (expected ? "allowed" : "denied")) mismatches.push({ role, object: kind.display(item), verb: kind.verb, check: "statement", expected: expected ? "allowed" : "denied", actual, sql });
      }
    }
  } finally {
    await session.exec("ROLLBACK");
  }
  return { privilegeChecks: rows.length * 2, statementChecks: statements, mismatches };
}
