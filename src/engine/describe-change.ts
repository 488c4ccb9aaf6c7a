import { isDrift, type PlanChange } from "./plan.js";
import { formatRoutine } from "../model/ir.js";

// How plan, apply and migrations name a change: the same words in the plan a reviewer reads and
// in the report of a change that did not take.

/** `+` adds, `-` takes away, `~` changes in place. */
export function signOf(change: PlanChange): "+" | "-" | "~" {
  if (isDrift(change) || change.kind === "cascade-revoke") return "-";
  if (change.kind === "alter-role" || change.kind === "set-inherit" || change.kind === "set-default-role" || change.kind === "guard-append-only" || change.kind === "unguard") return "~";
  return "+";
}

/** What the change does, in the words a reviewer reads. */
export function describeChange(change: PlanChange): string {
  switch (change.kind) {
    case "create-role":
      return `create role (${change.desired.login ? "LOGIN" : "NOLOGIN"}, connection limit ${change.desired.connectionLimit})`;
    case "alter-role":
      return `${change.field}: ${change.from} → ${change.to}`;
    case "grant-membership":
      return `member of ${change.parent}${change.admin ? " with admin option" : ""}`;
    case "revoke-membership":
      return `member of ${change.parent}${change.grantor ? ` (granted by ${change.grantor})` : ""}`;
    case "grant-admin-option":
    case "revoke-admin-option":
      return `ADMIN OPTION on ${change.parent}`;
    case "set-inherit":
      return `membership in ${change.parent} ${change.inherit ? "inherits" : "does not inherit"}`;
    case "regrant":
      return "verb" in change.fact
        ? `${change.fact.verb.toUpperCase()}${change.fact.column !== null ? ` (${change.fact.column})` : ""} on ${change.fact.schema}.${change.fact.name}${change.fact.grantable ? " WITH GRANT OPTION" : ""}`
        : `USAGE on schema ${change.fact.schema}`;
    case "cascade-revoke": {
      const g = change.grant;
      const on = g.name === null ? `schema ${g.schema}` : `${g.schema}.${g.name}`;
      return `${g.grantOptionOnly ? "GRANT OPTION for " : ""}${g.privilege.toUpperCase()}${g.column !== null ? ` (${g.column})` : ""} on ${on}`;
    }
    case "grant-default":
    case "revoke-default": {
      const f = change.fact;
      return `default ${f.privilege}${f.grantable ? " WITH GRANT OPTION" : ""} on ${f.objects} ${f.owner} creates ${f.schema === null ? "in any schema" : `in schema ${f.schema}`}`;
    }
    case "grant":
      return `${change.fact.verb.toUpperCase()}${change.fact.column !== null ? ` (${change.fact.column})` : ""} on ${change.fact.schema}.${change.fact.name}${change.fact.grantable ? " WITH GRANT OPTION" : ""}`;
    case "revoke": {
      // A declared privilege granted by someone else is revoked and granted again by the owner: say whose goes.
      const by = change.fact.grantor && change.fact.grantor !== change.owner ? ` (granted by ${change.fact.grantor})` : "";
      return `${change.fact.verb.toUpperCase()}${change.fact.column !== null ? ` (${change.fact.column})` : ""} on ${change.fact.schema}.${change.fact.name}${by}`;
    }
    case "revoke-grant-option":
      return `GRANT OPTION for ${change.fact.verb.toUpperCase()}${change.fact.column !== null ? ` (${change.fact.column})` : ""} on ${change.fact.schema}.${change.fact.name}`;
    case "grant-schema":
      return `${change.fact.privilege.toUpperCase()} on schema ${change.fact.schema}${change.fact.grantable ? " WITH GRANT OPTION" : ""}`;
    case "grant-routine":
      return `EXECUTE on ${formatRoutine(change.routine)}${change.grantOption ? " WITH GRANT OPTION" : ""}`;
    case "revoke-routine": {
      const by = change.fact.grantor && change.fact.grantor !== change.owner ? ` (granted by ${change.fact.grantor})` : "";
      return `${change.grantOptionOnly ? "GRANT OPTION for " : ""}EXECUTE on ${formatRoutine(change.routine)}${by}`;
    }
    case "revoke-routine-privileges":
      return `${change.privileges.join(", ")} on ${change.routineKind} ${formatRoutine(change.routine)}`;
    case "grant-type":
      return `USAGE on ${change.type.kind} ${change.type.schema}.${change.type.name}${change.grantOption ? " WITH GRANT OPTION" : ""}`;
    case "revoke-type": {
      const by = change.fact.grantor && change.fact.grantor !== change.owner ? ` (granted by ${change.fact.grantor})` : "";
      return `${change.grantOptionOnly ? "GRANT OPTION for " : ""}USAGE on ${change.type.kind} ${change.type.schema}.${change.type.name}${by}`;
    }
    case "grant-database":
      return `${change.privilege.toUpperCase()} on the database${change.grantOption ? " WITH GRANT OPTION" : ""}`;
    case "revoke-database": {
      const by = change.fact.grantor && change.fact.grantor !== change.owner ? ` (granted by ${change.fact.grantor})` : "";
      return `${change.grantOptionOnly ? "GRANT OPTION for " : ""}${change.fact.privilege.toUpperCase()} on the database${by}`;
    }
    case "revoke-schema":
      return `${change.grantOptionOnly ? "GRANT OPTION for " : ""}${change.fact.privilege.toUpperCase()} on schema ${change.fact.schema}`;
    case "guard-append-only":
      return `guard: ${change.problems.join("; ")}`;
    case "unguard":
      return "no longer append-only: drop rolec's triggers";
    case "set-default-role":
      return `default roles: ${change.from.join(", ") || "none"} → ${change.to.join(", ") || "none"}`;
    case "revoke-table-grant-option":
      return `GRANT OPTION on ${change.schema}.${change.table}`;
    case "revoke-wide": {
      const what = [...change.privileges, ...(change.grantOption ? ["GRANT OPTION"] : [])].join(", ");
      const keep = change.keep && change.keep.length > 0 ? `; then ${change.keep.join(", ")} on the server again` : "";
      return `${what} on ${change.database === null ? "*.*" : `${change.database}.*`} (${change.database === null ? "global" : "database-wide"}: reaches every declared table${keep})`;
    }
    case "grant-server":
      return `${change.privileges.join(", ")} on the server`;
  }
}
