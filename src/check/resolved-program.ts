import type { Model } from "../model/ir.js";
import type { LoadedSnapshot } from "../model/snapshot.js";
import type { Name, PublicBlock, RoleBlock, SchemaBlock } from "../syntax/ast.js";
import type { Declarations } from "./declarations.js";
import type { Catalog } from "./declare-objects.js";
import type { DeclaredRole } from "./declare-roles.js";
import type { Reporter } from "./reporter.js";
import type { GrantAtom } from "./resolve-grants.js";

/**
 * A program once every declaration, membership and grant line is resolved: what the rules
 * judge. The blocks are every block as written, duplicates included; the rest holds only what
 * the declare and resolve steps took.
 */
export interface ResolvedProgram {
  /** Every schema block of every file, files in path order. */
  readonly schemaBlocks: readonly SchemaBlock[];
  /** Every role block of every file, files in path order. */
  readonly roleBlocks: readonly RoleBlock[];
  /** Every `public` block of every file, files in path order. */
  readonly publicBlocks: readonly PublicBlock[];
  readonly snapshot: LoadedSnapshot | undefined;
  readonly catalog: Catalog;
  readonly declared: Declarations;
  /** Roles by name, the first block of each, in declaration order. */
  readonly roles: ReadonlyMap<string, DeclaredRole>;
  /** Each role's direct parents, sorted; cycles included. */
  readonly parents: ReadonlyMap<string, readonly string[]>;
  /** Each role's grant lines expanded, in line order; a role that grants nothing has an empty list. */
  readonly atomsByRole: ReadonlyMap<string, readonly GrantAtom[]>;
  readonly model: Model;
  /** Files the parser reported errors in: lines may be missing from them. */
  readonly filesWithSyntaxErrors: ReadonlySet<string>;
}

/**
 * The names `created by` gives that no role block declares, each as written: they name roles
 * too, so the rules that judge role names judge them (a declared one is judged as a role).
 */
export function undeclaredCreatorNames({ roleBlocks, publicBlocks, roles }: Pick<ResolvedProgram, "roleBlocks" | "publicBlocks" | "roles">): Name[] {
  return [...roleBlocks, ...publicBlocks].flatMap((block) => block.items.flatMap((item) => (item.kind === "DefaultGrant" && !roles.has(item.creator.value) ? [item.creator] : [])));
}

/** One check of a resolved program: it reports what it finds and changes nothing. */
export type Rule = (program: ResolvedProgram, reporter: Reporter) => void;
