import type * as A from "./ast.js";
import { formatName } from "./names.js";
import type { Comment } from "./parse.js";

const indentUnit = "  ";

/**
 * Prints a file in canonical form: two-space indent, one item a line, one blank line between
 * blocks, blank lines inside blocks kept (at most one), and every comment kept where it was:
 * on its own line before the item that follows it, or at the end of the line it ended.
 */
export function printFile(file: A.RolesFile, comments: readonly Comment[], text: string): string {
  return new Printer(comments, text).file(file);
}

class Printer {
  private out: string[] = [];
  private next = 0;
  private lastEnd = 0;

  constructor(
    private readonly comments: readonly Comment[],
    private readonly text: string,
  ) {}

  file(file: A.RolesFile): string {
    file.items.forEach((item, i) => {
      this.leading(item.span.startOffset, "", i > 0);
      if (item.kind === "Schema") this.schema(item);
      else if (item.kind === "Public") this.publicBlock(item);
      else this.role(item);
    });
    this.leading(Number.POSITIVE_INFINITY, "", file.items.length > 0);
    // No global clean-up of blank lines here: it would reach inside block comments. blank() never doubles them.
    const body = this.out.join("\n").trim();
    return body.length > 0 ? body + "\n" : "";
  }

  private schema(block: A.SchemaBlock): void {
    this.line("", `schema ${formatName(block.name.value)} {`, block.name.span.endOffset);
    const decls = [...block.objects, ...block.routines, ...block.types, ...block.foreignKeys].sort((a, b) => a.span.startOffset - b.span.startOffset);
    for (const decl of decls) {
      this.leading(decl.span.startOffset, indentUnit, false);
      this.line(indentUnit, decl.kind === "Object" ? objectText(decl) : decl.kind === "Routine" ? routineText(decl) : decl.kind === "Type" ? `${decl.typeKind} ${formatName(decl.name.value)}` : foreignKeyText(decl), decl.span.endOffset);
    }
    this.close(block.span.endOffset);
  }

  private role(block: A.RoleBlock): void {
    const options = block.options.map(roleOptionText);
    const headerEnd = block.options.at(-1)?.span.endOffset ?? block.name.span.endOffset;
    const words = [...(block.external ? ["external"] : []), "role", formatName(block.name.value), ...options];
    // An external role with nothing in its block is written without one (`external role app`),
    // unless a comment stands inside the braces, which keep it there.
    if (block.external && block.items.length === 0 && !this.commentBetween(headerEnd, block.span.endOffset)) {
      this.line("", words.join(" "), block.span.endOffset);
      return;
    }
    this.line("", [...words, "{"].join(" "), headerEnd);
    for (const item of block.items) {
      this.leading(item.span.startOffset, indentUnit, false);
      this.line(indentUnit, itemText(item), item.span.endOffset);
    }
    this.close(block.span.endOffset);
  }

  private publicBlock(block: A.PublicBlock): void {
    this.line("", "public {", block.span.startOffset + "public".length);
    for (const item of block.items) {
      this.leading(item.span.startOffset, indentUnit, false);
      this.line(indentUnit, itemText(item), item.span.endOffset);
    }
    this.close(block.span.endOffset);
  }

  /** Closes a block, keeping comments that stand before its `}`. */
  private close(blockEnd: number): void {
    this.leading(blockEnd - 1, indentUnit, false);
    this.out.push("}");
    this.lastEnd = blockEnd;
    this.trailing(blockEnd);
  }

  /** Writes one line of code and any comment that follows it on the same source line. */
  private line(indent: string, code: string, end: number): void {
    this.out.push(indent + code);
    this.lastEnd = end;
    this.trailing(end);
  }

  private trailing(end: number): void {
    const comment = this.comments[this.next];
    if (!comment || comment.span.startOffset < end) return;
    // Only a comment with nothing but white space (or the block's opening brace) before it on the same line.
    const gap = this.text.slice(end, comment.span.startOffset);
    // A `///` documents what follows it, so it always goes on its own line before that.
    if (!/^[ \t]*(\{[ \t]*)?$/.test(gap) || comment.text.includes("\n") || comment.text.startsWith("///")) return;
    this.out[this.out.length - 1] += " " + comment.text.trimEnd();
    this.lastEnd = comment.span.endOffset;
    this.next += 1;
  }

  /** Writes the comments that stand before `offset`, each on its own line, keeping blank lines. */
  private leading(offset: number, indent: string, blankBefore: boolean): void {
    let wantBlank = blankBefore;
    while (this.next < this.comments.length && this.comments[this.next]!.span.startOffset < offset) {
      const comment = this.comments[this.next]!;
      if (wantBlank || this.blankLineBetween(this.lastEnd, comment.span.startOffset)) this.blank();
      wantBlank = false;
      this.out.push(indent + comment.text.split("\n").map((l) => l.trimEnd()).join("\n"));
      this.lastEnd = comment.span.endOffset;
      this.next += 1;
      this.trailing(this.lastEnd);
    }
    if (Number.isFinite(offset) && (wantBlank || this.blankLineBetween(this.lastEnd, offset))) this.blank();
  }

  private commentBetween(from: number, to: number): boolean {
    const comment = this.comments[this.next];
    return comment !== undefined && comment.span.startOffset >= from && comment.span.startOffset < to;
  }

  private blankLineBetween(from: number, to: number): boolean {
    if (this.out.length === 0) return false;
    return /\n[ \t\r]*\n/.test(this.text.slice(from, to));
  }

  private blank(): void {
    if (this.out.length > 0 && this.out[this.out.length - 1] !== "") this.out.push("");
  }
}

function nameList(names: readonly A.Name[]): string {
  return `(${names.map((n) => formatName(n.value)).join(", ")})`;
}

function objectText(object: A.ObjectDecl): string {
  // Canonical order: sensitive before append_only, each once.
  const prefix = `${object.sensitive ? "sensitive " : ""}${object.appendOnly ? "append_only " : ""}`;
  if (object.objectKind === "sequence") return `sequence ${formatName(object.name.value)}`;
  const partitions = object.partitions.length > 0 ? ` partitions ${nameList(object.partitions)}` : "";
  const sensitive = new Set(object.sensitiveColumns);
  const columns = `(${object.columns.map((c) => `${formatName(c.value)}${sensitive.has(c.value) ? " sensitive" : ""}`).join(", ")})`;
  return `${prefix}${object.objectKind} ${formatName(object.name.value)} ${columns}${partitions}`;
}

function routineText(routine: A.RoutineDecl): string {
  return `${routine.routineKind} ${formatName(routine.name.value)}${signatureText(routine.args)}`;
}

/** Argument types as written: a quoted one-word type stays quoted, as `"char"` and `char` are two types. */
function signatureText(args: readonly A.ArgType[]): string {
  const typeText = (arg: A.ArgType) => {
    const words = arg.quoted ? `"${arg.words[0]!.value.replaceAll('"', '""')}"` : arg.words.map((w) => formatName(w.value)).join(" ");
    return `${arg.schema ? `${formatName(arg.schema.value)}.` : ""}${words}${arg.array ? "[]" : ""}`;
  };
  return `(${args.map(typeText).join(", ")})`;
}

function foreignKeyText(key: A.ForeignKeyDecl): string {
  const referenced = `${key.referencedSchema ? `${formatName(key.referencedSchema.value)}.` : ""}${formatName(key.referencedTable.value)}`;
  const actions = key.actions.map((a) => ` on ${a.event} ${a.action}`).join("");
  return `foreign key ${formatName(key.table.value)} ${nameList(key.columns)} references ${referenced} ${nameList(key.referencedColumns)}${actions}`;
}

function itemText(item: A.RoleItem): string {
  return item.kind === "Membership" ? membershipText(item) : item.kind === "Setting" ? settingText(item) : grantText(item);
}

function membershipText(item: A.Membership): string {
  return `member of ${item.parents.map((p) => formatName(p.value)).join(", ")}${item.admin ? " with admin option" : ""}`;
}

function settingText(setting: A.Setting): string {
  // The parameter's parts were joined with dots; a name is printed back the same way.
  const parameter = setting.parameter.value.split(".").map(formatName).join(".");
  const values = setting.values.map((v) => (v.form === "string" ? `'${v.value.replaceAll("'", "''")}'` : v.form === "integer" ? v.value : formatName(v.value)));
  return `set ${parameter} = ${values.join(", ")}${setting.inDatabase ? " in database" : ""}`;
}

function grantText(grant: A.AnyGrant): string {
  return `${grantTargetText(grant)}${grant.grantOption ? " with grant option" : ""}`;
}

function grantTargetText(grant: A.AnyGrant): string {
  const privileges = grant.privileges.map((p) => (p.columns ? `${p.verb} ${nameList(p.columns)}` : p.verb)).join(", ");
  if (grant.kind === "SchemaGrant") return `${privileges} on schema ${formatName(grant.schema.value)}`;
  if (grant.kind === "DatabaseGrant") return `${privileges} on database`;
  if (grant.kind === "ServerGrant") return `${privileges} on server`;
  if (grant.kind === "DefaultGrant") {
    const schema = grant.schema ? ` in schema ${formatName(grant.schema.value)}` : "";
    return `${privileges} on future ${formatName(grant.objects.value)}${schema} created by ${formatName(grant.creator.value)}`;
  }
  const signature = grant.target.signature ? signatureText(grant.target.signature) : "";
  const target = `${formatName(grant.target.schema.value)}.${grant.target.object ? formatName(grant.target.object.value) : "*"}${signature}`;
  const exclusions = grant.exclusions.map(
    (e) => `${formatName(e.schema.value)}.${formatName(e.object.value)}${e.columns ? nameList(e.columns) : ""}`,
  );
  return `${privileges} on ${target}${exclusions.length > 0 ? ` except ${exclusions.join(", ")}` : ""}`;
}

function roleOptionText(o: A.RoleOption): string {
  switch (o.kind) {
    case "Login":
      return "login";
    case "Host":
      return `host ${formatName(o.host.value)}`;
    case "Attribute":
      return o.attribute;
    case "ValidUntil":
      return `valid_until ${stringLiteral(o.value)}`;
    case "ConnectionLimit":
      return `connection_limit ${o.limit}`;
    case "AccountOption":
      return o.value === undefined ? o.option : `${o.option} ${typeof o.value === "string" ? stringLiteral(o.value) : o.value}`;
  }
}

function stringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
