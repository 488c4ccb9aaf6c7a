// Reading libpg-query's parse tree: its nodes are `{ NodeType: { ...fields } }`, and any shape
// other than the expected one is not understood (the statement is denied, never guessed at).
import { NotUnderstood } from "./needs.js";
import type { SqlNode } from "./parse-sql.js";

/** The one key of a parse tree node and what it holds. */
export function only(node: SqlNode): [string, Record<string, unknown>] {
  const keys = Object.keys(node);
  if (keys.length !== 1) throw new NotUnderstood("unsupported", "a parse tree node of an unexpected shape");
  return [keys[0]!, (node[keys[0]!] ?? {}) as Record<string, unknown>];
}

export function field(node: SqlNode, type: string): Record<string, unknown> {
  const [found, body] = only(node);
  if (found !== type) throw new NotUnderstood("unsupported", `${nodeName(found)} where ${nodeName(type)} was expected is not understood`);
  return body;
}

export function list(value: unknown): SqlNode[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new NotUnderstood("unsupported", "a parse tree list of an unexpected shape");
  return value as SqlNode[];
}

export function stringValue(node: SqlNode): string {
  return field(node, "String").sval as string;
}

export function constantString(node: SqlNode | undefined): string | undefined {
  if (!node) return undefined;
  const [type, body] = only(node);
  // `'app.seq'` or `'app.seq'::regclass`; any other cast (varchar(6) cuts the name short) is not understood.
  if (type === "TypeCast" && !isRegclass(body.typeName as Record<string, unknown> | undefined)) return undefined;
  const [constantType, constant] = type === "TypeCast" ? only(body.arg as SqlNode) : [type, body];
  if (constantType !== "A_Const") return undefined;
  const sval = constant.sval as Record<string, unknown> | undefined;
  return typeof sval?.sval === "string" ? sval.sval : undefined;
}

function isRegclass(typeName: Record<string, unknown> | undefined): boolean {
  const names = list(typeName?.names).map(stringValue);
  const plain = names.length === 1 || (names.length === 2 && names[0] === "pg_catalog");
  return plain && names.at(-1) === "regclass" && list(typeName?.typmods).length === 0 && list(typeName?.arrayBounds).length === 0;
}

export function functionName(call: Record<string, unknown>): { schema: string | undefined; name: string } {
  const parts = list(call.funcname).map(stringValue);
  if (parts.length === 1) return { schema: undefined, name: parts[0]! };
  if (parts.length === 2) return { schema: parts[0], name: parts[1]! };
  throw new NotUnderstood("unsupported", `function ${parts.join(".")} named with its database is not understood`);
}

/** A single-name column reference (`total`), which ORDER BY and GROUP BY may read as an output column. */
export function bareName(node: SqlNode): string | undefined {
  const ref = node.ColumnRef as Record<string, unknown> | undefined;
  const fields = ref ? list(ref.fields) : [];
  return fields.length === 1 && "String" in fields[0]! ? stringValue(fields[0]!) : undefined;
}

/** The name PostgreSQL gives an output column written without AS. */
export function outputName(node: SqlNode): string {
  const [type, body] = only(node);
  if (type === "ColumnRef") {
    const last = list(body.fields).at(-1);
    return last && "String" in last ? stringValue(last) : "?column?";
  }
  if (type === "FuncCall") return list(body.funcname).map(stringValue).at(-1)!;
  if (type === "TypeCast") return outputName(body.arg as SqlNode);
  return "?column?";
}

/** An alias's column list renames the first columns. */
export function renamed(columns: readonly string[], alias: Record<string, unknown> | undefined): string[] {
  const names = list(alias?.colnames).map(stringValue);
  return columns.map((c, i) => names[i] ?? c);
}

export function nodeName(type: string): string {
  return type.replace(/Stmt$/, "").replace(/^A_/, "");
}

export function statementName(type: string): string {
  return `a ${nodeName(type)} statement`;
}
