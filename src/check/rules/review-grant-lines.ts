import { PUBLIC } from "../../model/ir.js";
import type { GrantStatement } from "../../syntax/ast.js";
import type { ResolvedProgram } from "../resolved-program.js";
import { quoted } from "../reporter.js";

/** Every grant line on tables, views and sequences, with who it is for (`role "x"` or PUBLIC), in file order. */
export function grantLines({ roles, publicBlocks }: Pick<ResolvedProgram, "roles" | "publicBlocks">): { role: string; owner: string; statement: GrantStatement }[] {
  const out: { role: string; owner: string; statement: GrantStatement }[] = [];
  for (const [name, role] of roles) for (const item of role.block.items) if (item.kind === "Grant") out.push({ role: name, owner: `role ${quoted(name)}`, statement: item });
  for (const block of publicBlocks) for (const item of block.items) if (item.kind === "Grant") out.push({ role: PUBLIC, owner: "PUBLIC", statement: item });
  return out;
}

/** The verbs that change rows or the table. */
export const writeVerbs: ReadonlySet<string> = new Set(["insert", "update", "delete", "truncate"]);
