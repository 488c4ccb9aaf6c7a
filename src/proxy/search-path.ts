/**
 * Splits `SHOW search_path`'s value into schema names, as the server splits it
 * (SplitIdentifierString): comma-separated, a double-quoted name taken as written with `""`
 * standing for `"`, an unquoted one folded to lower case. `$user` stays `$user`. Undefined for a
 * value the server would not accept either.
 */
export function splitSearchPath(value: string): string[] | undefined {
  const names: string[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < value.length && /\s/.test(value[i]!)) i++;
  };
  skipSpace();
  if (i === value.length) return names;
  for (;;) {
    skipSpace();
    let name = "";
    if (value[i] === '"') {
      i++;
      for (;;) {
        if (i >= value.length) return undefined;
        if (value[i] === '"') {
          if (value[i + 1] !== '"') break;
          i++;
        }
        name += value[i];
        i++;
      }
      i++;
      // The server takes an empty quoted name ("") in the value as no name at all.
      if (name === "" && names.length === 0) {
        skipSpace();
        if (i === value.length) return names;
      }
    } else {
      const start = i;
      while (i < value.length && value[i] !== "," && !/\s/.test(value[i]!)) i++;
      name = value.slice(start, i).replace(/[A-Z]/g, (c) => c.toLowerCase());
      if (name === "") return undefined;
    }
    names.push(name);
    skipSpace();
    if (i === value.length) return names;
    if (value[i] !== ",") return undefined;
    i++;
  }
}
