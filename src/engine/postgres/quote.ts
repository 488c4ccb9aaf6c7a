/**
 * The only way a value reaches PostgreSQL SQL text. Identifiers are always double-quoted
 * (names are exact, case kept); literals are single-quoted, with E'' form when a backslash
 * is present so the result is the same whatever standard_conforming_strings says.
 */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes("\u0000")) throw new Error(`bug: invalid identifier reached the emitter: ${JSON.stringify(name)}`);
  return `"${name.includes('"') ? name.replaceAll('"', '""') : name}"`;
}

export function quoteQualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * A function or procedure as GRANT, REVOKE and the regprocedure type read it: its qualified name
 * and its argument types, each by its schema and own name (`"pg_catalog"."int4"`), so no SQL
 * spelling or search_path is involved.
 */
export function quoteRoutine(routine: { readonly schema: string; readonly name: string; readonly args: readonly { readonly schema: string; readonly name: string; readonly array: boolean }[] }): string {
  const args = routine.args.map((t) => `${quoteQualified(t.schema, t.name)}${t.array ? "[]" : ""}`);
  return `${quoteQualified(routine.schema, routine.name)}(${args.join(", ")})`;
}

export function quoteLiteral(value: string): string {
  if (value.includes("\u0000")) throw new Error("bug: NUL character in a literal");
  const single = value.includes("'") ? value.replaceAll("'", "''") : value;
  return value.includes("\\") ? `E'${single.replaceAll("\\", "\\\\")}'` : `'${single}'`;
}

/** Wraps a body (e.g. of a DO block) in dollar quotes whose tag does not occur in it. */
export function quoteDollar(body: string): string {
  let tag = "$rolec$";
  for (let i = 1; body.includes(tag); i++) tag = `$rolec_${i}$`;
  return `${tag}${body}${tag}`;
}

export function sqlInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`bug: not an integer: ${value}`);
  return String(value);
}

/**
 * Text for a `--` comment. A line break would end the comment and turn the rest into SQL,
 * so control characters and line separators are written as escapes.
 */
export function commentText(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
