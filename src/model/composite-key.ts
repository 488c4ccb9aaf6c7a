/**
 * Keys for Maps and Sets made of several parts (a schema and an object name, a grantee, an
 * object and a verb...): the parts joined by NUL. Declared names may hold no control character
 * (src/check/name-characters.ts), and neither engine allows NUL in an identifier, so a part never
 * holds the separator. A null part is written as U+0001, so that a missing part (no column, no
 * object) differs from an empty one; these are the bytes the hand-built keys this replaces used.
 *
 * It lives in src/model/ because every module that builds such a key is in the model or above it;
 * src/syntax/ and src/diagnostics/ mention NUL only to find or show it in text, never as a key.
 *
 * The bytes are part of the contract, not only equality: a few callers sort by the key
 * (plan-default-privileges.ts, plan-mysql.ts's membership edges), some split it back
 * (splitCompositeKey), and some keys built here are compared with keys built by
 * appending one more part (`compositeKey(key, "option")`). Change the separator or the null
 * marker and those orders change with them; test/model/composite-key.test.ts pins the bytes.
 */

/** Between two parts of a key. */
const keySeparator = "\u0000";

/** A null part. */
const nullPart = "\u0001";

/** The parts joined by NUL; a number as its decimal text, null as U+0001. */
export function compositeKey(...parts: readonly (string | number | null)[]): string {
  // A loop rather than map and join: plans build a key per object, grantee and verb, hundreds of
  // thousands of them on a large database, and this makes one string per part and no arrays.
  let key = "";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i > 0) key += keySeparator;
    key += part === null ? nullPart : typeof part === "string" ? part : String(part);
  }
  return key;
}

/**
 * The parts of a key compositeKey built from strings, back as strings (a null part comes back
 * as U+0001 and a number as its text: split only keys whose parts are all strings).
 */
export function splitCompositeKey(key: string): string[] {
  return key.split(keySeparator);
}

/** Whether two lists hold the same strings in the same order (as their keys compare). */
export function sameParts(a: readonly string[], b: readonly string[]): boolean {
  return compositeKey(...a) === compositeKey(...b);
}
