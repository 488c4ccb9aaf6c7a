import type { CstNode, IToken } from "chevrotain";
import { accountFlagNames, tokenEnd, type AccountOptionName, type RoleAttributeName, type VerbName } from "../../grammar/index.js";
import type * as C from "../../grammar/cst-types.js";
import type * as A from "./ast.js";
import type { LineIndex, Span } from "../source/source.js";
import { DocComments } from "./doc-comments.js";

/**
 * A node's children after error recovery. The generated types follow the grammar, in which a
 * rule's required parts are always there; after a syntax error any of them may be missing.
 */
type Recovered<Children> = Partial<Children>;

/** Tokens that error recovery invented have no position; a node built from one is dropped. */
function real(token: IToken | undefined): token is IToken {
  return token !== undefined && !token.isInsertedInRecovery && !Number.isNaN(token.startOffset);
}

/**
 * Turns the concrete syntax tree into the AST. After a syntax error the CST may be missing
 * pieces; a node that lacks something it needs is left out (the parser already reported why),
 * so the checker only ever sees whole nodes.
 *
 * Each rule's method is called directly with its node's children rather than through Chevrotain's
 * CST visitor, whose `visit` returns `any`: this way every child is read with its generated type.
 */
class AstBuilder {
  constructor(
    private readonly path: string,
    private readonly docs: DocComments,
    private readonly lines: LineIndex,
    private readonly names: Map<string, string>,
  ) {}

  span(first: IToken, last: IToken): Span {
    return this.offsetSpan(first.startOffset, tokenEnd(last));
  }

  /** A span from offsets: start inclusive, end exclusive. */
  offsetSpan(start: number, end: number): Span {
    // Lines and columns come from the offsets: the lexer keeps offsets only, which makes each of
    // a large file's hundreds of thousands of tokens smaller. `| 0` keeps every field a small
    // integer: one boxed number in one span would box all six fields of every span.
    const startOffset = start | 0;
    const endOffset = end | 0;
    const startLine = this.lines.lineAt(startOffset);
    const endLine = this.lines.lineAt(endOffset);
    return {
      file: this.path,
      startOffset,
      startLine: (startLine + 1) | 0,
      startColumn: (startOffset - this.lines.lineStart(startLine) + 1) | 0,
      endOffset,
      endLine: (endLine + 1) | 0,
      endColumn: (endOffset - this.lines.lineStart(endLine) + 1) | 0,
    };
  }

  /**
   * Span from the first to the last real token under `node`; undefined when recovery left it
   * none. The parser tracks each node's offsets as it goes (only the tokens it really consumed,
   * never those that recovery invented: theirs are NaN), so no tree is walked here.
   */
  nodeSpan(node: CstNode): Span | undefined {
    const location = node.location;
    if (location === undefined || Number.isNaN(location.startOffset) || Number.isNaN(location.endOffset)) return undefined;
    // The parser's end offset is that of the last character, inclusive.
    return this.offsetSpan(location.startOffset, location.endOffset! + 1);
  }

  file(children: Recovered<C.FileCstChildren>): A.TopLevel[] {
    return built(children.topLevel, (n) => this.topLevel(n.children));
  }

  topLevel(children: Recovered<C.TopLevelCstChildren>): A.TopLevel | undefined {
    const schema = children.schemaBlock?.[0];
    if (schema) return this.schemaBlock(schema.children, schema);
    const role = children.roleBlock?.[0];
    if (role) return this.roleBlock(role.children, role);
    const external = children.externalRoleBlock?.[0];
    if (external) return this.externalRoleBlock(external.children, external);
    const publicBlock = children.publicBlock?.[0];
    return publicBlock && this.publicBlock(publicBlock.children, publicBlock);
  }

  publicBlock(children: Recovered<C.PublicBlockCstChildren>, node: CstNode): A.PublicBlock | undefined {
    const span = this.nodeSpan(node);
    if (!span) return undefined;
    const items = built(children.roleItem, (n) => this.roleItem(n.children));
    return { kind: "Public", items, span };
  }

  schemaBlock(children: Recovered<C.SchemaBlockCstChildren>, node: CstNode): A.SchemaBlock | undefined {
    const name = this.nameOf(children.name);
    const span = this.nodeSpan(node);
    if (!name || !span) return undefined;
    const decls = built(children.objectDecl, (n) => this.objectDecl(n.children));
    const objects = decls.filter((d): d is A.ObjectDecl => d.kind === "Object");
    const routines = decls.filter((d): d is A.RoutineDecl => d.kind === "Routine");
    const types = decls.filter((d): d is A.TypeDecl => d.kind === "Type");
    const foreignKeys = decls.filter((d): d is A.ForeignKeyDecl => d.kind === "ForeignKey");
    return { kind: "Schema", name, objects, routines, types, foreignKeys, span };
  }

  objectDecl(children: Recovered<C.ObjectDeclCstChildren>): A.ObjectDecl | A.RoutineDecl | A.TypeDecl | A.ForeignKeyDecl | undefined {
    const relation = children.relationDecl?.[0];
    if (relation) return this.relationDecl(relation.children);
    const sequence = children.sequenceDecl?.[0];
    if (sequence) return this.sequenceDecl(sequence.children);
    const routine = children.routineDecl?.[0];
    if (routine) return this.routineDecl(routine.children, routine);
    const type = children.typeDecl?.[0];
    if (type) return this.typeDecl(type.children);
    const foreignKey = children.foreignKeyDecl?.[0];
    return foreignKey && this.foreignKeyDecl(foreignKey.children, foreignKey);
  }

  foreignKeyDecl(children: Recovered<C.ForeignKeyDeclCstChildren>, node: CstNode): A.ForeignKeyDecl | undefined {
    const names = (children.name ?? []).map((n) => this.name(n.children));
    const columns = this.nameListOf(children.nameList?.slice(0, 1));
    const referencedColumns = this.nameListOf(children.nameList?.slice(1, 2));
    const span = this.nodeSpan(node);
    const qualified = children.Dot !== undefined;
    const [table, first, second] = names;
    if (!table || !first || (qualified && !second) || !columns || !referencedColumns || !span) return undefined;
    const actions = built(children.foreignKeyAction, (n) => this.foreignKeyAction(n.children, n));
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

  foreignKeyAction(children: Recovered<C.ForeignKeyActionCstChildren>, node: CstNode): A.ForeignKeyDecl["actions"][number] | undefined {
    const actionNode = children.referentialAction?.[0];
    const span = this.nodeSpan(node);
    const action = actionNode && this.referentialAction(actionNode.children);
    const event = real(children.Kw_delete?.[0]) ? "delete" : real(children.Kw_update?.[0]) ? "update" : undefined;
    return action && event && span ? { event, action, span } : undefined;
  }

  referentialAction(children: Recovered<C.ReferentialActionCstChildren>): A.ReferentialAction | undefined {
    if (real(children.Kw_cascade?.[0])) return "cascade";
    if (real(children.Kw_restrict?.[0])) return "restrict";
    if (real(children.Kw_set?.[0])) {
      if (real(children.Kw_null?.[0])) return "set null";
      if (real(children.Kw_default?.[0])) return "set default";
      return undefined;
    }
    if (real(children.Kw_no?.[0]) && real(children.Kw_action?.[0])) return "no action";
    return undefined;
  }

  relationDecl(children: Recovered<C.RelationDeclCstChildren>): A.ObjectDecl | undefined {
    const kindNode = children.relationKind?.[0];
    const kindToken = kindNode && onlyToken(kindNode.children);
    const name = this.nameOf(children.name);
    const columns = this.columnListOf(children.columnList);
    const partitions = children.Kw_partitions ? this.nameListOf(children.nameList?.slice(0, 1)) : undefined;
    const modifiers = [...(children.Kw_append_only ?? []), ...(children.Kw_sensitive ?? [])].filter(real).sort((a, b) => a.startOffset - b.startOffset);
    if (!real(kindToken) || !name || !columns || (children.Kw_partitions && !partitions)) return undefined;
    const first = modifiers[0] ?? kindToken;
    const objectKind = kindToken.image === "view" ? "view" : "table";
    const span = { ...this.span(first, first), ...endOf((partitions ?? columns).span) };
    return {
      kind: "Object",
      objectKind,
      appendOnly: modifiers.some((m) => m.image === "append_only"),
      sensitive: modifiers.some((m) => m.image === "sensitive"),
      modifiers: modifiers.map((m) => ({ word: m.image as "append_only" | "sensitive", span: this.span(m, m) })),
      name,
      columns: columns.names,
      sensitiveColumns: columns.sensitive,
      partitions: partitions?.names ?? [],
      doc: this.docs.before(first.startOffset),
      span,
    };
  }

  sequenceDecl(children: Recovered<C.SequenceDeclCstChildren>): A.ObjectDecl | undefined {
    const keyword = children.Kw_sequence?.[0];
    const name = this.nameOf(children.name);
    if (!real(keyword) || !name) return undefined;
    return {
      kind: "Object",
      objectKind: "sequence",
      appendOnly: false,
      sensitive: false,
      modifiers: [],
      name,
      columns: [],
      sensitiveColumns: [],
      partitions: [],
      doc: this.docs.before(keyword.startOffset),
      span: { ...this.span(keyword, keyword), ...endOf(name.span) },
    };
  }

  routineDecl(children: Recovered<C.RoutineDeclCstChildren>, node: CstNode): A.RoutineDecl | undefined {
    const kindNode = children.routineKind?.[0];
    const keyword = kindNode && onlyToken(kindNode.children);
    const name = this.nameOf(children.name);
    const signature = children.signature?.[0];
    const args = signature && this.signature(signature.children);
    const span = this.nodeSpan(node);
    if (!real(keyword) || !name || !args || !span) return undefined;
    const routineKind = keyword.image === "procedure" ? "procedure" : "function";
    return { kind: "Routine", routineKind, name, args, doc: this.docs.before(keyword.startOffset), span };
  }

  typeDecl(children: Recovered<C.TypeDeclCstChildren>): A.TypeDecl | undefined {
    const kindNode = children.typeKind?.[0];
    const keyword = kindNode && onlyToken(kindNode.children);
    const name = this.nameOf(children.name);
    if (!real(keyword) || !name) return undefined;
    return { kind: "Type", typeKind: keyword.image === "domain" ? "domain" : "type", name, doc: this.docs.before(keyword.startOffset), span: { ...this.span(keyword, keyword), ...endOf(name.span) } };
  }

  /** The argument types of a signature; undefined when recovery left it unclosed or a type unfinished. */
  signature(children: Recovered<C.SignatureCstChildren>): A.ArgType[] | undefined {
    if (!real(children.LParen?.[0]) || !real(children.RParen?.[0])) return undefined;
    const nodes = children.argType ?? [];
    const args = built(nodes, (n) => this.argType(n.children, n));
    return args.length === nodes.length ? args : undefined;
  }

  argType(children: Recovered<C.ArgTypeCstChildren>, node: CstNode): A.ArgType | undefined {
    const nameNodes = children.name ?? [];
    const names = built(nameNodes, (n) => this.name(n.children));
    const span = this.nodeSpan(node);
    if (names.length !== nameNodes.length || names.length === 0 || !span) return undefined;
    const qualified = children.Dot !== undefined;
    if (qualified && names.length < 2) return undefined;
    const quoted = !qualified && names.length === 1 && nameNodes[0]!.children.Name[0]?.tokenType.name === "QuotedIdentifier";
    return {
      kind: "ArgType",
      schema: qualified ? names[0] : undefined,
      words: qualified ? names.slice(1) : names,
      quoted,
      array: (children.ArraySuffix ?? []).some(real),
      span,
    };
  }

  roleBlock(children: Recovered<C.RoleBlockCstChildren>, node: CstNode): A.RoleBlock | undefined {
    return this.role(children, node, children.Kw_role?.[0], false);
  }

  externalRoleBlock(children: Recovered<C.ExternalRoleBlockCstChildren>, node: CstNode): A.RoleBlock | undefined {
    if (!real(children.Kw_role?.[0])) return undefined;
    return this.role(children, node, children.Kw_external?.[0], true);
  }

  /** What a role block and an external role block share. */
  private role(
    children: Recovered<C.RoleBlockCstChildren | C.ExternalRoleBlockCstChildren>,
    node: CstNode,
    keyword: IToken | undefined,
    external: boolean,
  ): A.RoleBlock | undefined {
    const name = this.nameOf(children.name);
    const span = this.nodeSpan(node);
    if (!real(keyword) || !name || !span) return undefined;
    const options = built(children.roleOption, (n) => this.roleOption(n.children));
    const items = built(children.roleItem, (n) => this.roleItem(n.children));
    return { kind: "Role", external, name, options, items, doc: this.docs.before(keyword.startOffset), span };
  }

  roleOption(children: Recovered<C.RoleOptionCstChildren>): A.RoleOption | undefined {
    const login = children.Kw_login?.[0];
    if (real(login)) return { kind: "Login", span: this.span(login, login) };
    const attributeNode = children.roleAttribute?.[0];
    if (attributeNode) {
      const token = onlyToken(attributeNode.children);
      // A role attribute keyword's text is always its name: the lexer matched exactly that word.
      return real(token) ? { kind: "Attribute", attribute: token.image as RoleAttributeName, span: this.span(token, token) } : undefined;
    }
    const accountNode = children.accountOption?.[0];
    if (accountNode) return this.accountOption(accountNode.children);
    const hostKeyword = children.Kw_host?.[0];
    if (real(hostKeyword)) {
      const host = this.nameOf(children.name);
      return host ? { kind: "Host", host, span: { ...this.span(hostKeyword, hostKeyword), ...endOf(host.span) } } : undefined;
    }
    const validUntil = children.Kw_valid_until?.[0];
    if (real(validUntil)) {
      const text = children.StringLiteral?.[0];
      return real(text) ? { kind: "ValidUntil", value: text.image.slice(1, -1).replaceAll("''", "'"), span: this.span(validUntil, text) } : undefined;
    }
    const keyword = children.Kw_connection_limit?.[0];
    const value = children.Integer?.[0];
    if (!real(keyword) || !real(value)) return undefined;
    return { kind: "ConnectionLimit", limit: Number(value.image), span: this.span(keyword, value) };
  }

  accountOption(children: Recovered<C.AccountOptionCstChildren>): A.RoleOption | undefined {
    const { StringLiteral: text, Integer: integer, ...keywords } = children;
    const keyword = Object.values(keywords).flat()[0];
    if (!real(keyword)) return undefined;
    // The keyword's text is always the option's name: the lexer matched exactly that word.
    const option = keyword.image as AccountOptionName;
    const string = text?.[0];
    if (string) return real(string) ? { kind: "AccountOption", option, value: string.image.slice(1, -1).replaceAll("''", "'"), span: this.span(keyword, string) } : undefined;
    const number = integer?.[0];
    if (number) return real(number) ? { kind: "AccountOption", option, value: Number(number.image), span: this.span(keyword, number) } : undefined;
    // A text or number option whose value the parser had to skip: the syntax error says so.
    if (!(accountFlagNames as readonly string[]).includes(option)) return undefined;
    return { kind: "AccountOption", option, value: undefined, span: this.span(keyword, keyword) };
  }

  roleItem(children: Recovered<C.RoleItemCstChildren>): A.RoleItem | undefined {
    const membership = children.membership?.[0];
    if (membership) return this.membership(membership.children, membership);
    const setting = children.setting?.[0];
    if (setting) return this.setting(setting.children, setting);
    const grant = children.grant?.[0];
    return grant && this.grant(grant.children, grant);
  }

  setting(children: Recovered<C.SettingCstChildren>, node: CstNode): A.Setting | undefined {
    const parts = built(children.name, (n) => this.name(n.children));
    const values = built(children.settingValue, (n) => this.settingValue(n.children));
    const span = this.nodeSpan(node);
    if (parts.length === 0 || values.length === 0 || !span) return undefined;
    const first = parts[0]!;
    const parameter: A.Name = { kind: "Name", value: parts.map((p) => p.value).join("."), span: { ...first.span, ...endOf(parts.at(-1)!.span) } };
    return { kind: "Setting", inDatabase: real(children.Kw_in?.[0]), parameter, values, span };
  }

  settingValue(children: Recovered<C.SettingValueCstChildren>): A.SettingValue | undefined {
    const text = children.StringLiteral?.[0];
    if (real(text)) return { form: "string", value: text.image.slice(1, -1).replaceAll("''", "'"), span: this.span(text, text) };
    const integer = children.Integer?.[0];
    if (real(integer)) return { form: "integer", value: integer.image, span: this.span(integer, integer) };
    const name = this.nameOf(children.name);
    return name ? { form: "name", value: name.value, span: name.span } : undefined;
  }

  membership(children: Recovered<C.MembershipCstChildren>, node: CstNode): A.Membership | undefined {
    const parents = built(children.name, (n) => this.name(n.children));
    const span = this.nodeSpan(node);
    if (parents.length === 0 || !span) return undefined;
    return { kind: "Membership", parents, admin: real(children.Kw_option?.[0]), span };
  }

  grant(children: Recovered<C.GrantCstChildren>, node: CstNode): A.AnyGrant | undefined {
    const privileges = built(children.privilege, (n) => this.privilege(n.children, n));
    const targetNode: Recovered<C.GrantTargetCstChildren> | undefined = children.grantTarget?.[0]?.children;
    const span = this.nodeSpan(node);
    if (privileges.length === 0 || !targetNode || !span) return undefined;
    const withToken = children.Kw_with?.[0];
    const optionToken = children.Kw_option?.[0];
    const grantOption = real(withToken) && real(optionToken) ? { grantOption: { kind: "GrantOption" as const, span: this.span(withToken, optionToken) } } : {};
    if (real(targetNode.Kw_database?.[0])) return { kind: "DatabaseGrant", privileges, ...grantOption, span };
    if (real(targetNode.Kw_server?.[0])) return { kind: "ServerGrant", privileges, ...grantOption, span };
    const schemaNode = targetNode.schemaTarget?.[0];
    if (schemaNode) {
      const schema = this.nameOf(schemaNode.children.name);
      return schema && { kind: "SchemaGrant", privileges, schema, ...grantOption, span };
    }
    const futureNode = targetNode.futureTarget?.[0];
    if (futureNode) {
      // name[0] is the kind of object, then the schema when `in schema` is written, then the creator.
      const names = (futureNode.children.name ?? []).map((n) => this.name(n.children));
      const inSchema = real(futureNode.children.Kw_schema?.[0]);
      const [objects, schema, creator] = inSchema ? names : [names[0], undefined, names[1]];
      if (!objects || !creator || (inSchema && !schema)) return undefined;
      return { kind: "DefaultGrant", privileges, objects, schema, creator, ...grantOption, span };
    }
    const objectNode = targetNode.objectRef?.[0];
    const ref = objectNode && this.objectRef(objectNode.children, objectNode);
    const exclusions = built(targetNode.exclusion, (n) => this.exclusion(n.children, n));
    const signatureNode = targetNode.signature?.[0];
    const signature = signatureNode && this.signature(signatureNode.children);
    if (!ref || (signatureNode && !signature)) return undefined;
    const target: A.ObjectRef = signature ? { ...ref, signature, span: { ...ref.span, ...endOf(this.nodeSpan(signatureNode!) ?? ref.span) } } : ref;
    return { kind: "Grant", privileges, target, exclusions, ...grantOption, span };
  }

  privilege(children: Recovered<C.PrivilegeCstChildren>, node: CstNode): A.Privilege | undefined {
    const verbNode = children.verb?.[0];
    const verbToken = verbNode && onlyToken(verbNode.children);
    const span = this.nodeSpan(node);
    if (!real(verbToken) || !span) return undefined;
    const list = children.nameList ? this.nameListOf(children.nameList) : undefined;
    if (children.nameList && !list) return undefined;
    // A verb token's text is its keyword, one of verbNames (keywords match case-sensitively).
    return { kind: "Privilege", verb: verbToken.image as VerbName, columns: list?.names, span };
  }

  objectRef(children: Recovered<C.ObjectRefCstChildren>, node: CstNode): A.ObjectRef | undefined {
    const schema = this.nameOf(children.name);
    const targetNode = children.objectTarget?.[0];
    const span = this.nodeSpan(node);
    if (!schema || !targetNode || !span) return undefined;
    const target: Recovered<C.ObjectTargetCstChildren> = targetNode.children;
    if (real(target.Star?.[0])) return { kind: "ObjectRef", schema, object: undefined, span };
    const object = this.nameOf(target.name);
    if (!object) return undefined;
    return { kind: "ObjectRef", schema, object, span };
  }

  exclusion(children: Recovered<C.ExclusionCstChildren>, node: CstNode): A.Exclusion | undefined {
    const names = (children.name ?? []).map((n) => this.name(n.children));
    const [schema, object] = names;
    const span = this.nodeSpan(node);
    if (!schema || !object || !span) return undefined;
    const list = children.nameList ? this.nameListOf(children.nameList) : undefined;
    if (children.nameList && !list) return undefined;
    return { kind: "Exclusion", schema, object, columns: list?.names, span };
  }

  name(children: Recovered<C.NameCstChildren>): A.Name | undefined {
    // A name is one token, of whichever type (an identifier, a quoted name or a keyword).
    return this.nameToken(children.Name?.[0]);
  }

  nameToken(token: IToken | undefined): A.Name | undefined {
    if (!real(token)) return undefined;
    const quoted = token.tokenType.name === "QuotedIdentifier";
    const text = quoted ? token.image.slice(1, -1).replaceAll('""', '"') : token.image;
    // One string per distinct name: a large file repeats its column names thousands of times.
    let value = this.names.get(text);
    if (value === undefined) this.names.set(text, (value = text));
    return { kind: "Name", value, span: this.span(token, token) };
  }

  private nameOf(nodes: C.NameCstNode[] | undefined): A.Name | undefined {
    const node = nodes?.[0];
    return node && this.name(node.children);
  }

  /** A table's or view's columns, each perhaps marked `sensitive`; undefined when recovery left the list unclosed. */
  private columnListOf(nodes: C.ColumnListCstNode[] | undefined): { names: A.Name[]; sensitive: string[]; span: Span } | undefined {
    const node = nodes?.[0];
    if (!node) return undefined;
    const children: Recovered<C.ColumnListCstChildren> = node.children;
    const close = children.RParen?.[0];
    const open = children.LParen?.[0];
    if (!real(open) || !real(close)) return undefined;
    const names: A.Name[] = [];
    const sensitive: string[] = [];
    for (const column of children.columnDecl ?? []) {
      const name = this.nameToken(column.children.Name?.[0]);
      if (!name) continue;
      names.push(name);
      if (real(column.children.Kw_sensitive?.[0])) sensitive.push(name.value);
    }
    if (names.length === 0) return undefined;
    return { names, sensitive, span: this.span(open, close) };
  }

  /** A parenthesised name list; undefined when recovery left it without a closing parenthesis. */
  private nameListOf(nodes: C.NameListCstNode[] | undefined): { names: A.Name[]; span: Span } | undefined {
    const node = nodes?.[0];
    if (!node) return undefined;
    const children: Recovered<C.NameListCstChildren> = node.children;
    const close = children.RParen?.[0];
    const open = children.LParen?.[0];
    if (!real(open) || !real(close)) return undefined;
    const names = built(children.Name, (token) => this.nameToken(token));
    if (names.length === 0) return undefined;
    return { names, span: this.span(open, close) };
  }
}

/** What `build` makes of each node, leaving out the nodes it cannot build (undefined). */
function built<Node, T>(nodes: Node[] | undefined, build: (node: Node) => T | undefined): T[] {
  const items: T[] = [];
  for (const node of nodes ?? []) {
    const item = build(node);
    if (item !== undefined) items.push(item);
  }
  return items;
}

/**
 * The token of a rule that is one token of several types (a name, a verb, a relation kind): the
 * first child there is.
 */
function onlyToken(children: Record<string, IToken[] | undefined>): IToken | undefined {
  for (const key in children) return children[key]?.[0];
  return undefined;
}

function endOf(span: Span): Pick<Span, "endOffset" | "endLine" | "endColumn"> {
  return { endOffset: span.endOffset, endLine: span.endLine, endColumn: span.endColumn };
}

/** `names` interns the names' text, and may be shared by the parts of one file. */
export function buildAst(cst: CstNode, path: string, docs: DocComments, lines: LineIndex, names = new Map<string, string>()): A.TopLevel[] {
  if (!isFileNode(cst)) throw new Error(`bug: expected the CST of a file, found a ${cst.name} node`);
  return new AstBuilder(path, docs, lines, names).file(cst.children);
}

/** The parser's `file` rule gives a plain CstNode; its name says which rule built it. */
function isFileNode(node: CstNode): node is C.FileCstNode {
  return node.name === "file";
}
