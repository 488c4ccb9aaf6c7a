import type { RoleAttribute } from "../../model/role-attributes.js";
import type { ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";

/** What each attribute that reaches past the grants lets a role do. */
const reachOf: Partial<Record<RoleAttribute, string>> = {
  createrole: "create, alter and drop roles and grant membership in them, so it can give itself or others what this program does not say",
  bypassrls: "read and change every row whatever the row-level security policies say",
  replication: "stream every row of every table through replication, whatever the grants say",
};

// Reports createrole, replication and bypassrls on a declared role (RC0310): each reaches past the grants, so a reviewer should confirm it.
export function powerfulRoleAttributesRule({ roles }: ResolvedProgram, reporter: Reporter): void {
  for (const [name, role] of roles) {
    const warned = new Set<string>();
    for (const option of role.block.options) {
      if (option.kind !== "Attribute" || !(role.attributes as readonly string[]).includes(option.attribute) || warned.has(option.attribute)) continue;
      warned.add(option.attribute);
      const reach = reachOf[option.attribute as RoleAttribute];
      if (reach) reporter.report("RC0310", `role ${quoted(name)} is given ${option.attribute}, which lets it ${reach}; make sure it needs it`, option.span);
    }
  }
}
