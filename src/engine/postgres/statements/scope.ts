import { NotUnderstood } from "./needs.js";

/** A relation the allow-list declares, as a statement's name resolved to it. */
export interface RelationInfo {
  readonly schema: string;
  readonly object: string;
  readonly kind: "table" | "view" | "sequence";
  /** All its columns, in order. */
  readonly columns: readonly string[];
}

/** A function or procedure the allow-list declares, known by its identity. */
export interface RoutineInfo {
  readonly schema: string;
  readonly name: string;
  readonly kind: "function" | "procedure";
  /** Its argument types, each one text that says its schema, its name and whether it is an array: the identity PostgreSQL knows it by. */
  readonly args: readonly string[];
}

/**
 * One entry of a FROM list (or a statement's target): the name it is referred to by and the
 * columns it shows. Reading a column of a base relation needs SELECT on that column; a
 * subquery's or a CTE's columns need nothing of their own (their query's needs are counted).
 */
export interface RangeItem {
  readonly refname: string;
  /** Whether the name is the relation's own (no alias): then `schema.table.column` reaches it too. */
  readonly unaliased: boolean;
  /** Column names as the query sees them (an alias's column list renames the first ones). */
  readonly columns: readonly string[];
  /** For a base relation: the relation, and its real column name for each visible one. */
  readonly relation?: RelationInfo;
  readonly realColumns?: readonly string[];
}

/** A column that a reference reached: the item and its visible column name. */
export interface ReachedColumn {
  readonly item: RangeItem;
  readonly column: string;
}

/**
 * The names visible at one query level: its FROM items, and columns that a JOIN ... USING
 * merged (a reference to one reads it on both sides). Lookups fall back to the enclosing level
 * (a correlated subquery), as PostgreSQL's do.
 */
export class Scope {
  readonly items: RangeItem[] = [];
  readonly merged = new Map<string, ReachedColumn[]>();

  constructor(readonly parent: Scope | undefined) {}

  /** What a column reference of 1 to 3 names (`c`, `t.c`, `s.t.c`) reaches, or `*` / `t.*` (column undefined). */
  resolve(names: readonly string[], star: boolean): ReachedColumn[] {
    if (names.length === 1 && !star) {
      // A bare name is a column at any level before it is a whole row at any level, as
      // PostgreSQL looks it up (colNameToVar, then a relation of that name).
      for (let scope: Scope | undefined = this; scope; scope = scope.parent) {
        const found = scope.columnHere(names[0]!);
        if (found) return found;
      }
      for (let scope: Scope | undefined = this; scope; scope = scope.parent) {
        const whole = scope.items.filter((item) => item.refname === names[0]);
        if (whole.length === 1) return allColumnsOf(whole[0]!);
        if (whole.length > 1) throw new NotUnderstood("unknown-name", `table reference ${names[0]} is ambiguous`);
      }
    } else {
      for (let scope: Scope | undefined = this; scope; scope = scope.parent) {
        const found = scope.resolveHere(names, star);
        if (found) return found;
      }
    }
    throw new NotUnderstood("unknown-name", `column ${names.join(".")}${star ? ".*" : ""} is not in any relation the statement reads from (or the allow-list does not declare it)`);
  }

  private resolveHere(names: readonly string[], star: boolean): ReachedColumn[] | undefined {
    if (star && names.length === 0) return this.items.flatMap(allColumnsOf);
    const qualifier = star ? names : names.slice(0, -1);
    const items = this.itemsNamed(qualifier);
    if (items.length === 0) return undefined;
    if (items.length > 1) throw new NotUnderstood("unknown-name", `table reference ${qualifier.join(".")} is ambiguous`);
    const item = items[0]!;
    if (star) return allColumnsOf(item);
    const column = names.at(-1)!;
    if (!item.columns.includes(column)) throw new NotUnderstood("unknown-name", `column ${column} is not among those of ${qualifier.join(".")} the allow-list declares`);
    return [{ item, column }];
  }

  /** The column a bare name means at this level, if any item here has it. */
  private columnHere(column: string): ReachedColumn[] | undefined {
    const merged = this.merged.get(column);
    if (merged) return merged;
    const holders = this.items.filter((item) => item.columns.includes(column));
    if (holders.length > 1) throw new NotUnderstood("unknown-name", `column reference ${column} is ambiguous: ${holders.map((h) => h.refname).join(" and ")} both have it`);
    return holders.length === 1 ? [{ item: holders[0]!, column }] : undefined;
  }

  private itemsNamed(qualifier: readonly string[]): RangeItem[] {
    if (qualifier.length === 1) return this.items.filter((item) => item.refname === qualifier[0]);
    if (qualifier.length === 2) return this.items.filter((item) => item.unaliased && item.relation?.schema === qualifier[0] && item.relation.object === qualifier[1]);
    throw new NotUnderstood("unsupported", `a reference with ${qualifier.length + 1} names (${qualifier.join(".")}) is not understood`);
  }
}

function allColumnsOf(item: RangeItem): ReachedColumn[] {
  return item.columns.map((column) => ({ item, column }));
}

/** The real column of a base relation a reached column stands for. */
export function realColumnOf(reached: ReachedColumn): string | undefined {
  const { item, column } = reached;
  if (!item.relation) return undefined;
  const index = item.columns.indexOf(column);
  return item.realColumns?.[index] ?? column;
}
