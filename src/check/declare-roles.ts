import type { RoleBlock } from "../syntax/ast.js";
import { roleAttributeOrder, type RoleAttribute } from "../model/role-attributes.js";
import { checkIdentifier, checkNameCharacters } from "./identifier-limits.js";
import { placeFrom, quoted, type Reporter } from "./reporter.js";

export interface DeclaredRole {
  readonly block: RoleBlock;
  /** Declared with `external role`: referenced here, managed elsewhere. */
  readonly external: boolean;
  readonly login: boolean;
  readonly connectionLimit: number;
  /** The MySQL/MariaDB account host of a login role; "%" when not given. */
  readonly host: string;
  /** PostgreSQL role attributes it declares, in canonical order. */
  readonly attributes: readonly RoleAttribute[];
}

/** What each attribute that reaches past the grants lets a role do, for RC0310. */
const powerfulAttributes: Partial<Record<RoleAttribute, string>> = {
  createrole: "create, alter and drop roles and grant membership in them, so it can give itself or others what this program does not say",
  bypassrls: "read and change every row whatever the row-level security policies say",
  replication: "stream every row of every table through replication, whatever the grants say",
};

const reservedRoleNames = new Set(["public", "current_user", "current_role", "session_user", "none"]);

/** Whether the name is reserved: PostgreSQL's role specifications and pg_ prefix, and rolec_ for rolec's own roles. */
export function isReservedRoleName(name: string): boolean {
  const lower = name.toLowerCase();
  return reservedRoleNames.has(lower) || lower.startsWith("pg_") || lower.startsWith("rolec_");
}

/**
 * Gathers every role block, `external role` ones included; a second block for the same role is an
 * error (RC0303), whether either is external or not. An external role takes `login` and `host`,
 * which name a MySQL/MariaDB account, but never `connection_limit` (RC0308): its attributes are
 * its owner's.
 */
export function declareRoles(blocks: readonly RoleBlock[], reporter: Reporter): Map<string, DeclaredRole> {
  const roles = new Map<string, DeclaredRole>();
  for (const block of blocks) {
    const name = block.name.value;
    const previous = roles.get(name);
    if (previous) {
      reporter.report(
        "RC0303",
        `role ${quoted(name)} is already declared on ${placeFrom(previous.block.name.span, block.name.span)}; merge the two blocks`,
        block.name.span,
        [{ message: "first declared here", span: previous.block.name.span }],
      );
      continue;
    }
    checkIdentifier(reporter, block.name, "role");
    if (isReservedRoleName(name)) {
      reporter.report(
        "RC0702",
        `${quoted(name)} is a reserved role name (public, current_user, current_role, session_user, none, pg_* and rolec_*); choose another name`,
        block.name.span,
      );
    }
    let login = false;
    let connectionLimit = -1;
    let host: string | undefined;
    const attributes = new Set<RoleAttribute>();
    const seen = new Set<string>();
    for (const option of block.options) {
      const word = option.kind === "Login" ? "login" : option.kind === "Host" ? "host" : option.kind === "Attribute" ? option.attribute : "connection_limit";
      if (seen.has(word)) {
        reporter.report("RC0305", `role ${quoted(name)} sets ${word} twice; keep one`, option.span);
        continue;
      }
      seen.add(word);
      if (option.kind === "Attribute" && option.attribute === "superuser") {
        reporter.report(
          "RC0309",
          `role ${quoted(name)} cannot be a superuser: a superuser passes every permission check, so nothing this program says would hold for it; give it the grants and attributes it needs instead`,
          option.span,
        );
        continue;
      }
      if (block.external && option.kind === "Attribute") {
        reporter.report(
          "RC0308",
          `external role ${quoted(name)} sets ${option.attribute}, but an external role's attributes belong to the program that manages it; set it there and remove it here (an external role takes only login and host, which name a MySQL/MariaDB account)`,
          option.span,
        );
        continue;
      }
      if (option.kind === "Attribute") {
        const attribute = option.attribute as RoleAttribute; // superuser was refused above
        attributes.add(attribute);
        const reach = powerfulAttributes[attribute];
        if (reach) reporter.report("RC0310", `role ${quoted(name)} is given ${attribute}, which lets it ${reach}; make sure it needs it`, option.span);
        continue;
      }
      if (block.external && option.kind === "ConnectionLimit") {
        reporter.report(
          "RC0308",
          `external role ${quoted(name)} sets connection_limit, but an external role's attributes belong to the program that manages it; set it there and remove it here (an external role takes only login and host, which name a MySQL/MariaDB account)`,
          option.span,
        );
        continue;
      }
      if (option.kind === "Login") login = true;
      else if (option.kind === "Host") {
        host = option.host.value;
        checkNameCharacters(reporter, option.host, "host");
      }
      else if (option.limit < -1 || option.limit > 2147483647) {
        reporter.report("RC0306", `connection_limit ${option.limit} is out of range; use -1 for no limit or a number from 0 to 2147483647`, option.span);
      } else connectionLimit = option.limit;
    }
    const hostOption = block.options.find((o) => o.kind === "Host");
    if (hostOption && !login) {
      reporter.report("RC0307", `role ${quoted(name)} sets host but not login; only a login role becomes an account with a host, so add login or remove host`, hostOption.span);
    }
    roles.set(name, { block, external: block.external, login, connectionLimit, host: host ?? "%", attributes: roleAttributeOrder.filter((a) => attributes.has(a)) });
  }
  return roles;
}
