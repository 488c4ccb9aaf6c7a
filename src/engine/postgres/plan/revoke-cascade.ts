import type { AclGrant } from "../../plan.js";
import type { LiveDatabase, LiveObject } from "../../../model/live-database.js";
import { privilegeKey, PUBLIC, type PermissionState, type PrivilegeFact } from "../../../model/permission-state.js";
import type { PlanChange } from "../../plan.js";
import { compositeKey } from "../../../model/composite-key.js";
import { objectKey } from "../../../model/ir.js";


interface Entry {
  readonly grantee: string;
  readonly grantor: string;
  readonly privilege: string;
  grantable: boolean;
  present: boolean;
}

interface Acl {
  readonly owner: string;
  readonly schema: string;
  readonly name: string | null;
  readonly kind: AclGrant["kind"];
  readonly column: string | null;
  readonly entries: Entry[];
}

/** Privileges PostgreSQL keeps per column too: a table-wide REVOKE of one of them reaches every column's. */
const columnPrivileges = new Set(["select", "insert", "update", "references"]);

/**
 * Every REVOKE rolec runs says CASCADE, and PostgreSQL then also takes what the grantee granted on
 * from its grant option, from whoever received it, recursively (acl.c, recursive_revoke), unless
 * the grantee still holds that grant option another way (from another grantor, through PUBLIC or
 * an inherited role). A table-wide REVOKE also takes the same privilege from every column. This
 * replays the plan's revokes, in order, on the ACLs read, and returns the plan with each grant
 * they take that no change of its own names listed right after the change that takes it (a
 * `cascade-revoke`, so nothing is taken from anyone, undeclared roles included, without a line
 * saying so), revokes of grants already gone by then left out (their statement would find
 * nothing), and a `regrant` at the end for each declared privilege the cascade takes.
 */
export function withCascades(
  changes: readonly PlanChange[],
  live: LiveDatabase,
  managed: ReadonlyMap<string, LiveObject>,
  desired: PermissionState,
): { changes: PlanChange[]; taken: (fact: PrivilegeFact) => boolean } {
  const acls = readAcls(live, managed);
  const inherits = membershipsAfter(changes, live);
  const out: PlanChange[] = [];
  const takenKeys = new Set<string>();

  for (const change of changes) {
    const target = revokeTarget(change);
    if (!target) {
      out.push(change);
      continue;
    }
    const acl = acls.get(aclKey(target.schema, target.name, target.column));
    const entry = acl?.entries.find((e) => e.grantee === target.grantee && e.grantor === target.grantor && e.privilege === target.privilege);
    // Already taken by a cascade listed above: the statement would find nothing to revoke.
    if (entry && (!entry.present || (target.grantOptionOnly && !entry.grantable))) continue;
    out.push(change);
    if (!acl || !entry) continue;
    const consequences: Consequence[] = [];
    revokeEntry(acl, entry, target.grantOptionOnly, inherits, consequences, false);
    // A table-wide REVOKE reaches the same grantor's grant of the same privilege on every column.
    if (target.column === null && target.name !== null && columnPrivileges.has(target.privilege)) {
      for (const column of managed.get(compositeKey(target.schema, target.name))?.columns ?? []) {
        const columnAcl = acls.get(aclKey(target.schema, target.name, column));
        const columnEntry = columnAcl?.entries.find((e) => e.present && e.grantee === target.grantee && e.grantor === target.grantor && e.privilege === target.privilege);
        if (columnAcl && columnEntry && (!target.grantOptionOnly || columnEntry.grantable)) revokeEntry(columnAcl, columnEntry, target.grantOptionOnly, inherits, consequences, true);
      }
    }
    for (const c of consequences) {
      out.push({ kind: "cascade-revoke", role: c.grantee, grant: c.grant, cause: change });
      if (!c.grant.grantOptionOnly) takenKeys.add(grantKey(c.grantee, c.grant));
    }
  }

  out.push(...regrants(out, acls, desired));
  return {
    changes: out,
    taken: (fact) => takenKeys.has(grantKey(fact.grantee, { schema: fact.schema, name: fact.name, column: fact.column, privilege: fact.verb, grantor: fact.grantor ?? "" })),
  };
}

interface Consequence {
  readonly grantee: string;
  readonly grant: AclGrant;
}

/** Takes an entry's privilege (or only its grant option) and, if its grant option goes, what hangs from it. */
function revokeEntry(acl: Acl, entry: Entry, grantOptionOnly: boolean, inherits: Inherits, out: Consequence[], listSelf: boolean): void {
  const hadOption = entry.grantable;
  if (listSelf) out.push({ grantee: entry.grantee, grant: grantOf(acl, entry, grantOptionOnly) });
  entry.grantable = false;
  if (!grantOptionOnly) entry.present = false;
  if (hadOption) recursiveRevoke(acl, entry.grantee, entry.privilege, inherits, out);
}

/** PostgreSQL's recursive_revoke: `grantee` lost the grant option for `privilege` on this ACL. */
function recursiveRevoke(acl: Acl, grantee: string, privilege: string, inherits: Inherits, out: Consequence[]): void {
  if (grantee === acl.owner) return;
  const stillHas = acl.entries.some((e) => e.present && e.grantable && e.privilege === privilege && (e.grantee === grantee || e.grantee === PUBLIC || inherits(grantee, e.grantee)));
  if (stillHas) return;
  for (const e of acl.entries) {
    if (e.present && e.grantor === grantee && e.privilege === privilege) revokeEntry(acl, e, false, inherits, out, true);
  }
}

function grantOf(acl: Acl, entry: Entry, grantOptionOnly: boolean): AclGrant {
  return { schema: acl.schema, name: acl.name, kind: acl.kind, column: acl.column, privilege: entry.privilege, grantor: entry.grantor, grantOptionOnly };
}

interface Target {
  readonly schema: string;
  readonly name: string | null;
  readonly column: string | null;
  readonly grantee: string;
  readonly grantor: string;
  readonly privilege: string;
  readonly grantOptionOnly: boolean;
}

/** The ACL entry a revoke of the plan removes: the one its grantor made (the owner's, when run as superuser). */
function revokeTarget(change: PlanChange): Target | undefined {
  switch (change.kind) {
    case "revoke":
    case "revoke-grant-option": {
      const f = change.fact;
      const grantor = f.grantor === undefined || f.grantor === "" ? change.owner : f.grantor;
      return { schema: f.schema, name: f.name, column: f.column, grantee: f.grantee, grantor, privilege: f.verb, grantOptionOnly: change.kind === "revoke-grant-option" };
    }
    case "revoke-schema": {
      const f = change.fact;
      const grantor = f.grantor === undefined || f.grantor === "" ? change.owner : f.grantor;
      return { schema: f.schema, name: null, column: null, grantee: f.grantee, grantor, privilege: f.privilege, grantOptionOnly: change.grantOptionOnly };
    }
    default:
      return undefined;
  }
}

/**
 * A schema's ACL, a table's and a column's. Kept byte for byte as it was: the kind is told by a
 * last byte of its own (U+0001 schema, U+0002 table), not by compositeKey's null parts.
 */
function aclKey(schema: string, name: string | null, column: string | null): string {
  return compositeKey(schema, name ?? "", column ?? "") + (name === null ? "\u0001" : column === null ? "\u0002" : "");
}

function grantKey(grantee: string, g: Pick<AclGrant, "schema" | "name" | "column" | "privilege" | "grantor">): string {
  return compositeKey(grantee, aclKey(g.schema, g.name, g.column), g.privilege, g.grantor);
}

/** The ACLs of the declared objects, their columns and the declared schemas, every grantee's entries. */
function readAcls(live: LiveDatabase, managed: ReadonlyMap<string, LiveObject>): Map<string, Acl> {
  const acls = new Map<string, Acl>();
  const aclFor = (owner: string, schema: string, name: string | null, kind: AclGrant["kind"], column: string | null): Acl => {
    const key = aclKey(schema, name, column);
    let acl = acls.get(key);
    if (!acl) acls.set(key, (acl = { owner, schema, name, kind, column, entries: [] }));
    return acl;
  };
  for (const f of live.state.privileges) {
    const object = managed.get(objectKey(f));
    if (!object) continue;
    aclFor(object.owner, f.schema, f.name, f.kind, f.column).entries.push({ grantee: f.grantee, grantor: f.grantor ?? "", privilege: f.verb, grantable: f.grantable, present: true });
  }
  const owners = new Map(live.schemas.map((s) => [s.name, s.owner]));
  for (const f of live.state.schemaPrivileges) {
    const owner = owners.get(f.schema);
    if (owner === undefined) continue;
    aclFor(owner, f.schema, null, "schema", null).entries.push({ grantee: f.grantee, grantor: f.grantor ?? "", privilege: f.privilege, grantable: f.grantable, present: true });
  }
  return acls;
}

type Inherits = (role: string, from: string) => boolean;

/**
 * Whether a role has the privileges of another once the plan's membership changes (which come
 * before its revokes) are made: PostgreSQL counts a grant option held through an inherited role.
 */
function membershipsAfter(changes: readonly PlanChange[], live: LiveDatabase): Inherits {
  const edges = live.state.memberships
    .filter((m) => !changes.some((c) => c.kind === "revoke-membership" && c.role === m.child && c.parent === m.parent && (c.grantor === undefined || c.grantor === m.grantor)))
    .map((m) => ({ child: m.child, parent: m.parent, inherit: m.inherit }));
  for (const c of changes) {
    if (c.kind === "grant-membership") edges.push({ child: c.role, parent: c.parent, inherit: c.inherit });
    if (c.kind === "set-inherit") edges.push({ child: c.role, parent: c.parent, inherit: c.inherit });
  }
  return (role, from) => {
    const seen = new Set([role]);
    const queue = [role];
    while (queue.length > 0) {
      const current = queue.pop()!;
      for (const e of edges) {
        if (e.child !== current || !e.inherit || seen.has(e.parent)) continue;
        if (e.parent === from) return true;
        seen.add(e.parent);
        queue.push(e.parent);
      }
    }
    return false;
  };
}

/**
 * A declared privilege the revokes took with them, and that no grant of the plan gives back, is
 * granted again at the end; so is a declared grant option a cascade took alone.
 */
function regrants(changes: readonly PlanChange[], acls: ReadonlyMap<string, Acl>, desired: PermissionState): PlanChange[] {
  const causes = new Map<string, { cause: PlanChange; optionOnly: boolean }>();
  for (const c of changes) {
    if (c.kind !== "cascade-revoke") continue;
    const key = holderKey(c.role, c.grant.schema, c.grant.name, c.grant.column, c.grant.privilege);
    const known = causes.get(key);
    if (!known || (known.optionOnly && !c.grant.grantOptionOnly)) causes.set(key, { cause: c.cause, optionOnly: c.grant.grantOptionOnly });
  }
  if (causes.size === 0) return [];
  const granted = new Set(changes.flatMap((c) => (c.kind === "grant" ? [privilegeKey(c.fact)] : c.kind === "grant-schema" ? [holderKey(c.role, c.fact.schema, null, null, c.fact.privilege)] : [])));
  const holds = (grantee: string, schema: string, name: string | null, column: string | null, privilege: string, withOption: boolean) =>
    acls.get(aclKey(schema, name, column))?.entries.some((e) => e.present && e.grantee === grantee && e.privilege === privilege && (!withOption || e.grantable)) ?? false;
  const out: PlanChange[] = [];
  for (const fact of desired.privileges) {
    const taken = causes.get(holderKey(fact.grantee, fact.schema, fact.name, fact.column, fact.verb));
    if (!taken || (taken.optionOnly && !fact.grantable)) continue;
    if (!granted.has(privilegeKey(fact)) && !holds(fact.grantee, fact.schema, fact.name, fact.column, fact.verb, fact.grantable)) out.push({ kind: "regrant", role: fact.grantee, fact, cause: taken.cause });
  }
  for (const fact of desired.schemaPrivileges) {
    const key = holderKey(fact.grantee, fact.schema, null, null, fact.privilege);
    const taken = causes.get(key);
    if (taken && !taken.optionOnly && !granted.has(key) && !holds(fact.grantee, fact.schema, null, null, fact.privilege, false)) out.push({ kind: "regrant", role: fact.grantee, fact, cause: taken.cause });
  }
  return out;
}

function holderKey(grantee: string, schema: string, name: string | null, column: string | null, privilege: string): string {
  return compositeKey(grantee, aclKey(schema, name, column), privilege);
}
