import { InputError } from "../diagnostics/input-error.js";

/** `schema.object` or `schema.object(column)` as a command line names it. */
export interface ObjectArgument {
  readonly schema: string;
  readonly name: string;
  readonly column?: string;
}

/**
 * Reads `schema.object[(column)]` the way a `.roles` file writes names: bare (letters, digits,
 * `_` and `$`, not starting with a digit) or in double quotes with `""` for a quote, so that every
 * name a program can declare can be asked about. Anything else is an InputError that shows where.
 */
export function parseObjectArgument(text: string): ObjectArgument {
  let at = 0;
  const fail = (what: string): never => {
    throw new InputError(`cannot read ${JSON.stringify(text)} as schema.object or schema.object(column): ${what} at character ${at + 1}`);
  };
  const name = (): string => {
    if (text[at] === '"') {
      let value = "";
      at++;
      for (;;) {
        if (at >= text.length) fail("a quoted name is not closed");
        if (text[at] === '"') {
          if (text[at + 1] !== '"') break;
          at++;
        }
        value += text[at++];
      }
      at++;
      if (value === "") fail("an empty quoted name");
      return value;
    }
    const bare = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(at));
    if (!bare) fail("expected a name");
    at += bare![0].length;
    return bare![0];
  };
  const schema = name();
  if (text[at] !== ".") fail('expected "." between the schema and the object');
  at++;
  const object = name();
  if (at === text.length) return { schema, name: object };
  if (text[at] !== "(") fail('expected "(" before a column, or the end');
  at++;
  const column = name();
  if (text[at] !== ")") fail('expected ")" after the column');
  at++;
  if (at !== text.length) fail("unexpected text after the column");
  return { schema, name: object, column };
}
