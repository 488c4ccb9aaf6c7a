import { formatName } from "../syntax/names.js";
import { compositeKey } from "./composite-key.js";
import { compareText } from "./ir.js";

/**
 * An argument type of a function or procedure, as PostgreSQL identifies it: the type's schema and
 * own name (pg_type.typname, `int4` for integer) and whether it is an array of it. A routine is
 * known by its name and these, so two spellings of one type (`int`, `integer`) name one routine.
 */
export interface ArgType {
  readonly schema: string;
  readonly name: string;
  /** PostgreSQL keeps one array type per element type, whatever the dimensions written. */
  readonly array: boolean;
}

/** Where PostgreSQL's built-in types live; a type written without a schema is one of them. */
export const builtInTypeSchema = "pg_catalog";

/** SQL's spellings of built-in types, which PostgreSQL's parser turns into the types' own names. */
const sqlSpellings: ReadonlyMap<string, string> = new Map([
  ["int", "int4"],
  ["integer", "int4"],
  ["smallint", "int2"],
  ["bigint", "int8"],
  ["real", "float4"],
  ["float", "float8"],
  ["double precision", "float8"],
  ["boolean", "bool"],
  ["decimal", "numeric"],
  ["dec", "numeric"],
  ["char", "bpchar"],
  ["character", "bpchar"],
  ["char varying", "varchar"],
  ["character varying", "varchar"],
  ["national character", "bpchar"],
  ["national character varying", "varchar"],
  ["nchar", "bpchar"],
  ["timestamp without time zone", "timestamp"],
  ["timestamp with time zone", "timestamptz"],
  ["time without time zone", "time"],
  ["time with time zone", "timetz"],
  ["bit varying", "varbit"],
]);

/** How PostgreSQL's format_type shows the types SQL spells otherwise: what import writes. */
const shownAs: ReadonlyMap<string, string> = new Map([
  ["int4", "integer"],
  ["int2", "smallint"],
  ["int8", "bigint"],
  ["float4", "real"],
  ["float8", "double precision"],
  ["bool", "boolean"],
  ["bpchar", "character"],
  ["varchar", "character varying"],
  ["timestamp", "timestamp without time zone"],
  ["timestamptz", "timestamp with time zone"],
  ["time", "time without time zone"],
  ["timetz", "time with time zone"],
  ["varbit", "bit varying"],
]);

/** A type as written in a `.roles` file: `integer`, `double precision`, `"char"`, `app.money`, with `[]` or not. */
export interface WrittenType {
  readonly schema: string | undefined;
  readonly words: readonly string[];
  /** A one-word built-in type in double quotes: taken as the type's own name, never as an SQL spelling. */
  readonly quoted: boolean;
  readonly array: boolean;
}

/**
 * The type a written one names, or why it names none. Built-in types are written as in SQL, in any
 * case (`integer`, `INT`, `double precision`) or by their own names (`int4`, `text`, `uuid`); any
 * other type with its schema, whose name keeps its case as every name of the language does.
 */
export function resolveWrittenType(written: WrittenType): ArgType | { readonly error: string } {
  if (written.schema !== undefined) {
    if (written.words.length !== 1) return { error: `a type with a schema is one name: \`${formatName(written.schema)}.${formatName(written.words[0]!)}\` (argument names are not written, only types)` };
    return { schema: written.schema, name: written.words[0]!, array: written.array };
  }
  if (written.quoted) return { schema: builtInTypeSchema, name: written.words[0]!, array: written.array };
  const spelled = written.words.join(" ").toLowerCase();
  const name = sqlSpellings.get(spelled);
  if (name !== undefined) return { schema: builtInTypeSchema, name, array: written.array };
  if (written.words.length > 1) {
    return { error: `${JSON.stringify(written.words.join(" "))} is not a type; a type is one name (\`text\`, \`app.money\`) or one of SQL's spellings such as \`double precision\` or \`timestamp with time zone\`, with no length or precision, and no argument name` };
  }
  return { schema: builtInTypeSchema, name: spelled, array: written.array };
}

/** A type as a `.roles` file writes it, the way PostgreSQL shows it (`integer`, `"char"`, `app.money[]`). */
export function formatArgType(type: ArgType): string {
  const suffix = type.array ? "[]" : "";
  if (type.schema !== builtInTypeSchema) return `${formatName(type.schema)}.${formatName(type.name)}${suffix}`;
  const shown = shownAs.get(type.name);
  if (shown !== undefined) return shown + suffix;
  // Bare words are read in lower case and through SQL's spellings: any other name is quoted.
  const bare = /^[a-z_][a-z0-9_$]*$/.test(type.name) && !sqlSpellings.has(type.name);
  return (bare ? type.name : `"${type.name.replaceAll('"', '""')}"`) + suffix;
}

/** A routine's argument list as a `.roles` file writes it, parentheses included. */
export function formatArgTypes(args: readonly ArgType[]): string {
  return `(${args.map(formatArgType).join(", ")})`;
}

/** One key part per argument type, for a routine's key. */
export function argTypeKey(type: ArgType): string {
  return compositeKey(type.schema, type.name, type.array ? "[]" : "");
}

export function sameArgTypes(a: readonly ArgType[], b: readonly ArgType[]): boolean {
  return a.length === b.length && a.every((t, i) => argTypeKey(t) === argTypeKey(b[i]!));
}

export function compareArgTypes(a: readonly ArgType[], b: readonly ArgType[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    const order = compareText(x.schema, y.schema) || compareText(x.name, y.name) || Number(x.array) - Number(y.array);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}
