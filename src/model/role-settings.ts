/**
 * A run-time parameter a role gets at login, in every database (`ALTER ROLE ... SET`): the
 * parameter in lower case, as PostgreSQL compares them, and its value or, for a list-valued
 * parameter such as search_path, its values.
 */
export interface RoleSetting {
  readonly parameter: string;
  readonly values: readonly string[];
}

/**
 * Parameters that take a list whose items PostgreSQL stores quoted as identifiers where needed
 * (GUC_LIST_QUOTE): `search_path = app, "$user"`. Every other parameter takes one value.
 */
export const listParameters: ReadonlySet<string> = new Set(["search_path", "temp_tablespaces", "local_preload_libraries", "session_preload_libraries"]);

/**
 * Parameters a role may not be given: each changes who the session acts as, so the role would
 * log in as another role and hold what that one holds, whatever the grants say.
 */
export const forbiddenParameters: ReadonlySet<string> = new Set(["role", "session_authorization"]);

/** A parameter name PostgreSQL takes in ALTER ROLE ... SET: a name, or two joined by a dot (a custom parameter). */
export function isParameterName(name: string): boolean {
  return /^[a-z_][a-z0-9_$]*(\.[a-z_][a-z0-9_$]*)?$/.test(name);
}
