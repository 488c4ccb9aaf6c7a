import type { CstNode, IToken } from "chevrotain";
import { rolesParser, tokenEnd, type VerbName } from "../../grammar/index.js";
import type * as A from "./ast.js";
import type { LineIndex, Span } from "../source/source.js";
import { DocComments } from "./doc-comments.js";

type Children = Record<string, (CstNode | IToken)[] | undefined>;

const BaseVisitor = rolesParser.getBaseCstVisitorConstructorWithDefaults();

function isToken(x: CstNode | IToken): x is IToken {
  return (x as IToken).image !== undefined;
}

/** Tokens that error recovery invented have no position; a node built from one is dropped. */
function real(token: IToken | undefined): token is IToken {
  return token !== undefined && !token.isInsertedInRecovery && !Number.isNaN(token.startOffset);
}

/**
 * Turns the concrete syntax tree into the AST. After a syntax error the CST may be missing
 * pieces; a node that lacks something it needs is left out (the parser already reported why),
 * so the checker only ever sees whole nodes.
 */
class AstBuilder extends BaseVisitor {
  constructor(
    private readonly path: string,
    private readonly docs: DocComments,
    private readonly lines: LineIndex,
    private readonly names: Map<string, string>,
  ) {
    super();
    this.validateVisitor();
  }

  span(first: IToken, last: IToken): Span {
    // Lines and columns come from the offsets: the lexer keeps offsets only, which makes each of
    // a large file's hundreds of thousands of tokens smaller. `| 0` keeps every field a small
    // integer: one boxed number in one span would box all six fields of every span.
    const startOffset = first.startOffset | 0;
    const endOffset = tokenEnd(last) | 0;
    const start = this.lines.position(startOffset);
    const end = this.lines.position(endOffset);
    return {
      file: this.path,
      startOffset,
      startLine: start.line | 0,
      startColumn: start.column | 0,
      endOffset,
      endLine: end.line | 0,
      endColumn: end.column | 0,
    };
  }

  /** Span from the first to the last real token anywhere under `node`. */
  nodeSpan(node: CstNode): Span | undefined {
    const ends = tokenEnds(node);
    return ends && this.span(ends.first, ends.last);
  }

  file(children: Children): A.TopLevel[] {
    return ((children.topLevel ?? []) as CstNode[]).flatMap((n) => {
      const item = this.visit(n, n) as A.TopLevel | undefined;
      return item ? [item] : [];
    });
  }

  topLevel(children: Children): A.TopLevel | undefined {
    const node = (children.schemaBlock ?? children.roleBlock ?? children.externalRoleBlock)?.[0] as CstNode | undefined;
    return node ? (this.visit(node, node) as A.TopLevel | undefined) : undefined;
  }

  schemaBlock(children: Children, node?: CstNode): A.SchemaBlock | undefined {
    const name = this.nameOf(children.name);
    const span = node && this.nodeSpan(node);
    if (!name || !span) return undefined;
    const decls = ((children.objectDecl ?? []) as CstNode[]).flatMap((n) => {
      const decl = this.visit(n, n) as A.ObjectDecl | A.ForeignKeyDecl | undefined;
      return decl ? [decl] : [];
    });
    const objects = decls.filter((d): d is A.ObjectDecl => d.kind === "Object");
    const foreignKeys = decls.filter((d): d is A.ForeignKeyDecl => d.kind === "ForeignKey");
    return { kind: "Schema", name, objects, foreignKeys, span };
  }

  objectDecl(children: Children): A.ObjectDecl | A.ForeignKeyDecl | undefined {
    const node = (children.relationDecl ?? children.sequenceDecl ?? children.foreignKeyDecl)?.[0] as CstNode | undefined;
    return node ? (this.visit(node, node) as A.ObjectDecl | A.ForeignKeyDecl | undefined) : undefined;
  }

  foreignKeyDecl(children: Children, node?: CstNode): A.ForeignKeyDecl | undefined {
    const names = ((children.name ?? []) as CstNode[]).map((n) => this.visit(n, n) as A.Name | undefined);
    const columns = this.nameListOf(children.nameList?.slice(0, 1));
    const referencedColumns = this.nameListOf(children.nameList?.slice(1, 2));
    const span = node && this.nodeSpan(node);
    const qualified = children.Dot !== undefined;
    const [table, first, second] = names;
    if (!table || !first || (qualified && !second) || !columns || !referencedColumns || !span) return undefined;
    const actions = ((children.foreignKeyAction ?? []) as CstNode[]).flatMap((n) => {
      const action = this.visit(n, n) as A.ForeignKeyDecl["actions"][number] | undefined;
      return action ? [action] : [];
    });
    return {
      kind: "ForeignKey",
      table,
      columns: columns.names,
      referencedSchema: qualified ? first : undefined,
      referencedTable: qualified ? second! : first,
      referencedColumns: referencedColumns.names,
      actions,
      span,
    };
  }

  foreignKeyAction(children: Children, node?: CstNode): A.ForeignKeyDecl["actions"][number] | undefined {
    const actionNode = children.referentialAction?.[0] as CstNode | undefined;
    const span = node && this.nodeSpan(node);
    const action = actionNode ? (this.visit(actionNode, actionNode) as A.ReferentialAction | undefined) : undefined;
    const event = real(children.Kw_delete?.[0] as IToken | undefined) ? "delete" : real(children.Kw_update?.[0] as IToken | undefined) ? "update" : undefined;
    return action && event && span ? { event, action, span } : undefined;
  }

  referentialAction(children: Children): A.ReferentialAction | undefined {
    if (real(children.Kw_cascade?.[0] as IToken | undefined)) return "cascade";
    if (real(children.Kw_restrict?.[0] as IToken | undefined)) return "restrict";
    if (real(children.Kw_set?.[0] as IToken | undefined)) {
      if (real(children.Kw_null?.[0] as IToken | undefined)) return "set null";
      if (real(children.Kw_default?.[0] as IToken | undefined)) return "set default";
      return undefined;
    }
    if (real(children.Kw_no?.[0] as IToken | undefined) && real(children.Kw_action?.[0] as IToken | undefined)) return "no action";
    return undefined;
  }

  relationDecl(children: Children): A.ObjectDecl | undefined {
    const kindNode = children.relationKind?.[0] as CstNode | undefined;
    const kindToken = kindNode && (Object.values(kindNode.children)[0]?.[0] as IToken | undefined);
    const name = this.nameOf(children.name);
    const columns = this.nameListOf(children.nameList?.slice(0, 1));
    const partitions = children.Kw_partitions ? this.nameListOf(children.nameList?.slice(1, 2)) : undefined;
    const appendOnly = children.Kw_append_only?.[0] as IToken | undefined;
    if (!real(kindToken) || !name || !columns || (children.Kw_partitions && !partitions)) return undefined;
    const first = real(appendOnly) ? appendOnly : kindToken;
    const objectKind = kindToken.image === "view" ? "view" : "table";
    const span = { ...this.span(first, first), ...endOf((partitions ?? columns).span) };
    return {
      kind: "Object",
      objectKind,
      appendOnly: real(appendOnly),
      name,
      columns: columns.names,
      partitions: partitions?.names ?? [],
      doc: this.docs.before(first.startOffset),
      span,
    };
  }

  sequenceDecl(children: Children): A.ObjectDecl | undefined {
    const keyword = children.Kw_sequence?.[0] as IToken | undefined;
    const name = this.nameOf(children.name);
    if (!real(keyword) || !name) return undefined;
    return {
      kind: "Object",
      objectKind: "sequence",
      appendOnly: false,
      name,
      columns: [],
      partitions: [],
      doc: this.docs.before(keyword.startOffset),
      span: { ...this.span(keyword, keyword), ...endOf(name.span) },
    };
  }

  roleBlock(children: Children, node?: CstNode): A.RoleBlock | undefined {
    return this.role(children, node, children.Kw_role?.[0] as IToken | undefined, false);
  }

  externalRoleBlock(children: Children, node?: CstNode): A.RoleBlock | undefined {
    if (!real(children.Kw_role?.[0] as IToken | undefined)) return undefined;
    return this.role(children, node, children.Kw_external?.[0] as IToken | undefined, true);
  }

  private role(children: Children, node: CstNode | undefined, keyword: IToken | undefined, external: boolean): A.RoleBlock | undefined {
    const name = this.nameOf(children.name);
    const span = node && this.nodeSpan(node);
    if (!real(keyword) || !name || !span) return undefined;
    const options = ((children.roleOption ?? []) as CstNode[]).flatMap((n) => {
      const option = this.visit(n, n) as A.RoleOption | undefined;
      return option ? [option] : [];
    });
    const items = ((children.roleItem ?? []) as CstNode[]).flatMap((n) => {
      const item = this.visit(n, n) as A.RoleItem | undefined;
      return item ? [item] : [];
    });
    return { kind: "Role", external, name, options, items, doc: this.docs.before(keyword.startOffset), span };
  }

  roleOption(children: Children): A.RoleOption | undefined {
    const login = children.Kw_login?.[0] as IToken | undefined;
    if (real(login)) return { kind: "Login", span: this.span(login, login) };
    const hostKeyword = children.Kw_host?.[0] as IToken | undefined;
    if (real(hostKeyword)) {
      const host = children.name?.[0] ? (this.visit(children.name[0] as CstNode) as A.Name | undefined) : undefined;
      return host ? { kind: "Host", host, span: { ...this.span(hostKeyword, hostKeyword), ...endOf(host.span) } } : undefined;
    }
    const keyword = children.Kw_connection_limit?.[0] as IToken | undefined;
    const value = children.Integer?.[0] as IToken | undefined;
    if (!real(keyword) || !real(value)) return undefined;
    return { kind: "ConnectionLimit", limit: Number(value.image), span: this.span(keyword, value) };
  }

  roleItem(children: Children): A.RoleItem | undefined {
    const node = (children.membership ?? children.grant)?.[0] as CstNode | undefined;
    return node ? (this.visit(node, node) as A.RoleItem | undefined) : undefined;
  }

  membership(children: Children, node?: CstNode): A.Membership | undefined {
    const parents = ((children.name ?? []) as CstNode[]).flatMap((n) => {
      const name = this.visit(n, n) as A.Name | undefined;
      return name ? [name] : [];
    });
    const span = node && this.nodeSpan(node);
    if (parents.length === 0 || !span) return undefined;
    return { kind: "Membership", parents, span };
  }

  grant(children: Children, node?: CstNode): A.GrantStatement | undefined {
    const privileges = ((children.privilege ?? []) as CstNode[]).flatMap((n) => {
      const p = this.visit(n, n) as A.Privilege | undefined;
      return p ? [p] : [];
    });
    const targetNode = children.objectRef?.[0] as CstNode | undefined;
    const target = targetNode && (this.visit(targetNode, targetNode) as A.ObjectRef | undefined);
    const exclusions = ((children.exclusion ?? []) as CstNode[]).flatMap((n) => {
      const e = this.visit(n, n) as A.Exclusion | undefined;
      return e ? [e] : [];
    });
    const span = node && this.nodeSpan(node);
    if (privileges.length === 0 || !target || !span) return undefined;
    return { kind: "Grant", privileges, target, exclusions, span };
  }

  privilege(children: Children, node?: CstNode): A.Privilege | undefined {
    const verbNode = children.verb?.[0] as CstNode | undefined;
    const verbToken = verbNode && (Object.values(verbNode.children)[0]?.[0] as IToken | undefined);
    const span = node && this.nodeSpan(node);
    if (!real(verbToken) || !span) return undefined;
    const list = children.nameList ? this.nameListOf(children.nameList) : undefined;
    if (children.nameList && !list) return undefined;
    return { kind: "Privilege", verb: verbToken.image as VerbName, columns: list?.names, span };
  }

  objectRef(children: Children, node?: CstNode): A.ObjectRef | undefined {
    const schema = this.nameOf(children.name);
    const targetNode = children.objectTarget?.[0] as CstNode | undefined;
    const span = node && this.nodeSpan(node);
    if (!schema || !targetNode || !span) return undefined;
    const star = targetNode.children.Star?.[0] as IToken | undefined;
    if (real(star)) return { kind: "ObjectRef", schema, object: undefined, span };
    const object = this.nameOf(targetNode.children.name);
    if (!object) return undefined;
    return { kind: "ObjectRef", schema, object, span };
  }

  exclusion(children: Children, node?: CstNode): A.Exclusion | undefined {
    const names = ((children.name ?? []) as CstNode[]).map((n) => this.visit(n, n) as A.Name | undefined);
    const [schema, object] = names;
    const span = node && this.nodeSpan(node);
    if (!schema || !object || !span) return undefined;
    const list = children.nameList ? this.nameListOf(children.nameList) : undefined;
    if (children.nameList && !list) return undefined;
    return { kind: "Exclusion", schema, object, columns: list?.names, span };
  }

  name(children: Children): A.Name | undefined {
    // A name is one token, of whichever type (an identifier, a quoted name or a keyword).
    let token: IToken | undefined;
    for (const key in children) {
      token = children[key]![0] as IToken | undefined;
      break;
    }
    if (!real(token)) return undefined;
    const quoted = token.tokenType.name === "QuotedIdentifier";
    const text = quoted ? token.image.slice(1, -1).replaceAll('""', '"') : token.image;
    // One string per distinct name: a large file repeats its column names thousands of times.
    let value = this.names.get(text);
    if (value === undefined) this.names.set(text, (value = text));
    return { kind: "Name", value, span: this.span(token, token) };
  }

  private nameOf(nodes: (CstNode | IToken)[] | undefined): A.Name | undefined {
    const node = nodes?.[0];
    return node && !isToken(node) ? (this.visit(node, node) as A.Name | undefined) : undefined;
  }

  /** A parenthesised name list; undefined when recovery left it without a closing parenthesis. */
  private nameListOf(nodes: (CstNode | IToken)[] | undefined): { names: A.Name[]; span: Span } | undefined {
    const node = nodes?.[0];
    if (!node || isToken(node)) return undefined;
    const close = node.children.RParen?.[0] as IToken | undefined;
    const open = node.children.LParen?.[0] as IToken | undefined;
    if (!real(open) || !real(close)) return undefined;
    const names = ((node.children.name ?? []) as CstNode[]).flatMap((n) => {
      const name = this.visit(n, n) as A.Name | undefined;
      return name ? [name] : [];
    });
    if (names.length === 0) return undefined;
    return { names, span: this.span(open, close) };
  }

  // Rules whose nodes are read by their parents directly.
  relationKind(): undefined {
    return undefined;
  }
  verb(): undefined {
    return undefined;
  }
  objectTarget(): undefined {
    return undefined;
  }
  nameList(): undefined {
    return undefined;
  }
}

function endOf(span: Span): Pick<Span, "endOffset" | "endLine" | "endColumn"> {
  return { endOffset: span.endOffset, endLine: span.endLine, endColumn: span.endColumn };
}

/**
 * The first and last real tokens under a node, by position. Found in one walk without collecting
 * them: a schema block holds every token of its tables, and it is visited for its span only.
 */
function tokenEnds(node: CstNode): { first: IToken; last: IToken } | undefined {
  let first: IToken | undefined;
  let last: IToken | undefined;
  const walk = (n: CstNode) => {
    for (const list of Object.values(n.children)) {
      for (const child of list) {
        if (!isToken(child)) walk(child);
        else if (real(child)) {
          if (!first || child.startOffset < first.startOffset) first = child;
          if (!last || child.startOffset > last.startOffset) last = child;
        }
      }
    }
  };
  walk(node);
  return first && last ? { first, last } : undefined;
}

/** `names` interns the names' text, and may be shared by the parts of one file. */
export function buildAst(cst: CstNode, path: string, docs: DocComments, lines: LineIndex, names = new Map<string, string>()): A.TopLevel[] {
  return new AstBuilder(path, docs, lines, names).visit(cst, cst) as A.TopLevel[];
}
