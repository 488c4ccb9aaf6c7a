import { effectiveGrantsOf, inheritedParents, transitiveParents } from "../model/effective.js";
import { compareText, grantableRelations, PUBLIC, sensitiveColumnsReached, type Model, type Verb } from "../model/index.js";
import { formatName } from "../syntax/names.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { spanLocation, type Span } from "../source/source.js";

/** What one role can do to one object, as the matrix shows it. */
export interface MatrixCell {
  /** Reading: none, some columns, or all of them. */
  readonly read: "none" | "some" | "all";
  /** The writing verbs it holds (insert, update, delete, truncate; usage and update on a sequence), in the language's order. */
  readonly writes: readonly Verb[];
  /** Whether what it reads or writes includes a sensitive column. */
  readonly sensitive: boolean;
}

export interface ReviewedObject {
  /** `schema.object` as a .roles file writes it. */
  readonly on: string;
  readonly kind: string;
  readonly appendOnly: boolean;
  readonly sensitiveColumns: readonly string[];
}

export interface ReviewedRole {
  readonly role: string;
  readonly login: boolean;
  readonly external: boolean;
  /** Its members: from the files, or as the live database has them (undeclared ones included). */
  readonly members: readonly string[];
  readonly memberOf: readonly string[];
  /** Roles whose privileges it holds through membership. */
  readonly inheritsFrom: readonly string[];
  readonly reads: readonly { readonly on: string; readonly columns: "all" | readonly string[] }[];
  readonly writes: readonly { readonly on: string; readonly verb: Verb; readonly columns: "all" | readonly string[] }[];
  /** The sensitive columns it can read or write, per object. */
  readonly sensitive: readonly { readonly on: string; readonly columns: readonly string[] }[];
}

export interface ReviewFinding {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly where: string;
}

export interface ReviewReport {
  readonly sourcesSha256: string;
  /** Where the members come from: the .roles files, or the database named. */
  readonly membersFrom: string;
  readonly roles: readonly ReviewedRole[];
  readonly objects: readonly ReviewedObject[];
  /** matrix[role index][object index]. */
  readonly matrix: readonly (readonly MatrixCell[])[];
  readonly findings: readonly ReviewFinding[];
}

// usage on a sequence is nextval: a write, as update (setval) is.
const writeVerbs: readonly Verb[] = ["insert", "update", "delete", "truncate", "usage"];

/**
 * A periodic access review of a program: per role its members, what it reads and writes and the
 * sensitive columns among them; the role × object matrix; and the checker's warnings and lints.
 * `liveMembers`, when given, replaces the members the files declare with the database's.
 */
export function buildReviewReport(model: Model, diagnostics: readonly Diagnostic[], options: { liveMembers?: ReadonlyMap<string, readonly string[]>; membersFrom: string; showSpan?: (span: Span) => string }): ReviewReport {
  const relations = [...grantableRelations(model.objects)];
  const objectName = (o: { schema: string; name: string }) => `${formatName(o.schema)}.${formatName(o.name)}`;
  const index = new Map(relations.map((o, i) => [objectName(o), i]));
  const parents = inheritedParents(model.roles);
  const ancestors = transitiveParents(parents);
  const effective = effectiveGrantsOf(model);
  const roleNames = [...model.roles.map((r) => r.name), ...(model.public ? [PUBLIC] : [])];
  const declaredMembers = (name: string) => model.roles.filter((r) => r.memberOf.includes(name)).map((r) => r.name).sort(compareText);
  const roles: ReviewedRole[] = [];
  const matrix: MatrixCell[][] = [];
  for (const name of roleNames) {
    const role = model.roles.find((r) => r.name === name);
    const row: { read: "none" | "some" | "all"; writes: Verb[]; sensitive: boolean }[] = relations.map(() => ({ read: "none", writes: [], sensitive: false }));
    const reads: ReviewedRole["reads"][number][] = [];
    const writes: ReviewedRole["writes"][number][] = [];
    const sensitive = new Map<string, Set<string>>();
    for (const g of effective(name)) {
      const on = objectName(g.object);
      const i = index.get(on)!;
      const relation = relations[i]!;
      const reached = sensitiveColumnsReached(relation, g.verb, g.columns);
      if (g.verb === "select") {
        reads.push({ on, columns: g.columns });
        row[i]!.read = g.columns === "all" ? "all" : "some";
      } else if (writeVerbs.includes(g.verb)) {
        writes.push({ on, verb: g.verb, columns: g.columns });
        row[i]!.writes.push(g.verb);
      } else continue;
      if (reached.length > 0) {
        row[i]!.sensitive = true;
        const set = sensitive.get(on) ?? new Set<string>();
        for (const c of reached) set.add(c);
        sensitive.set(on, set);
      }
    }
    matrix.push(row);
    roles.push({
      role: name,
      login: role?.login ?? false,
      external: role?.external ?? false,
      members: options.liveMembers?.get(name) ?? (name === PUBLIC ? ["every role"] : declaredMembers(name)),
      memberOf: role?.memberOf ?? [],
      inheritsFrom: ancestors.get(name) ?? [],
      reads,
      writes,
      sensitive: [...sensitive].map(([on, set]) => ({ on, columns: relations[index.get(on)!]!.sensitiveColumns.filter((c) => set.has(c)) })),
    });
  }
  const show = options.showSpan ?? spanLocation;
  return {
    sourcesSha256: model.sourcesSha256,
    membersFrom: options.membersFrom,
    roles,
    objects: relations.map((o) => ({ on: objectName(o), kind: o.partitionOf !== undefined ? "partition" : o.kind, appendOnly: o.appendOnly, sensitiveColumns: o.sensitiveColumns })),
    matrix,
    findings: diagnostics.filter((d) => d.severity !== "error").map((d) => ({ code: d.code, severity: d.severity, message: d.message, where: show(d.span) })),
  };
}
