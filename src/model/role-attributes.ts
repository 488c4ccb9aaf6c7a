import type { RoleAttributeName } from "../../grammar/index.js";

/** A role attribute a program may declare: every one the language parses but superuser, which it refuses. */
export type RoleAttribute = Exclude<RoleAttributeName, "superuser">;

/** The order attributes are kept, compared and written in. */
export const roleAttributeOrder: readonly RoleAttribute[] = ["createdb", "createrole", "replication", "bypassrls", "noinherit"];

/** Whether the role uses what the roles it is a member of hold without SET ROLE (PostgreSQL's INHERIT, the default). */
export function inherits(role: { readonly attributes: readonly RoleAttribute[] }): boolean {
  return !role.attributes.includes("noinherit");
}
