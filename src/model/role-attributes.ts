import type { RoleAttributeName } from "../../grammar/index.js";

/** A role attribute a program may declare: every one the language parses but superuser, which it refuses. */
export type RoleAttribute = Exclude<RoleAttributeName, "superuser">;

/** The order attributes are kept, compared and written in. */
export const roleAttributeOrder: readonly RoleAttribute[] = ["createdb", "createrole", "replication", "bypassrls"];
