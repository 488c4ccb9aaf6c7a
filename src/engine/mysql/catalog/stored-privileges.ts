/**
 * A grant table's SET of privileges (`Select,Insert,Grant`) as GRANT names them, its grant option
 * apart; names the map does not know are left out.
 */
export function storedPrivileges(set: string, names: Readonly<Record<string, string>>): { privileges: string[]; grantOption: boolean } {
  const stored = String(set).split(",").filter(Boolean);
  return { privileges: stored.map((s) => names[s]).filter((s): s is string => s !== undefined), grantOption: stored.includes("Grant") };
}
