import type { LiveDatabase } from "../../../model/live-database.js";
import type { Plan } from "../../plan.js";
import { compositeKey } from "../../../model/composite-key.js";
import { formatRoutine, routineKey } from "../../../model/ir.js";

/**
 * What running a plan took from anyone (a privilege, or only its grant option, on a table, view,
 * sequence, column or schema that was read) that none of its lines lists: apply undoes everything
 * rather than commit a change a reviewer was not shown. Empty when the plan told the whole truth.
 * A privilege counts as taken when its grantee holds it from no grantor any more (a new owner
 * takes over the grants the old one made), and owners are left out: giving an append-only table
 * to rolec's owner role is a change of its own.
 */
export function unlistedLosses(plan: Plan, before: LiveDatabase, after: LiveDatabase): string[] {
  const listed = new Set<string>();
  for (const c of plan.changes) {
    if (c.kind === "revoke" || c.kind === "revoke-grant-option") {
      listed.add(holdingKey(c.fact.grantee, c.fact.schema, c.fact.name, c.fact.column, c.fact.verb, c.kind === "revoke-grant-option"));
    } else if (c.kind === "revoke-schema") {
      listed.add(holdingKey(c.fact.grantee, c.fact.schema, null, null, c.fact.privilege, c.grantOptionOnly));
    } else if (c.kind === "revoke-routine") {
      listed.add(routineHoldingKey(c.fact.grantee, routineKey(c.routine), c.grantOptionOnly));
    } else if (c.kind === "revoke-type") {
      listed.add(routineHoldingKey(c.fact.grantee, compositeKey("type", c.type.schema, c.type.name), c.grantOptionOnly));
    } else if (c.kind === "revoke-database") {
      listed.add(databaseKey(c.fact.grantee, c.fact.privilege, c.grantOptionOnly));
    } else if (c.kind === "cascade-revoke") {
      listed.add(holdingKey(c.role, c.grant.schema, c.grant.name, c.grant.column, c.grant.privilege, c.grant.grantOptionOnly));
    }
  }
  const owners = new Set([...before.objects, ...after.objects].map((o) => compositeKey(o.owner, o.schema, o.name)));
  for (const s of [...before.schemas, ...after.schemas]) owners.add(compositeKey(s.owner, s.name, null));
  const holdings = (live: LiveDatabase) => {
    const held = new Map<string, { grantee: string; what: string; grantable: boolean }>();
    const add = (key: string, grantee: string, what: string, grantable: boolean) => held.set(key, { grantee, what, grantable: grantable || held.get(key)?.grantable === true });
    for (const f of live.state.privileges) {
      if (owners.has(compositeKey(f.grantee, f.schema, f.name))) continue;
      add(holdingKey(f.grantee, f.schema, f.name, f.column, f.verb, false), f.grantee, `${f.verb.toUpperCase()}${f.column !== null ? ` (${f.column})` : ""} on ${f.schema}.${f.name}`, f.grantable);
    }
    for (const f of live.state.schemaPrivileges) {
      if (owners.has(compositeKey(f.grantee, f.schema, null))) continue;
      add(holdingKey(f.grantee, f.schema, null, null, f.privilege, false), f.grantee, `${f.privilege.toUpperCase()} on schema ${f.schema}`, f.grantable);
    }
    // The database's own ACL, where it was read; its owner holds everything implicitly.
    for (const f of live.database?.privileges ?? []) {
      if (f.grantee === live.database!.owner) continue;
      add(databaseKey(f.grantee, f.privilege, false), f.grantee, `${f.privilege.toUpperCase()} on the database`, f.grantable);
    }
    // Functions' and procedures' ACLs, where they were read; their owners hold EXECUTE implicitly.
    for (const r of live.routines ?? []) {
      for (const f of r.privileges) {
        if (f.grantee === r.owner) continue;
        add(routineHoldingKey(f.grantee, routineKey(r), false), f.grantee, `EXECUTE on ${formatRoutine(r)}`, f.grantable);
      }
    }
    for (const t of live.types ?? []) {
      for (const f of t.privileges) {
        if (f.grantee === t.owner) continue;
        add(routineHoldingKey(f.grantee, compositeKey("type", t.schema, t.name), false), f.grantee, `USAGE on ${t.kind} ${t.schema}.${t.name}`, f.grantable);
      }
    }
    return held;
  };
  const now = holdings(after);
  const losses: string[] = [];
  for (const [key, was] of holdings(before)) {
    const is = now.get(key);
    if (!is && !listed.has(key)) losses.push(`${was.what} from ${was.grantee}`);
    // A privilege that goes takes its grant option with it; one that stays may still lose the option.
    else if (is && was.grantable && !is.grantable && !listed.has(key) && !listed.has(compositeKey(key, "option"))) losses.push(`the grant option for ${was.what} from ${was.grantee}`);
  }
  return losses;
}

/** EXECUTE on a routine, or USAGE on a type: a key of its own kind, as the database's. */
function routineHoldingKey(grantee: string, routine: string, optionOnly: boolean): string {
  return compositeKey("routine", grantee, routine, ...(optionOnly ? ["option"] : []));
}

/** A privilege on the database: a key of its own kind, which no schema's or object's can equal. */
function databaseKey(grantee: string, privilege: string, optionOnly: boolean): string {
  return compositeKey("database", grantee, privilege, ...(optionOnly ? ["option"] : []));
}

function holdingKey(grantee: string, schema: string, name: string | null, column: string | null, privilege: string, optionOnly: boolean): string {
  return compositeKey(grantee, schema, name, column, privilege, ...(optionOnly ? ["option"] : []));
}
