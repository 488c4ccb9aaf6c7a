import { columnVerbs, compareText, type Verb } from "../model/index.js";
import type { AccessSnapshot, Holding } from "./access-snapshot.js";

/** One privilege that changed for a role: gained (widening) or lost, on the whole thing or some columns. */
export interface PrivilegeChange {
  readonly verb: string;
  readonly on: string;
  /** "all": the whole thing; otherwise the columns gained or lost. */
  readonly columns: Holding;
  /** For a change between whole and columns: what the role holds after it. */
  readonly now?: Holding;
  /** Columns the new version declares, reached by a whole-object grant the role already had. */
  readonly newColumns?: true;
  /** The sensitive columns among those gained (as the new version marks them) or lost (as the old one did). */
  readonly sensitive?: readonly string[];
}

export interface RoleAccessChange {
  readonly role: string;
  readonly login: boolean;
  readonly gained: readonly PrivilegeChange[];
  readonly lost: readonly PrivilegeChange[];
}

export interface AccessDiff {
  readonly rolesAdded: readonly { readonly role: string; readonly login: boolean }[];
  readonly rolesRemoved: readonly { readonly role: string; readonly login: boolean }[];
  /** Roles in both versions whose login, inheritance or attributes changed. */
  readonly rolesChanged: readonly { readonly role: string; readonly what: string }[];
  readonly membershipsAdded: readonly { readonly member: string; readonly parent: string }[];
  readonly membershipsRemoved: readonly { readonly member: string; readonly parent: string }[];
  readonly appendOnlyAdded: readonly string[];
  readonly appendOnlyRemoved: readonly string[];
  /** Columns that became sensitive, or stopped being, per table or view. */
  readonly sensitiveAdded: readonly { readonly on: string; readonly columns: readonly string[] }[];
  readonly sensitiveRemoved: readonly { readonly on: string; readonly columns: readonly string[] }[];
  /** Roles whose effective access changed: those that gain anything first, then by name. */
  readonly access: readonly RoleAccessChange[];
}

export function hasChanges(d: AccessDiff): boolean {
  return d.rolesAdded.length + d.rolesRemoved.length + d.rolesChanged.length + d.membershipsAdded.length + d.membershipsRemoved.length + d.appendOnlyAdded.length + d.appendOnlyRemoved.length + d.sensitiveAdded.length + d.sensitiveRemoved.length + d.access.length > 0;
}

/** The effective-access difference between two versions of a program. */
export function diffAccess(before: AccessSnapshot, after: AccessSnapshot): AccessDiff {
  const sorted = (names: Iterable<string>) => [...names].sort(compareText);
  const pair = (key: string) => {
    const [member, parent] = key.split("\0");
    return { member: member!, parent: parent! };
  };
  const rolesChanged: { role: string; what: string }[] = [];
  for (const role of sorted(after.roles.keys())) {
    const a = before.roles.get(role);
    const b = after.roles.get(role)!;
    if (!a) continue;
    if (a.login !== b.login) rolesChanged.push({ role, what: b.login ? "can now log in" : "can no longer log in" });
    if (a.inherits !== b.inherits) rolesChanged.push({ role, what: b.inherits ? "now inherits its parents' privileges (no longer noinherit)" : "no longer inherits its parents' privileges (noinherit)" });
    for (const x of b.attributes) if (!a.attributes.includes(x)) rolesChanged.push({ role, what: `gains the attribute ${x}` });
    for (const x of a.attributes) if (!b.attributes.includes(x)) rolesChanged.push({ role, what: `loses the attribute ${x}` });
    if (a.external !== b.external) rolesChanged.push({ role, what: b.external ? "is now external (managed elsewhere)" : "is now owned by these files" });
  }
  const access: RoleAccessChange[] = [];
  for (const role of sorted(new Set([...before.access.keys(), ...after.access.keys()]))) {
    const change = diffHoldings(before.access.get(role) ?? new Map(), after.access.get(role) ?? new Map(), after, before);
    if (change.gained.length + change.lost.length > 0) access.push({ role, login: (after.roles.get(role) ?? before.roles.get(role))?.login ?? false, ...change });
  }
  access.sort((x, y) => Number(y.gained.length > 0) - Number(x.gained.length > 0) || compareText(x.role, y.role));
  return {
    rolesAdded: sorted(after.roles.keys()).filter((r) => !before.roles.has(r)).map((role) => ({ role, login: after.roles.get(role)!.login })),
    rolesRemoved: sorted(before.roles.keys()).filter((r) => !after.roles.has(r)).map((role) => ({ role, login: before.roles.get(role)!.login })),
    rolesChanged,
    membershipsAdded: sorted(after.memberships).filter((m) => !before.memberships.has(m)).map(pair),
    membershipsRemoved: sorted(before.memberships).filter((m) => !after.memberships.has(m)).map(pair),
    appendOnlyAdded: sorted(after.appendOnly).filter((o) => !before.appendOnly.has(o)),
    appendOnlyRemoved: sorted(before.appendOnly).filter((o) => !after.appendOnly.has(o)),
    sensitiveAdded: sensitiveChanges(after, before),
    sensitiveRemoved: sensitiveChanges(before, after),
    access,
  };
}

/** The columns `a` marks sensitive that `b` does not, per thing, in name order. */
function sensitiveChanges(a: AccessSnapshot, b: AccessSnapshot): { on: string; columns: string[] }[] {
  return [...a.sensitive]
    .map(([on, columns]) => ({ on, columns: columns.filter((c) => !(b.sensitive.get(on) ?? []).includes(c)) }))
    .filter((e) => e.columns.length > 0)
    .sort((x, y) => compareText(x.on, y.on));
}

function diffHoldings(before: ReadonlyMap<string, Holding>, after: ReadonlyMap<string, Holding>, snapshotAfter: AccessSnapshot, snapshotBefore: AccessSnapshot): { gained: PrivilegeChange[]; lost: PrivilegeChange[] } {
  const columnsAfter = snapshotAfter.columns;
  const columnsBefore = snapshotBefore.columns;
  // Each change carries the sensitive columns it touches, as the version it is about marks them.
  const marked = (snapshot: AccessSnapshot, c: PrivilegeChange): PrivilegeChange => {
    const sensitive = snapshot.sensitive.get(c.on) ?? [];
    const touched = !columnVerbs.has(c.verb as Verb) ? [] : c.columns !== "all" ? sensitive.filter((s) => (c.columns as readonly string[]).includes(s)) : c.now !== undefined && c.now !== "all" ? sensitive.filter((s) => !(c.now as readonly string[]).includes(s)) : sensitive;
    return touched.length > 0 ? { ...c, sensitive: touched } : c;
  };
  const gained: PrivilegeChange[] = [];
  const lost: PrivilegeChange[] = [];
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort((x, y) => compareText(x.split("\0")[1]!, y.split("\0")[1]!) || compareText(x, y));
  for (const key of keys) {
    const [verb, on] = key.split("\0") as [string, string];
    const a = before.get(key);
    const b = after.get(key);
    const ordered = (cols: Iterable<string>) => {
      const set = new Set(cols);
      const order = [...(columnsAfter.get(on) ?? []), ...(columnsBefore.get(on) ?? [])];
      return [...new Set(order)].filter((c) => set.has(c));
    };
    if (a === undefined && b !== undefined) gained.push({ verb, on, columns: b });
    else if (b === undefined && a !== undefined) lost.push({ verb, on, columns: a });
    else if (a === "all" && b !== "all" && b !== undefined) lost.push({ verb, on, columns: "all", now: b });
    else if (a !== "all" && a !== undefined && b === "all") gained.push({ verb, on, columns: "all" });
    else if (a === "all" && b === "all" && columnVerbs.has(verb as Verb)) {
      // A whole-object grant reaches a column the new version adds: the widening a reviewer must see.
      const added = (columnsAfter.get(on) ?? []).filter((c) => !(columnsBefore.get(on) ?? []).includes(c));
      if (added.length > 0) gained.push({ verb, on, columns: added, newColumns: true });
    }
    else if (a !== undefined && b !== undefined && a !== "all" && b !== "all") {
      const more = ordered(b.filter((c) => !a.includes(c)));
      const fewer = ordered(a.filter((c) => !b.includes(c)));
      if (more.length > 0) gained.push({ verb, on, columns: more });
      if (fewer.length > 0) lost.push({ verb, on, columns: fewer });
    }
  }
  return { gained: gained.map((c) => marked(snapshotAfter, c)), lost: lost.map((c) => marked(snapshotBefore, c)) };
}
