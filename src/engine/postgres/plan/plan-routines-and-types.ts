import type { Blocker, PlanChange } from "../../plan.js";
import { compareText, formatRoutine, objectKey, routineKey, type Model } from "../../../model/ir.js";
import type { LiveDatabase } from "../../../model/live-database.js";
import type { RoutinePrivilegeFact } from "../../../model/permission-state.js";

/**
 * EXECUTE on the declared functions and procedures, and USAGE on the declared types and domains:
 * each declared role and PUBLIC hold it exactly where the files say, granted by the owner. A
 * grant someone else made, declared role or not, is revoked as that grantor (and made again by
 * the owner where it is declared), so that no grant hangs on a grant option the plan may take.
 */
export function planRoutines(model: Model, live: LiveDatabase, grantees: (grantee: string) => boolean, changes: PlanChange[], blockers: Blocker[]): void {
  const liveRoutines = new Map((live.routines ?? []).map((r) => [routineKey(r), r]));
  const wanted = grantedTo([...model.routineGrants, ...(model.public?.routineGrants ?? [])].map((g) => ({ role: g.role, key: routineKey(g.routine), grantable: g.grantable === true })));
  for (const routine of model.routines) {
    const found = liveRoutines.get(routineKey(routine));
    if (!found) {
      blockers.push({ what: `${routine.kind} ${formatRoutine(routine)} does not exist`, hint: "create it (or fix its declaration: argument types are compared as PostgreSQL compares them), then plan again", span: routine.span });
    } else if (found.kind !== routine.kind) {
      blockers.push({ what: `${formatRoutine(routine)} is a ${found.kind}, declared a ${routine.kind}`, hint: "fix the declaration", span: routine.span });
    } else {
      const name = { schema: routine.schema, name: routine.name, args: routine.args };
      planOnePrivilege(found, wanted.get(routineKey(routine)) ?? new Map(), grantees, changes, {
        grant: (role, grantOption) => ({ kind: "grant-routine", role, routine: name, ...(grantOption ? { grantOption } : {}) }),
        revoke: (fact, grantOptionOnly) => ({ kind: "revoke-routine", role: fact.grantee, routine: name, fact, owner: found.owner, grantOptionOnly }),
      });
    }
  }
}

/** USAGE on the declared types and domains, as planRoutines does EXECUTE. */
export function planTypes(model: Model, live: LiveDatabase, grantees: (grantee: string) => boolean, changes: PlanChange[], blockers: Blocker[]): void {
  const liveTypes = new Map((live.types ?? []).map((t) => [objectKey(t), t]));
  const wanted = grantedTo([...model.typeGrants, ...(model.public?.typeGrants ?? [])].map((g) => ({ role: g.role, key: objectKey(g.type), grantable: g.grantable === true })));
  for (const type of model.types) {
    const found = liveTypes.get(objectKey(type));
    if (!found) {
      blockers.push({ what: `${type.kind} ${type.schema}.${type.name} does not exist`, hint: "create it (or fix its declaration), then plan again", span: type.span });
    } else if (found.kind !== type.kind) {
      blockers.push({ what: `${type.schema}.${type.name} is a ${found.kind}, declared a ${type.kind}`, hint: "fix the declaration", span: type.span });
    } else {
      const name = { kind: type.kind, schema: type.schema, name: type.name };
      planOnePrivilege(found, wanted.get(objectKey(type)) ?? new Map(), grantees, changes, {
        grant: (role, grantOption) => ({ kind: "grant-type", role, type: name, ...(grantOption ? { grantOption } : {}) }),
        revoke: (fact, grantOptionOnly) => ({ kind: "revoke-type", role: fact.grantee, type: name, fact, owner: found.owner, grantOptionOnly }),
      });
    }
  }
}

/** By object, the roles granted its privilege, each with whether the files declare the grant option. */
function grantedTo(grants: readonly { role: string; key: string; grantable: boolean }[]): Map<string, Map<string, boolean>> {
  const wanted = new Map<string, Map<string, boolean>>();
  for (const g of grants) wanted.set(g.key, (wanted.get(g.key) ?? new Map()).set(g.role, g.grantable));
  return wanted;
}

/**
 * One object whose ACL holds one privilege: grants where a wanted role lacks the owner's grant
 * (or the grant option the files declare), revokes what no line asks for and every grant option
 * they do not declare. Grants made from a grant option go first, the farthest from the owner
 * first: each is revoked as its grantor while that grantor still holds the option it granted
 * from. What a role with a declared option granted is left alone where the files grant the same
 * (or do not declare the grantee).
 */
function planOnePrivilege(
  found: { readonly owner: string; readonly privileges: readonly RoutinePrivilegeFact[] },
  roles: ReadonlyMap<string, boolean>,
  grantees: (grantee: string) => boolean,
  changes: PlanChange[],
  make: { grant: (role: string, grantOption: boolean) => PlanChange; revoke: (fact: RoutinePrivilegeFact, grantOptionOnly: boolean) => PlanChange },
): void {
  const held = found.privileges.filter((f) => f.grantee !== found.owner);
  const byOwner = (f: RoutinePrivilegeFact) => f.grantor === found.owner || f.grantor === "" || f.grantor === undefined;
  // A grant from a role whose grant option the files declare stays as long as that option does.
  const fromDelegate = (f: RoutinePrivilegeFact) => f.grantor !== undefined && roles.get(f.grantor) === true;
  for (const [role, grantOption] of [...roles].sort(([a], [b]) => compareText(a, b))) {
    if (!held.some((f) => f.grantee === role && (byOwner(f) || (fromDelegate(f) && !grantOption)) && (f.grantable || !grantOption))) changes.push(make.grant(role, grantOption));
  }
  const depth = (f: RoutinePrivilegeFact, seen = new Set<string>()): number => {
    if (byOwner(f) || seen.has(f.grantor!)) return 0;
    const from = held.find((h) => h.grantee === f.grantor && h.grantable);
    return from ? 1 + depth(from, new Set([...seen, f.grantor!])) : 1;
  };
  for (const fact of [...held].sort((a, b) => depth(b) - depth(a))) {
    if (!grantees(fact.grantee)) continue;
    const allowed = (byOwner(fact) || fromDelegate(fact)) && roles.has(fact.grantee);
    if (!allowed || (fact.grantable && !roles.get(fact.grantee))) changes.push(make.revoke(fact, allowed));
  }
}
