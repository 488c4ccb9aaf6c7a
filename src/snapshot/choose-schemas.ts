import { didYouMean } from "../check/did-you-mean.js";
import { InputError } from "../load/input-error.js";
import { compareText } from "../model/ir.js";

/** The schemas to pull: every one found, or those named, each of which must exist. */
export function chooseSchemas(found: readonly string[], only: readonly string[], shown: string): string[] {
  const available = new Set(found);
  for (const name of only) {
    if (!available.has(name)) throw new InputError(`schema ${JSON.stringify(name)} does not exist on ${shown}${didYouMean(name, available)}`);
  }
  return [...new Set(only.length > 0 ? only : found)].sort(compareText);
}
