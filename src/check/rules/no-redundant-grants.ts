import type { GrantStatement, Privilege } from "../../syntax/ast.js";
import { formatName } from "../../syntax/names.js";
import { transitiveParents } from "../../model/effective.js";
import type { GrantAtom } from "../resolve-grants.js";
import type { ResolvedProgram } from "../resolved-program.js";
import { objectRef, placeFrom, quoted, type Reporter } from "../reporter.js";
import type { DeclaredObject } from "../declare-objects.js";

interface Cover {
  readonly subsumesColumns: boolean;
  readonly by: string;
}

// Reports grant lines that add nothing (RC0801), and column grants a whole-object grant covers (RC0802): a reader takes each line for a permission that matters.
export function noRedundantGrantsRule({ atomsByRole, parents, roles }: ResolvedProgram, reporter: Reporter): void {
  // Ancestors only of roles that grant something: a long chain of pure group roles stays cheap.
  // A NOINHERIT role holds none of its parents' grants, so its own are never redundant with theirs.
  const granting = [...atomsByRole].filter(([, atoms]) => atoms.length > 0).map(([name]) => name);
  const inheriting = new Map([...parents].map(([name, list]) => [name, roles.get(name)?.attributes.includes("noinherit") ? [] : list] as const));
  const ancestors = transitiveParents(inheriting, granting);
  const index: AtomIndex = new Map();
  for (const [role, atoms] of atomsByRole) {
    const byObject = new Map<DeclaredObject, GrantAtom[]>();
    for (const atom of atoms) {
      const list = byObject.get(atom.object);
      if (list) list.push(atom);
      else byObject.set(atom.object, [atom]);
    }
    index.set(role, byObject);
  }

  for (const [role, atoms] of atomsByRole) {
    const byPrivilege = new Map<Privilege, { statement: GrantStatement; atoms: GrantAtom[] }>();
    for (const atom of atoms) {
      const entry = byPrivilege.get(atom.privilege);
      if (entry) entry.atoms.push(atom);
      else byPrivilege.set(atom.privilege, { statement: atom.statement, atoms: [atom] });
    }
    for (const [privilege, { statement, atoms: privilegeAtoms }] of byPrivilege) {
      const covers: Cover[] = [];
      for (const atom of privilegeAtoms) {
        const cover = findCover(atom, role, index, ancestors.get(role) ?? []);
        if (!cover) {
          covers.length = 0;
          break;
        }
        covers.push(cover);
      }
      if (covers.length === 0) continue;
      const first = covers[0]!;
      const target = describeTarget(statement);
      // A line without a column list gets column grants only from an `except`; it is redundant as a whole.
      if (privilege.columns && covers.some((c) => c.subsumesColumns)) {
        reporter.report(
          "RC0802",
          `${privilege.verb} (${(privilege.columns ?? []).map((c) => formatName(c.value)).join(", ")}) on ${target} adds nothing: ${privilege.verb} on all of it is already granted ${first.by}; remove the column grant`,
          privilege.span,
        );
      } else {
        reporter.report("RC0801", `${privilege.verb} on ${target} is already granted ${first.by}; remove it`, privilege.span);
      }
    }
  }
}

function describeTarget(statement: GrantStatement): string {
  return objectRef(statement.target.schema.value, statement.target.object?.value);
}

/**
 * Each role's atoms by the object they are on (the catalog gives one object each time it is
 * asked for one, so the object itself is the key: no key text is built for each atom).
 */
type AtomIndex = Map<string, Map<DeclaredObject, GrantAtom[]>>;

function findCover(atom: GrantAtom, role: string, index: AtomIndex, ancestors: readonly string[]): Cover | undefined {
  for (const parent of ancestors) {
    const others = index.get(parent)?.get(atom.object);
    if (!others) continue;
    const cover = coverFrom(atom, others, () => true);
    if (cover) return { subsumesColumns: cover.subsumesColumns, by: `by role ${quoted(parent)} (${placeFrom(cover.atom.statement.span, atom.statement.span)})` };
  }
  const own = index.get(role)?.get(atom.object) ?? [];
  const cover = coverFrom(atom, own, (other, exactDuplicate) => {
    if (other.statement === atom.statement) return false;
    if (!exactDuplicate) return true;
    // Two lines grant the same thing: blame the wildcard-free line if only one is, otherwise the later one.
    if (other.explicit !== atom.explicit) return atom.explicit;
    return other.statement.span.file < atom.statement.span.file ||
      (other.statement.span.file === atom.statement.span.file && other.statement.span.startOffset < atom.statement.span.startOffset);
  });
  if (cover) return { subsumesColumns: cover.subsumesColumns, by: `on ${placeFrom(cover.atom.statement.span, atom.statement.span)}` };
  return undefined;
}

function coverFrom(
  atom: GrantAtom,
  others: readonly GrantAtom[],
  counts: (other: GrantAtom, exactDuplicate: boolean) => boolean,
): { atom: GrantAtom; subsumesColumns: boolean } | undefined {
  for (const other of others) {
    if (other.verb !== atom.verb) continue;
    // A grant without a grant option does not cover one with it: the option is more.
    if (atom.grantOption && !other.grantOption) continue;
    if (other.columns === undefined) {
      if (atom.columns !== undefined) {
        if (counts(other, false)) return { atom: other, subsumesColumns: true };
      } else if (counts(other, true)) return { atom: other, subsumesColumns: false };
      continue;
    }
    if (atom.columns === undefined) continue;
    const theirs = new Set(other.columns);
    if (!atom.columns.every((c) => theirs.has(c))) continue;
    if (counts(other, theirs.size === atom.columns.length)) return { atom: other, subsumesColumns: false };
  }
  return undefined;
}
