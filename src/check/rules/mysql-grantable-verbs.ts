import type { ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";
import { compositeKey } from "../../model/composite-key.js";
import { objectKey } from "../../model/ir.js";

// Reports truncate, and trigger on a view, which MySQL/MariaDB cannot grant (RC0901), and each `all` the target narrows (RC0902): the script would grant less than the line says.
export function mysqlGrantableVerbsRule({ roleBlocks, model }: ResolvedProgram, reporter: Reporter): void {
  const objectKinds = new Map(model.objects.map((o) => [objectKey(o), o.kind]));
  for (const role of roleBlocks) {
    for (const item of role.items) {
      if (item.kind !== "Grant") continue;
      const kind = item.target.object ? objectKinds.get(compositeKey(item.target.schema.value, item.target.object.value)) : undefined;
      for (const privilege of item.privileges) {
        if (privilege.verb === "truncate") {
          reporter.report(
            "RC0901",
            `truncate cannot be granted on MySQL/MariaDB: TRUNCATE needs the DROP privilege there, which would also let ${quoted(role.name.value)} drop the table; grant delete instead, or leave mysql out of --target`,
            privilege.span,
          );
        } else if (privilege.verb === "trigger" && kind === "view") {
          reporter.report("RC0901", `trigger cannot be granted on a view on MySQL/MariaDB: views have no triggers there`, privilege.span);
        } else if (privilege.verb === "all" && kind !== "sequence") {
          reporter.report("RC0902", `on MySQL/MariaDB, all leaves out truncate (it needs DROP there) and, on views, trigger`, privilege.span);
        }
      }
    }
  }
}
