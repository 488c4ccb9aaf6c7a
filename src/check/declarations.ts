import type { Name, ObjectDecl } from "../syntax/ast.js";

/** A name the program declares, with what it names ("schema", "table", "column", ...) for messages. */
export interface DeclaredName {
  readonly name: Name;
  readonly what: string;
}

/**
 * What the declare steps took, in the order they met it, kept for the rules that judge
 * declarations (names, modifiers, column lists) once the catalog is built. A declaration that
 * was not taken, a duplicate (RC0301), is reported as that and judged no further.
 */
export interface Declarations {
  /** Schemas, objects, partitions and columns, each name once; the snapshot's come first, placed at the snapshot file. */
  readonly names: DeclaredName[];
  /** Object declarations taken: new objects, and restatements of the snapshot's. */
  readonly objects: { readonly schema: string; readonly decl: ObjectDecl }[];
  /**
   * Column lists taken as an object's columns, exactly as written (a column listed twice is in
   * twice); `repeats` when one is.
   */
  readonly columnLists: { readonly schema: string; readonly object: string; readonly columns: readonly Name[]; readonly repeats: boolean }[];
}

export function emptyDeclarations(): Declarations {
  return { names: [], objects: [], columnLists: [] };
}

/** Takes one declaration's column list: its columns, each once, in order; the names are recorded for the rules. */
export function declareColumns(declared: Declarations, schema: string, object: string, columns: readonly Name[]): string[] {
  const distinct: string[] = [];
  // A set only for long lists: a large program declares tens of thousands of short ones.
  const seen = columns.length > 32 ? new Set<string>() : undefined;
  for (const column of columns) {
    if (seen ? seen.has(column.value) : distinct.includes(column.value)) continue;
    seen?.add(column.value);
    distinct.push(column.value);
    declared.names.push({ name: column, what: "column" });
  }
  declared.columnLists.push({ schema, object, columns, repeats: distinct.length < columns.length });
  return distinct;
}
