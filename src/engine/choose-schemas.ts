import { didYouMean } from "../diagnostics/did-you-mean.js";
import { InputError } from "../diagnostics/input-error.js";
import { compareText } from "../model/ir.js";

/** The schemas to pull: every one found, or those named, each of which must exist and not be the system's. */
export function chooseSchemas(found: readonly string[], only: readonly string[], shown: string, isSystem: (name: string) => boolean): string[] {
  const available = new Set(found);
  for (const name of only) {
    if (isSystem(name)) throw new InputError(`schema ${JSON.stringify(name)} belongs to the database system itself; rolec leaves system schemas out, as it never grants on them`);
    if (!available.has(name)) throw new InputError(`schema ${JSON.stringify(name)} does not exist on ${shown}${didYouMean(name, available)}`);
  }
  return [...new Set(only.length > 0 ? only : found)].sort(compareText);
}
