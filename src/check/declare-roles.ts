import type { RoleBlock, RoleOption } from "../syntax/ast.js";
import type { AccountOptions } from "../model/account-options.js";
import { declareAccountOptions } from "./declare-account-options.js";
import { roleAttributeOrder, type RoleAttribute } from "../model/role-attributes.js";
import { parseValidUntil } from "../model/valid-until.js";
import type { RoleSetting } from "../model/role-settings.js";
import { declareSettings } from "./declare-settings.js";
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
  /** Its MySQL/MariaDB account's options (`require_ssl`, ...); undefined when it states none. */
  readonly account?: AccountOptions;
  /** `valid_until`, canonical (valid-until.ts); undefined when not said, and then left alone. */
  readonly validUntil?: string;
  /** Run-time parameters it gets at login (`set`), sorted by parameter. */
  readonly settings: readonly RoleSetting[];
  readonly databaseSettings: readonly RoleSetting[];
}

/**
 * Gathers every role block, `external role` ones included; a second block for the same role is an
 * error (RC0303), whether either is external or not. An external role takes `login` and `host`,
 * which name a MySQL/MariaDB account, but never `connection_limit` (RC0308): its attributes are
 * its owner's. An option set twice (RC0305) or out of range (RC0306) is not taken.
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
    let login = false;
    let connectionLimit = -1;
    let host: string | undefined;
    let validUntil: string | undefined;
    const attributes = new Set<RoleAttribute>();
    const accountOptions: Extract<RoleOption, { kind: "AccountOption" }>[] = [];
    const seen = new Set<string>();
    for (const option of block.options) {
      const word = option.kind === "Login" ? "login" : option.kind === "Host" ? "host" : option.kind === "Attribute" ? option.attribute : option.kind === "ValidUntil" ? "valid_until" : option.kind === "AccountOption" ? option.option : "connection_limit";
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
        attributes.add(option.attribute as RoleAttribute); // superuser was refused above
        continue;
      }
      if (option.kind === "ValidUntil") {
        if (block.external) {
          reporter.report("RC0308", `external role ${quoted(name)} sets valid_until, but an external role's attributes belong to the program that manages it; set it there and remove it here`, option.span);
          continue;
        }
        const parsed = parseValidUntil(option.value);
        if (typeof parsed === "string") validUntil = parsed;
        else reporter.report("RC0315", parsed.error, option.span);
        continue;
      }
      if (option.kind === "AccountOption") {
        if (block.external) {
          reporter.report("RC0308", `external role ${quoted(name)} sets ${option.option}, but an external account's options belong to the program that manages it; set it there and remove it here`, option.span);
        } else accountOptions.push(option);
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
      else if (option.kind === "Host") host = option.host.value;
      else if (option.limit < -1 || option.limit > 2147483647) {
        reporter.report("RC0306", `connection_limit ${option.limit} is out of range; use -1 for no limit or a number from 0 to 2147483647`, option.span);
      } else connectionLimit = option.limit;
    }
    const { settings, databaseSettings } = declareSettings(block, reporter);
    const account = declareAccountOptions(name, accountOptions, reporter);
    roles.set(name, {
      block,
      external: block.external,
      login,
      connectionLimit,
      host: host ?? "%",
      attributes: roleAttributeOrder.filter((a) => attributes.has(a)),
      settings,
      databaseSettings,
      ...(account ? { account } : {}),
      ...(validUntil !== undefined ? { validUntil } : {}),
    });
  }
  return roles;
}
