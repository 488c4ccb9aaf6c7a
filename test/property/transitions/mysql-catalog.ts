import { expectedFacts, perColumnVerbs, type ExpectedFact, type Reference, type ReferenceRole, type Verb } from "../reference-evaluator.js";
import { Grants, serverPrivilegeColumns, type Principal, type TablePrivilege } from "./mysql-grant-tables.js";
import { allowedWord, describeFact, type Mismatch } from "./mismatch.js";

/**
 * What MariaDB's grant tables let each declared account and role do, compared with the
 * reference: every verb on every table and view, per column too, and EXECUTE on every routine;
 * no privilege the language cannot say (DROP, ALTER, INDEX, ALTER ROUTINE, GRANT OPTION...),
 * reached by any path (global, database-wide, table, column, routine, a role, PUBLIC); the connection limit; and exactly the declared roles reachable.
 */

const verbPrivilege: Partial<Record<Verb, TablePrivilege>> = { select: "Select", insert: "Insert", update: "Update", delete: "Delete", references: "References", trigger: "Trigger" };
const relationVerbs: readonly Verb[] = ["select", "insert", "update", "delete", "references", "trigger"];
export const mysqlAskedVerbs = (kind: ExpectedFact["kind"]) => (kind === "sequence" ? [] : relationVerbs);
/** Privileges the language never grants: no declared principal may hold them on a declared object. */
const foreign: readonly TablePrivilege[] = ["Create", "Drop", "Alter", "Index", "Create View", "Show view", "Delete versioning rows", "Grant"];

/** The account or role a declared role is on MySQL/MariaDB. */
export function principalOf(role: Pick<ReferenceRole, "name" | "login" | "host">): Principal {
  return { user: role.name, host: role.login ? role.host : null };
}

export function mysqlPrivilegeMismatches(grants: Grants, reference: Reference): Mismatch[] {
  return [...mysqlFactMismatches(grants, reference, expectedFacts(reference, mysqlAskedVerbs)), ...foreignPrivileges(grants, reference), ...routineMismatches(grants, reference), ...serverMismatches(grants, reference)];
}

/** Each server privilege exactly where the reference says, through any active authorization, and on the role itself exactly its own lines'. */
function serverMismatches(grants: Grants, reference: Reference): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (const role of reference.roles) {
    const p = principalOf(role);
    const own = grants.user(p);
    for (const [verb, column] of Object.entries(serverPrivilegeColumns)) {
      const held = grants.holdsGlobal(p, column);
      const expected = reference.onServer(role.name, verb);
      if (held !== expected) mismatches.push({ role: role.name, what: `${verb} on the server`, expected: allowedWord(expected), actual: allowedWord(held), how: "grant tables" });
      const mine = own?.[column] === "Y";
      if (own && mine !== reference.ownServer(role.name).includes(verb)) {
        mismatches.push({ role: role.name, what: `${verb} on the server, held itself`, expected: String(!mine), actual: String(mine), how: "mysql.user" });
      }
    }
  }
  return mismatches;
}

/** EXECUTE on each declared routine exactly where the reference says, and never ALTER ROUTINE or GRANT OPTION there. */
function routineMismatches(grants: Grants, reference: Reference): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (const role of reference.roles) {
    const p = principalOf(role);
    for (const r of reference.routines) {
      const what = (privilege: string) => `${privilege} on ${r.kind} ${JSON.stringify(r.schema)}.${JSON.stringify(r.name)}`;
      const executes = grants.holdsOnRoutine(p, "Execute", r.schema, r.kind, r.name);
      const expected = reference.executes(role.name, r.schema, r.id);
      if (executes !== expected) mismatches.push({ role: role.name, what: what("EXECUTE"), expected: allowedWord(expected), actual: allowedWord(executes), how: "grant tables" });
      for (const privilege of ["Alter Routine", "Grant"] as const) {
        if (grants.holdsOnRoutine(p, privilege, r.schema, r.kind, r.name)) {
          mismatches.push({ role: role.name, what: what(privilege.toUpperCase()), expected: "denied (the language never grants it)", actual: "allowed", how: "grant tables" });
        }
      }
    }
  }
  return mismatches;
}

/** The facts given (every one, or those a transition must keep), as the grant tables answer them. */
export function mysqlFactMismatches(grants: Grants, reference: Reference, facts: readonly ExpectedFact[]): Mismatch[] {
  const byName = new Map(reference.roles.map((r) => [r.name, principalOf(r)]));
  const mismatches: Mismatch[] = [];
  for (const f of facts) {
    const held = grants.holds(byName.get(f.role)!, verbPrivilege[f.verb]!, f.schema, f.object, f.column);
    if (held !== f.allowed) {
      const scope = f.column === null && perColumnVerbs.has(f.verb) ? " table-wide" : "";
      mismatches.push({ role: f.role, what: describeFact(f), expected: allowedWord(f.allowed) + scope, actual: allowedWord(held) + scope, how: "grant tables", fact: f });
    }
  }
  return mismatches;
}

function foreignPrivileges(grants: Grants, reference: Reference): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (const role of reference.roles) {
    const p = principalOf(role);
    for (const o of reference.objects) {
      for (const privilege of foreign) {
        if (grants.holds(p, privilege, o.schema, o.name, null)) {
          mismatches.push({ role: role.name, what: `${privilege.toUpperCase()} on ${JSON.stringify(o.schema)}.${JSON.stringify(o.name)}`, expected: "denied (the language never grants it)", actual: "allowed", how: "grant tables" });
        }
      }
    }
  }
  return mismatches;
}

/** Accounts and roles: their kind, connection limit, account options, and the declared roles they can reach. */
export function mysqlRoleMismatches(grants: Grants, reference: Reference): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const parents = new Map(reference.roles.map((r) => [r.name, r.parents]));
  const ancestors = (role: string) => {
    const seen = new Set<string>();
    const stack = [...(parents.get(role) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(parents.get(next) ?? []));
    }
    return [...seen].sort();
  };
  for (const role of reference.roles) {
    const p = principalOf(role);
    const add = (what: string, want: unknown, got: unknown) => {
      if (JSON.stringify(want) !== JSON.stringify(got)) mismatches.push({ role: role.name, what, expected: JSON.stringify(want), actual: JSON.stringify(got), how: "mysql.user / mysql.roles_mapping" });
    };
    const row = grants.user(p);
    if (!row) {
      mismatches.push({ role: role.name, what: role.login ? `account @${JSON.stringify(role.host)}` : "role", expected: "exists", actual: "missing", how: "mysql.user" });
      continue;
    }
    add("is a role (not an account)", !role.login, row.is_role === "Y");
    if (role.login) add("MAX_USER_CONNECTIONS", Math.max(role.connectionLimit, 0), Number(row.max_user_connections));
    if (role.login) {
      const lifetime = row.password_lifetime === null ? -1 : Number(row.password_lifetime);
      add("account options", role.account, { sslType: row.ssl_type, issuer: row.issuer, subject: row.subject, cipher: row.cipher, maxQuestions: Number(row.max_questions), maxUpdates: Number(row.max_updates), maxConnections: Number(row.max_connections), passwordLifetime: lifetime });
    }
    // rolec_login_<account> is how MariaDB activates several parents at login (README): it stands for them.
    const declared = (roles: Iterable<string>) => [...roles].filter((r) => !r.startsWith("rolec_login_") && r !== p.user).sort();
    add("roles it can set (transitively)", ancestors(role.name), declared(grants.reachable(p)));
    if (role.login) add("roles active at login (transitively)", ancestors(role.name), declared(grants.active(p).filter((id) => id.host === "" && id.user !== "PUBLIC").map((id) => id.user)));
    // "with admin option": on exactly the parents the role names so, held by it directly (never by its login role).
    add("ADMIN OPTION on the roles it holds", [...role.adminOf].sort(), declared(grants.granted(p.user, p.host ?? "").filter((r) => r.Admin_option === "Y").map((r) => r.Role)));
  }
  return mismatches;
}
