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
  /** Column lists taken as an object's columns, exactly as written (a column listed twice is in twice). */
  readonly columnLists: { readonly schema: string; readonly object: string; readonly columns: readonly Name[] }[];
}

export function emptyDeclarations(): Declarations {
  return { names: [], objects: [], columnLists: [] };
}

/** Takes one declaration's column list: its columns, each once, in order; the names are recorded for the rules. */
export function declareColumns(declared: Declarations, schema: string, object: string, columns: readonly Name[]): string[] {
  declared.columnLists.push({ schema, object, columns });
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column.value)) continue;
    seen.add(column.value);
    declared.names.push({ name: column, what: "column" });
  }
  return [...seen];
}
