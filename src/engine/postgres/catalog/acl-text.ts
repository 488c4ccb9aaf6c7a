/**
 * Decodes an `aclitem[]` as PostgreSQL prints it: `{alice=arw/owner,"odd name"=r/owner,=r/owner}`, a `*`
 * after a letter marking a grant option.
 *
 * Why not aclexplode: exploding every relation's ACL and joining each entry to pg_roles for its
 * names costs the server four times what printing the ACLs does (measured on 10,000 tables: 0.36 s
 * against 0.13 s for the whole relation query), and the names are in the printed form already.
 *
 * Two layers of quoting, both PostgreSQL's own: the array's (array_out: an element holding a
 * space, comma, brace, quote or backslash is double-quoted, with `"` and `\` backslash-escaped)
 * and each item's role names (putid: a name with anything but ASCII letters, digits and `_` is
 * double-quoted, with `"` doubled). An empty grantee is PUBLIC.
 */

export interface AclItem {
  /** A role name; null for PUBLIC. */
  readonly grantee: string | null;
  readonly grantor: string;
  /** PostgreSQL's name for it, as aclexplode gives: SELECT, INSERT, ... */
  readonly privilege: string;
  readonly grantable: boolean;
}

/** ACL_ALL_RIGHTS_STR's letters (src/include/utils/acl.h), by the name aclexplode gives each. */
const privilegeOfLetter: Readonly<Record<string, string>> = {
  a: "INSERT",
  r: "SELECT",
  w: "UPDATE",
  d: "DELETE",
  D: "TRUNCATE",
  x: "REFERENCES",
  t: "TRIGGER",
  X: "EXECUTE",
  U: "USAGE",
  C: "CREATE",
  T: "TEMPORARY",
  c: "CONNECT",
  s: "SET",
  A: "ALTER SYSTEM",
  m: "MAINTAIN",
};

/** Every entry of a printed ACL, one per privilege, in the order PostgreSQL prints them. */
export function parseAclText(text: string): AclItem[] {
  const items: AclItem[] = [];
  for (const element of arrayElements(text)) parseItem(element, items);
  return items;
}

/** The elements of a one-dimensional array literal, unquoted. */
function arrayElements(text: string): string[] {
  if (text[0] !== "{" || text[text.length - 1] !== "}") throw new Error(`bug: not an ACL array: ${JSON.stringify(text)}`);
  const elements: string[] = [];
  let at = 1;
  const end = text.length - 1;
  while (at < end) {
    let element = "";
    if (text[at] === '"') {
      at++;
      while (at < end && text[at] !== '"') {
        if (text[at] === "\\") at++;
        element += text[at++];
      }
      if (text[at] !== '"') throw new Error(`bug: an ACL array with an unclosed quote: ${JSON.stringify(text)}`);
      at++;
    } else {
      const comma = text.indexOf(",", at);
      const stop = comma === -1 || comma > end ? end : comma;
      element = text.slice(at, stop);
      at = stop;
    }
    elements.push(element);
    if (at < end) {
      if (text[at] !== ",") throw new Error(`bug: an ACL array with text after an element: ${JSON.stringify(text)}`);
      at++;
    }
  }
  return elements;
}

/** `grantee=privileges/grantor`, each name as putid writes it. */
function parseItem(item: string, into: AclItem[]): void {
  const grantee = readName(item, 0);
  if (item[grantee.next] !== "=") throw new Error(`bug: an ACL item without '=': ${JSON.stringify(item)}`);
  const slash = item.indexOf("/", grantee.next + 1);
  if (slash === -1) throw new Error(`bug: an ACL item without a grantor: ${JSON.stringify(item)}`);
  const grantor = readName(item, slash + 1);
  if (grantor.next !== item.length) throw new Error(`bug: an ACL item with text after its grantor: ${JSON.stringify(item)}`);
  const letters = item.slice(grantee.next + 1, slash);
  for (let i = 0; i < letters.length; i++) {
    const letter = letters[i]!;
    // A letter a later PostgreSQL adds keeps a name of its own, so the plan can show and revoke it.
    const privilege = privilegeOfLetter[letter] ?? `UNKNOWN ${letter}`;
    const grantable = letters[i + 1] === "*";
    if (grantable) i++;
    into.push({ grantee: grantee.name === "" ? null : grantee.name, grantor: grantor.name, privilege, grantable });
  }
}

/** A role name from `at`: quoted (with `""` for a quote) or up to the next `=` or `/`. */
function readName(item: string, at: number): { name: string; next: number } {
  if (item[at] !== '"') {
    let next = at;
    while (next < item.length && item[next] !== "=" && item[next] !== "/") next++;
    return { name: item.slice(at, next), next };
  }
  let name = "";
  let next = at + 1;
  for (;;) {
    const quote = item.indexOf('"', next);
    if (quote === -1) throw new Error(`bug: an ACL item with an unclosed name: ${JSON.stringify(item)}`);
    name += item.slice(next, quote);
    if (item[quote + 1] === '"') {
      name += '"';
      next = quote + 2;
    } else {
      return { name, next: quote + 1 };
    }
  }
}
