import type { EngineCapabilities } from "../engine.js";
import type { Verb } from "../../model/verbs.js";
import type { ObjectKind } from "../../syntax/ast.js";

/** MySQL and MariaDB cut nothing: longer names are refused, so the limit is checked here, in characters. */
export const mysqlMaxObjectChars = 64;
/** MySQL 8 allows 32 characters in a user (and so role) name; MariaDB more. The smaller one keeps scripts portable. */
export const mysqlMaxRoleChars = 32;

/**
 * Verbs MySQL/MariaDB cannot grant on a kind of object. TRUNCATE needs DROP there, which would
 * also allow dropping the table; views take no trigger. Sequences are left out altogether.
 */
export function mysqlGrantable(verb: Verb, kind: ObjectKind): boolean {
  if (kind === "sequence") return false;
  if (verb === "truncate" || verb === "usage") return false;
  if (verb === "trigger" && kind === "view") return false;
  return true;
}

export const mysqlCapabilities: EngineCapabilities = { maxObjectChars: mysqlMaxObjectChars, maxRoleChars: mysqlMaxRoleChars };
