import type { LiveDatabase } from "../../../model/live-database.js";
import { compositeKey, splitCompositeKey } from "../../../model/composite-key.js";

/**
 * The language cannot declare default privileges (ALTER DEFAULT PRIVILEGES), so they are not
 * imported: one warning per role that creates objects, place and kind of object, naming what its
 * defaults give to whom. `plan` revokes those on tables and sequences that reach declared roles or PUBLIC.
 */
export function defaultPrivilegeWarnings(live: LiveDatabase): string[] {
  const given = new Map<string, string[]>();
  for (const d of live.defaultPrivileges ?? []) {
    if (d.grantee === d.owner) continue;
    const key = compositeKey(d.owner, d.schema ?? "", d.objects);
    given.set(key, [...(given.get(key) ?? []), `${d.privilege} to ${d.grantee}`]);
  }
  return [...given].map(([key, what]) => {
    const [owner, schema, objects] = splitCompositeKey(key) as [string, string, string];
    return (
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner}${schema ? ` IN SCHEMA ${schema}` : ""} gives ${what.join(", ")} on the ${objects} it creates; ` +
      "the language cannot declare default privileges, so they are not imported, and plan revokes those on tables and sequences that reach a declared role or PUBLIC"
    );
  });
}
