import { objectKey } from "../../model/ir.js";
import type { ResolvedProgram } from "../resolved-program.js";
import { objectRef, type Reporter } from "../reporter.js";

// Reports an append-only table no role (nor PUBLIC) may insert into (RC1006): nothing can ever be
// recorded in it through the declared roles, most likely a writer's grant was forgotten.
export function reviewAppendOnlyInsertsRule({ model }: ResolvedProgram, reporter: Reporter): void {
  const inserted = new Set([...model.grants, ...(model.public?.grants ?? [])].filter((g) => g.verb === "insert").map((g) => objectKey(g.object)));
  for (const o of model.objects) {
    if (!o.appendOnly || inserted.has(objectKey(o))) continue;
    // A partitioned table is written through it or through a partition a line names.
    if (o.partitions.some((p) => inserted.has(objectKey({ schema: o.schema, name: p })))) continue;
    reporter.report("RC1006", `no role may insert into the append-only table ${objectRef(o.schema, o.name)}, so nothing can be recorded in it; grant insert to the role that writes it`, o.span);
  }
}
