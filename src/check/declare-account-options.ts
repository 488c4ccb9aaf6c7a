import { defaultAccountOptions, hourlyLimits, maxHourlyLimit, maxPasswordLifetime, type AccountOptions } from "../model/account-options.js";
import type { RoleOption } from "../syntax/ast.js";
import { forbiddenCharacterIn } from "./name-characters.js";
import { quoted, type Reporter } from "./reporter.js";

type AccountOption = Extract<RoleOption, { kind: "AccountOption" }>;

/**
 * A role's account options (require_ssl, max_queries_per_hour, password_lifetime, ...), each
 * stated once (declare-roles.ts reports a second), as the AccountOptions its MySQL/MariaDB account
 * gets; undefined when it states none. A value that cannot be taken is reported (RC0316) and left out:
 * a number out of range, an empty text or one with a control character, or two requirements
 * where the server keeps one (`require_ssl` with `require_x509`, or either with an issuer,
 * subject or cipher, which require TLS already).
 */
export function declareAccountOptions(roleName: string, options: readonly AccountOption[], reporter: Reporter): AccountOptions | undefined {
  if (options.length === 0) return undefined;
  let account: { -readonly [K in keyof AccountOptions]: AccountOptions[K] } = { ...defaultAccountOptions };
  const requirements: AccountOption[] = [];
  for (const option of options) {
    const { value } = option;
    switch (option.option) {
      case "require_ssl":
      case "require_x509":
        requirements.push(option);
        account.require = option.option === "require_ssl" ? "ssl" : "x509";
        break;
      case "require_issuer":
      case "require_subject":
      case "require_cipher": {
        const text = String(value);
        const bad = text === "" ? "is empty" : forbiddenCharacterIn(text) ? `holds ${forbiddenCharacterIn(text)}` : undefined;
        if (bad) {
          reporter.report("RC0316", `${option.option} of role ${quoted(roleName)} ${bad}; write the ${option.option.slice("require_".length)} as the server should compare it, on one line`, option.span);
          continue;
        }
        requirements.push(option);
        account.require = "specified";
        if (option.option === "require_issuer") account.issuer = text;
        else if (option.option === "require_subject") account.subject = text;
        else account.cipher = text;
        break;
      }
      case "password_lifetime": {
        const days = Number(value);
        if (days < 0 || days > maxPasswordLifetime) {
          reporter.report("RC0316", `password_lifetime ${days} is out of range; write the days a password lasts, from 1 to ${maxPasswordLifetime}, or 0 for a password that never expires`, option.span);
          continue;
        }
        account.passwordLifetime = days;
        break;
      }
      default: {
        const limit = hourlyLimits.find((l) => l.option === option.option)!;
        const count = Number(value);
        if (count < 0 || count > maxHourlyLimit) {
          reporter.report("RC0316", `${option.option} ${count} is out of range; write a number from 1 to ${maxHourlyLimit}, or 0 for no limit`, option.span);
          continue;
        }
        account = { ...account, [limit.field]: count };
      }
    }
  }
  const kinds = new Set(requirements.map((r) => (r.option === "require_ssl" || r.option === "require_x509" ? r.option : "specified")));
  if (kinds.size > 1) {
    reporter.report(
      "RC0316",
      `role ${quoted(roleName)} states ${requirements.map((r) => r.option).join(" and ")}, but an account keeps one requirement: require_x509 includes require_ssl, and an issuer, subject or cipher requires TLS (and the first two a certificate) already; keep one`,
      requirements[1]!.span,
    );
  }
  return account;
}
