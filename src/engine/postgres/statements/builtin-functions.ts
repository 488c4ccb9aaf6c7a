// Which of PostgreSQL's built-in functions a statement may call, as far as the decision library
// is concerned. Every role may call a built-in function (EXECUTE belongs to PUBLIC), so what
// matters is what a function does: those here compute from their arguments, read the clock or
// aggregate, and nothing else. Left out on purpose, so that a call to them is denied: whatever
// changes the session (set_config can SET ROLE), reads files or the server (pg_read_file,
// pg_ls_dir, lo_import), signals backends, takes advisory locks, reads the catalog by OID
// (pg_get_*def, to_regclass: a name-resolution side channel) or runs SQL given as text
// (query_to_xml). A function not known here is denied as not understood: the list can grow,
// the library never guesses.

/** The sequence functions, which PostgreSQL checks against the sequence's own privileges. */
export const sequenceFunctions: Readonly<Record<string, readonly ("usage" | "select" | "update")[]>> = {
  // Any of these privileges lets the call through (PostgreSQL's nextval, currval and setval).
  nextval: ["usage", "update"],
  currval: ["usage", "select"],
  setval: ["update"],
};

const names = [
  // aggregates
  "count", "sum", "avg", "min", "max", "bool_and", "bool_or", "every", "string_agg", "array_agg",
  "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg", "stddev", "stddev_pop", "stddev_samp",
  "variance", "var_pop", "var_samp", "bit_and", "bit_or", "percentile_cont", "percentile_disc", "mode",
  // window functions
  "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
  "first_value", "last_value", "nth_value",
  // numbers
  "abs", "ceil", "ceiling", "floor", "round", "trunc", "mod", "power", "pow", "sqrt", "cbrt", "exp",
  "ln", "log", "log10", "sign", "div", "pi", "random", "width_bucket", "gcd", "lcm", "scale",
  // text
  "lower", "upper", "initcap", "length", "char_length", "character_length", "octet_length",
  "bit_length", "substring", "substr", "position", "strpos", "btrim", "ltrim", "rtrim", "trim",
  "concat", "concat_ws", "replace", "translate", "left", "right", "lpad", "rpad", "repeat",
  "reverse", "split_part", "starts_with", "md5", "sha224", "sha256", "sha384", "sha512", "format",
  "to_char", "to_number", "regexp_replace", "regexp_match", "regexp_matches", "regexp_split_to_array",
  "string_to_array", "array_to_string", "quote_ident", "quote_literal", "quote_nullable", "ascii",
  "chr", "encode", "decode", "overlay", "normalize",
  // dates and times
  "now", "clock_timestamp", "statement_timestamp", "transaction_timestamp", "timeofday",
  "date_trunc", "date_part", "extract", "age", "to_date", "to_timestamp", "make_date", "make_time",
  "make_timestamp", "make_timestamptz", "make_interval", "date_bin", "justify_days",
  "justify_hours", "justify_interval", "isfinite", "timezone",
  // arrays, JSON, ranges
  "array_length", "array_upper", "array_lower", "array_position", "array_positions", "array_append",
  "array_prepend", "array_cat", "array_remove", "array_replace", "cardinality", "unnest",
  "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array", "to_json",
  "to_jsonb", "row_to_json", "json_typeof", "jsonb_typeof", "jsonb_set", "jsonb_insert",
  "jsonb_strip_nulls", "jsonb_pretty", "json_array_length", "jsonb_array_length",
  "jsonb_array_elements", "json_array_elements", "jsonb_array_elements_text",
  "json_array_elements_text", "jsonb_each", "json_each", "jsonb_each_text", "json_each_text",
  "jsonb_object_keys", "json_object_keys", "jsonb_extract_path", "jsonb_extract_path_text",
  "json_extract_path", "json_extract_path_text", "lower_inf", "upper_inf", "isempty",
  // series and identifiers
  "generate_series", "gen_random_uuid",
  // conditionals written as calls
  "num_nonnulls", "num_nulls",
] as const;

const safe: ReadonlySet<string> = new Set(names);

/**
 * Whether a call to `name` (unqualified, or in pg_catalog) is one the library lets through. A
 * name qualified with any other schema is a user's function, which this list never covers.
 */
export function isSafeBuiltin(schema: string | undefined, name: string): boolean {
  return (schema === undefined || schema === "pg_catalog") && safe.has(name);
}

/** Set-returning built-ins that may stand in FROM, each giving one column named after it (or its alias). */
export const safeSetReturningFunctions: ReadonlySet<string> = new Set(["generate_series", "unnest"]);

/**
 * Operators written without a schema that the library lets through: PostgreSQL's own symbols for
 * comparison, arithmetic, text, arrays, ranges and JSON. An operator is a function, and one a
 * schema on the search path defines (`CREATE OPERATOR app.###`) would need EXECUTE on it; a
 * symbol outside this list is denied. (A new operator for a type of the files' own, spelt with
 * one of these symbols, is beyond what the library can tell from the text.)
 */
export const builtinOperators: ReadonlySet<string> = new Set([
  "=", "<>", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "^", "|/", "||/", "@",
  "&", "|", "#", "~", "<<", ">>", "||", "~~", "~~*", "!~~", "!~~*", "!~", "~*", "!~*", "^@",
  "@>", "<@", "&&", "&<", "&>", "-|-", "->", "->>", "#>", "#>>", "?", "?|", "?&", "@?", "@@", "#-",
]);
