import { createHash } from "node:crypto";
import type { SourceFile } from "../syntax/source.js";
import { compareObjects, compareText, type Grant, type Model, type Role, type SourceDigest } from "../model/ir.js";
import { compareVerbs } from "../model/verbs.js";
import { sha256 } from "../model/digest.js";
import type { Catalog } from "./declare-objects.js";
import type { DeclaredRole } from "./declare-roles.js";
import type { GrantAtom } from "./resolve-grants.js";
import type { LoadedSnapshot } from "../snapshot/load-snapshot.js";

/** Turns what the checker resolved into the database-neutral model, sorted throughout. */
export function buildModel(
  catalog: Catalog,
  roles: Map<string, DeclaredRole>,
  parents: Map<string, string[]>,
  atoms: readonly GrantAtom[],
  sources: readonly SourceFile[],
  snapshot?: LoadedSnapshot,
): Model {
  const objects = [...catalog.values()]
    .flatMap((s) => [...s.objects.values()])
    .map((o) => ({ schema: o.schema, name: o.name, kind: o.kind, appendOnly: o.appendOnly, columns: o.columns, partitions: o.partitions, doc: o.doc, span: o.span }))
    .sort(compareObjects);

  const modelRoles: Role[] = [...roles.entries()]
    .map(([name, r]) => ({
      name,
      login: r.login,
      connectionLimit: r.connectionLimit,
      host: r.host,
      doc: r.block.doc,
      memberOf: parents.get(name) ?? [],
      span: r.block.name.span,
    }))
    .sort((a, b) => compareText(a.name, b.name));

  const merged = new Map<string, { grant: Omit<Grant, "columns" | "sources">; all: boolean; columns: Set<string>; order: readonly string[]; sources: GrantAtom["statement"]["span"][] }>();
  for (const atom of atoms) {
    const key = `${atom.role}\u0000${atom.object.schema}\u0000${atom.object.name}\u0000${atom.verb}`;
    let entry = merged.get(key);
    if (!entry) {
      entry = {
        grant: { role: atom.role, object: { schema: atom.object.schema, name: atom.object.name }, verb: atom.verb },
        all: false,
        columns: new Set(),
        order: atom.object.columns,
        sources: [],
      };
      merged.set(key, entry);
    }
    if (atom.columns === undefined) entry.all = true;
    else for (const c of atom.columns) entry.columns.add(c);
    if (!entry.sources.includes(atom.statement.span)) entry.sources.push(atom.statement.span);
  }
  const grants: Grant[] = [...merged.values()]
    .map((e) => ({
      ...e.grant,
      columns: e.all ? ("all" as const) : e.order.filter((c) => e.columns.has(c)),
      sources: [...e.sources].sort((a, b) => compareText(a.file, b.file) || a.startOffset - b.startOffset),
    }))
    .sort((a, b) => compareText(a.role, b.role) || compareObjects(a.object, b.object) || compareVerbs(a.verb, b.verb));

  const digests: SourceDigest[] = [...sources]
    .sort((a, b) => compareText(a.path, b.path))
    .map((s) => ({ path: s.path, sha256: sha256(s.text) }));
  const whole = createHash("sha256");
  for (const s of [...sources].sort((a, b) => compareText(a.path, b.path))) {
    const bytes = Buffer.from(s.text, "utf8");
    whole.update(`${s.path}\u0000${bytes.length}\u0000`);
    whole.update(bytes);
  }
  // The snapshot is a source too: what it says changes the artifacts. Without one, nothing changes.
  if (snapshot) whole.update(`snapshot\u0000${snapshot.path}\u0000${snapshot.sha256}`);
  return {
    objects,
    roles: modelRoles,
    grants,
    sources: digests,
    ...(snapshot ? { snapshot: { path: snapshot.path, sha256: snapshot.sha256 } } : {}),
    sourcesSha256: whole.digest("hex"),
  };
}
