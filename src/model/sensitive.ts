import { columnVerbs, type Verb } from "./verbs.js";

/**
 * The sensitive columns a privilege reaches: for a per-column verb, those among the columns it
 * holds (all of them for a whole-object grant); none for a verb on whole rows (delete, truncate,
 * trigger) or a sequence's, which read or write no column's values by name.
 */
export function sensitiveColumnsReached(object: { readonly sensitiveColumns: readonly string[] }, verb: Verb, columns: "all" | readonly string[]): readonly string[] {
  if (!columnVerbs.has(verb) || object.sensitiveColumns.length === 0) return [];
  return columns === "all" ? object.sensitiveColumns : object.sensitiveColumns.filter((c) => columns.includes(c));
}
