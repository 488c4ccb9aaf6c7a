import { ancestorsOf } from "../../model/effective.js";
import { objectKey, PUBLIC } from "../../model/ir.js";
import type { ResolvedProgram } from "../resolved-program.js";
import { objectRef, quoted, type Reporter } from "../reporter.js";
import { writeVerbs } from "./review-grant-lines.js";

/** Names that say a table records what happened: its rows are evidence, and must not be rewritable by those they record. */
const auditNames = /(^|_)(audit|audits|log|logs|history|journal)($|_)/i;

// Reports a role that can write a table and also update, delete from or truncate an audit trail
// (RC1005): a table whose name says it records what happened but is not append_only. Whoever
// writes the data could also erase the record of it; make the table append_only.
export function reviewAuditTrailsRule({ model }: ResolvedProgram, reporter: Reporter): void {
  const trails = model.objects.filter((o) => o.kind === "table" && !o.appendOnly && auditNames.test(o.name));
  if (trails.length === 0) return;
  const trailKeys = new Set(trails.map(objectKey));
  const ancestors = ancestorsOf(model);
  const own = new Map<string, { object: string; verb: string }[]>();
  for (const g of [...model.grants, ...(model.public?.grants ?? [])]) own.set(g.role, [...(own.get(g.role) ?? []), { object: objectKey(g.object), verb: g.verb }]);
  for (const trail of trails) {
    const erasers: string[] = [];
    for (const role of model.roles) {
      const held = [role.name, ...(ancestors.get(role.name) ?? []), ...(model.public ? [PUBLIC] : [])].flatMap((r) => own.get(r) ?? []);
      const erases = held.some((h) => h.object === objectKey(trail) && (h.verb === "update" || h.verb === "delete" || h.verb === "truncate"));
      const writesElsewhere = held.some((h) => !trailKeys.has(h.object) && writeVerbs.has(h.verb));
      if (erases && writesElsewhere) erasers.push(role.name);
    }
    if (erasers.length === 0) continue;
    reporter.report(
      "RC1005",
      `${objectRef(trail.schema, trail.name)} looks like an audit trail, and ${erasers.map(quoted).join(", ")} can write other tables and also update, delete from or truncate it; make it append_only`,
      trail.span,
    );
  }
}
