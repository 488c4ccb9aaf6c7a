import { builtinOperators, isSafeBuiltin, safeSetReturningFunctions, sequenceFunctions } from "./builtin-functions.js";
import { NotUnderstood, type Need, type RelationVerb } from "./needs.js";
import type { SqlNode } from "./parse-sql.js";
import { realColumnOf, Scope, type RangeItem, type ReachedColumn, type RelationInfo, type RoutineInfo } from "./scope.js";
import { parseQualifiedName } from "./qualified-name.js";
import { bareName, constantString, field, functionName, list, nodeName, only, outputName, renamed, statementName, stringValue } from "./parse-tree.js";

/** How a statement's names are found: the search path applied to what the allow-list declares. */
export interface NameResolver {
  /** The relation `name` (in `schema`, or found through the search path); undefined when none is declared. */
  relation(schema: string | undefined, name: string): RelationInfo | undefined;
  /** Every declared function or procedure called `name` in `schema`, or in any schema of the search path. */
  routines(schema: string | undefined, name: string): readonly RoutineInfo[];
}

/** Per relation, what the statement does with it, gathered as PostgreSQL gathers it per range table entry. */
interface Access {
  readonly relation: RelationInfo;
  /** SELECT on these columns; `selectAny`: SELECT with no column in particular (the relation is read). */
  readonly select: Set<string>;
  selectAny: boolean;
  readonly insert: Set<string>;
  insertAny: boolean;
  readonly update: Set<string>;
  updateAny: boolean;
  delete: boolean;
  truncate: boolean;
}

/** A query's output: the names of its columns, in order. */
type Output = readonly string[];

/**
 * Works out what one statement needs, from PostgreSQL's parse tree. Every node type it meets
 * must be one it knows; anything else throws NotUnderstood, so what it does not understand is
 * denied rather than passed. What it reads follows PostgreSQL's own checks: SELECT on each
 * column read anywhere in the statement, INSERT and UPDATE on the columns written, DELETE and
 * TRUNCATE on the relation, and the sequence functions' own privileges.
 */
export class StatementAnalyzer {
  private readonly accesses = new Map<RelationInfo, Access>();
  /** Needs other than a relation's: sequence functions, routines called. */
  private readonly otherNeeds: Need[] = [];
  /** Common table expressions visible at each level, innermost last. */
  private readonly ctes: Map<string, Output>[] = [];

  constructor(private readonly names: NameResolver) {}

  /** The needs of one statement of a top-level kind the library reads (SELECT, INSERT, UPDATE, DELETE, TRUNCATE, MERGE, COPY, EXPLAIN, CALL, DECLARE), and of `values` given with it. */
  needsOf(stmt: SqlNode, values: readonly SqlNode[] = []): Need[] {
    this.statement(stmt, undefined);
    // EXECUTE's parameters: expressions outside any FROM.
    for (const value of values) this.expr(value, new Scope(undefined));
    const needs: Need[] = [];
    for (const a of this.accesses.values()) {
      const { schema, object } = a.relation;
      const relationNeed = (verb: RelationVerb, columns: Set<string>, any: boolean) => {
        if (columns.size > 0 || any) needs.push({ kind: "relation", schema, object, verb, columns: [...columns] });
      };
      relationNeed("select", a.select, a.selectAny);
      relationNeed("insert", a.insert, a.insertAny);
      relationNeed("update", a.update, a.updateAny);
      if (a.delete) needs.push({ kind: "relation", schema, object, verb: "delete", columns: [] });
      if (a.truncate) needs.push({ kind: "relation", schema, object, verb: "truncate", columns: [] });
    }
    return [...needs, ...this.otherNeeds];
  }

  /** A statement that may stand at the top or in a WITH: its output (RETURNING for DML). */
  private statement(node: SqlNode, parent: Scope | undefined): Output {
    const [type, body] = only(node);
    switch (type) {
      case "SelectStmt":
        return this.select(body, parent);
      case "InsertStmt":
        return this.insert(body, parent);
      case "UpdateStmt":
        return this.update(body, parent);
      case "DeleteStmt":
        return this.delete(body, parent);
      case "TruncateStmt":
        return this.truncate(body);
      case "ExplainStmt":
        return this.statement(body.query as SqlNode, parent);
      case "CopyStmt":
        return this.copy(body, parent);
      case "MergeStmt":
        return this.merge(body, parent);
      case "DeclareCursorStmt":
        // A cursor's query is checked when the cursor is declared; FETCH and CLOSE need nothing more.
        return this.statement(body.query as SqlNode, parent);
      case "CallStmt":
        // A typed field of the parse tree: the FuncCall itself, not wrapped.
        this.callRoutine(body.funccall as Record<string, unknown>, new Scope(parent), "procedure");
        return [];
      default:
        throw new NotUnderstood("unsupported", `${statementName(type)} is not a statement the allow-list can judge`);
    }
  }

  private access(relation: RelationInfo): Access {
    let a = this.accesses.get(relation);
    if (!a) {
      a = { relation, select: new Set(), selectAny: false, insert: new Set(), insertAny: false, update: new Set(), updateAny: false, delete: false, truncate: false };
      this.accesses.set(relation, a);
    }
    return a;
  }

  private withClause(body: Record<string, unknown>, parent: Scope | undefined): void {
    const clause = body.withClause as Record<string, unknown> | undefined;
    this.ctes.push(new Map());
    if (!clause) return;
    const recursive = clause.recursive === true;
    for (const entry of list(clause.ctes)) {
      const cte = field(entry, "CommonTableExpr");
      const name = cte.ctename as string;
      const aliases = list(cte.aliascolnames).map(stringValue);
      const query = cte.ctequery as SqlNode;
      if (recursive) {
        // A recursive CTE names its own columns from its first branch before the rest can read it.
        const [type, select] = only(query);
        if (type !== "SelectStmt") throw new NotUnderstood("unsupported", "a recursive WITH whose query is not a SELECT is not understood");
        if (select.op === "SETOP_UNION") {
          if (select.withClause !== undefined || list(select.sortClause).length > 0 || select.limitCount !== undefined || select.limitOffset !== undefined || list(select.lockingClause).length > 0) {
            throw new NotUnderstood("unsupported", "a WITH, ORDER BY, LIMIT or locking clause on a recursive WITH query's own UNION is not understood");
          }
          const first = this.select(select.larg as Record<string, unknown>, parent);
          this.ctes.at(-1)!.set(name, aliases.length > 0 ? aliases : first);
          this.select(select.rarg as Record<string, unknown>, parent);
          continue;
        }
      }
      const output = this.statement(query, parent);
      this.ctes.at(-1)!.set(name, aliases.length > 0 ? [...aliases, ...output.slice(aliases.length)] : output);
    }
  }

  private cte(name: string): Output | undefined {
    for (let i = this.ctes.length - 1; i >= 0; i--) {
      const found = this.ctes[i]!.get(name);
      if (found) return found;
    }
    return undefined;
  }

  private select(body: Record<string, unknown>, parent: Scope | undefined): Output {
    this.withClause(body, parent);
    try {
      if (body.intoClause) throw new NotUnderstood("refused", "SELECT INTO creates a table: DDL is refused");
      if (body.op !== undefined && body.op !== "SETOP_NONE") {
        // The branches are plain SelectStmt bodies (typed fields in PostgreSQL's parse tree are not wrapped).
        const left = this.select(body.larg as Record<string, unknown>, parent);
        this.select(body.rarg as Record<string, unknown>, parent);
        // ORDER BY of a UNION sees its output columns; LIMIT and OFFSET see only the outer queries.
        const outputScope = new Scope(parent);
        outputScope.items.push({ refname: "", unaliased: false, columns: left });
        for (const sort of list(body.sortClause)) this.expr(field(sort, "SortBy").node as SqlNode, outputScope);
        this.expr(body.limitCount, new Scope(parent));
        this.expr(body.limitOffset, new Scope(parent));
        return left;
      }
      const values = list(body.valuesLists);
      if (values.length > 0) {
        const scope = new Scope(parent);
        for (const row of values) for (const e of list(field(row, "List").items)) this.expr(e, scope);
        const output = list(field(values[0]!, "List").items).map((_, i) => `column${i + 1}`);
        // VALUES takes ORDER BY, LIMIT and OFFSET too, and they may hold subqueries.
        const outputScope = new Scope(parent);
        outputScope.items.push({ refname: "", unaliased: false, columns: output });
        for (const sort of list(body.sortClause)) this.expr(field(sort, "SortBy").node as SqlNode, outputScope);
        this.expr(body.limitCount, new Scope(parent));
        this.expr(body.limitOffset, new Scope(parent));
        return output;
      }
      const scope = new Scope(parent);
      for (const item of list(body.fromClause)) this.fromItem(item, scope);
      this.lockingClauses(list(body.lockingClause), scope);
      const output = this.targetList(list(body.targetList), scope);
      this.expr(body.whereClause, scope);
      for (const e of list(body.distinctClause)) if (Object.keys(e).length > 0) this.expr(e, scope);
      for (const e of list(body.groupClause)) this.groupingExpr(e, scope, output);
      this.expr(body.havingClause, scope);
      for (const w of list(body.windowClause)) this.windowDef(field(w, "WindowDef"), scope);
      for (const sort of list(body.sortClause)) this.sortExpr(field(sort, "SortBy").node as SqlNode, scope, output);
      this.expr(body.limitCount, scope);
      this.expr(body.limitOffset, scope);
      return output;
    } finally {
      this.ctes.pop();
    }
  }

  /**
   * FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE and FOR KEY SHARE: UPDATE on some column of each
   * relation locked (PostgreSQL asks the same of every strength), those named after OF or every
   * one in FROM. A lock that would reach into a subquery, a CTE or a function is not understood.
   */
  private lockingClauses(clauses: readonly SqlNode[], scope: Scope): void {
    for (const clause of clauses) {
      const named = list(field(clause, "LockingClause").lockedRels).map((r) => field(r, "RangeVar").relname as string);
      const locked = named.length > 0 ? named.map((name) => scope.items.filter((item) => item.refname === name)) : [scope.items];
      for (const items of locked) {
        if (items.length !== 1 && named.length > 0) throw new NotUnderstood("unknown-name", "a relation after FOR UPDATE OF is not in FROM once");
        for (const item of items) {
          if (!item.relation) throw new NotUnderstood("unsupported", "FOR UPDATE/SHARE over a subquery, a WITH query or a function is not understood");
          this.access(item.relation).updateAny = true;
        }
      }
    }
  }

  /** ORDER BY may name an output column (`ORDER BY total`); otherwise it reads like any expression. */
  private sortExpr(node: SqlNode, scope: Scope, output: Output): void {
    const name = bareName(node);
    if (name !== undefined && output.includes(name)) return;
    this.expr(node, scope);
  }

  /** GROUP BY reads an input column first, and an output column only when no input has the name. */
  private groupingExpr(node: SqlNode, scope: Scope, output: Output): void {
    const name = bareName(node);
    if (name !== undefined && output.includes(name)) {
      try {
        this.expr(node, scope);
      } catch (error) {
        if (!(error instanceof NotUnderstood) || error.category !== "unknown-name") throw error;
      }
      return;
    }
    this.expr(node, scope);
  }

  private targetList(targets: readonly SqlNode[], scope: Scope): string[] {
    const output: string[] = [];
    for (const target of targets) {
      const res = field(target, "ResTarget");
      const value = res.val as SqlNode;
      const ref = value.ColumnRef as Record<string, unknown> | undefined;
      if (ref && list(ref.fields).some((f) => "A_Star" in f)) {
        for (const reached of this.columnRef(ref, scope)) output.push(reached.column);
        continue;
      }
      this.expr(value, scope);
      output.push((res.name as string | undefined) ?? outputName(value));
    }
    return output;
  }

  private fromItem(node: SqlNode, scope: Scope): void {
    const [type, body] = only(node);
    switch (type) {
      case "RangeVar": {
        scope.items.push(this.rangeVar(body, scope, true));
        return;
      }
      case "RangeSubselect": {
        // LATERAL lets the subquery read the FROM items before it; without it, only the outer levels.
        const inner = body.lateral === true ? scope : scope.parent;
        const output = this.select(field(body.subquery as SqlNode, "SelectStmt"), inner);
        const alias = body.alias as Record<string, unknown> | undefined;
        scope.items.push({ refname: (alias?.aliasname as string | undefined) ?? "", unaliased: false, columns: renamed(output, alias) });
        return;
      }
      case "JoinExpr":
        return this.join(body, scope);
      case "RangeFunction":
        return this.rangeFunction(body, scope);
      default:
        throw new NotUnderstood("unsupported", `${nodeName(type)} in FROM is not understood`);
    }
  }

  /** A relation named in FROM (or as a statement's target): a CTE by that name, or a declared relation. */
  private rangeVar(body: Record<string, unknown>, _scope: Scope, read: boolean): RangeItem {
    const schema = body.schemaname as string | undefined;
    const name = body.relname as string;
    if (body.catalogname !== undefined) throw new NotUnderstood("unsupported", "a relation named with its database is not understood");
    const alias = body.alias as Record<string, unknown> | undefined;
    const refname = (alias?.aliasname as string | undefined) ?? name;
    const cte = schema === undefined ? this.cte(name) : undefined;
    if (cte) return { refname, unaliased: alias === undefined, columns: renamed(cte, alias) };
    const relation = this.names.relation(schema, name);
    if (!relation) throw new NotUnderstood("unknown-name", `relation ${schema === undefined ? name : `${schema}.${name}`} is not one the allow-list declares`);
    if (read) this.access(relation).selectAny = true;
    return { refname, unaliased: alias === undefined, columns: renamed(relation.columns, alias), relation, realColumns: relation.columns };
  }

  private join(body: Record<string, unknown>, scope: Scope): void {
    if (body.alias !== undefined || body.join_using_alias !== undefined) throw new NotUnderstood("unsupported", "an alias on a JOIN is not understood");
    if (body.isNatural === true) throw new NotUnderstood("unsupported", "NATURAL JOIN is not understood; name the columns with USING");
    // A join's ON sees its two sides and the outer queries, and a LATERAL item on its right sees
    // its left side: not the FROM items beside the join, as PostgreSQL scopes them.
    const joinScope = new Scope(scope.parent);
    this.fromItem(body.larg as SqlNode, joinScope);
    const leftItems = [...joinScope.items];
    this.fromItem(body.rarg as SqlNode, joinScope);
    const rightItems = joinScope.items.slice(leftItems.length);
    for (const name of list(body.usingClause).map(stringValue)) {
      const reached: ReachedColumn[] = [];
      for (const side of [leftItems, rightItems]) {
        // A side that is itself a join USING that column offers the merged column (a JOIN b USING (id) JOIN c USING (id)).
        const merged = joinScope.merged.get(name);
        if (merged && merged.every((r) => side.includes(r.item))) {
          reached.push(...merged);
          continue;
        }
        const holders = side.filter((item) => item.columns.includes(name));
        if (holders.length !== 1) throw new NotUnderstood("unknown-name", `USING column ${name} is not in exactly one relation on each side of the join`);
        reached.push({ item: holders[0]!, column: name });
      }
      for (const r of reached) this.read(r);
      joinScope.merged.set(name, reached);
    }
    this.expr(body.quals, joinScope);
    scope.items.push(...joinScope.items);
    for (const [name, reached] of joinScope.merged) scope.merged.set(name, reached);
  }

  private rangeFunction(body: Record<string, unknown>, scope: Scope): void {
    const functions = list(body.functions);
    if (functions.length !== 1 || body.ordinality === true || list(body.coldeflist).length > 0) throw new NotUnderstood("unsupported", "this function in FROM is not understood");
    // Each function comes as a list: the call, then its column definitions (empty here).
    const funcCall = field(list(field(functions[0]!, "List").items)[0] ?? {}, "FuncCall");
    const { schema, name } = functionName(funcCall);
    if (!safeSetReturningFunctions.has(name) || (schema !== undefined && schema !== "pg_catalog")) throw new NotUnderstood("function", `function ${name} in FROM is not one the library knows to be harmless`);
    // unnest of several arrays gives a column each; the library gives every function in FROM one.
    if (list(funcCall.args).length !== 1 && name === "unnest") throw new NotUnderstood("unsupported", "unnest of several arrays in FROM is not understood");
    // A function in FROM is LATERAL whether or not it says so: its arguments see the FROM items before it.
    this.funcCall(funcCall, scope);
    const alias = body.alias as Record<string, unknown> | undefined;
    // Its one column is named after the function, or after the alias when there is one.
    const column = (alias?.aliasname as string | undefined) ?? name;
    scope.items.push({ refname: column, unaliased: false, columns: renamed([column], alias) });
  }

  private read(reached: ReachedColumn): void {
    const relation = reached.item.relation;
    if (!relation) return;
    this.access(relation).select.add(realColumnOf(reached)!);
  }

  private columnRef(ref: Record<string, unknown>, scope: Scope): ReachedColumn[] {
    const fields = list(ref.fields);
    const star = fields.length > 0 && "A_Star" in fields.at(-1)!;
    const names = (star ? fields.slice(0, -1) : fields).map(stringValue);
    const reached = scope.resolve(names, star);
    for (const r of reached) this.read(r);
    return reached;
  }

  private windowDef(def: Record<string, unknown>, scope: Scope): void {
    // A window that names another still has its own frame, whose offsets may hold subqueries.
    for (const e of list(def.partitionClause)) this.expr(e, scope);
    for (const s of list(def.orderClause)) this.expr(field(s, "SortBy").node as SqlNode, scope);
    this.expr(def.startOffset, scope);
    this.expr(def.endOffset, scope);
  }

  private funcCall(call: Record<string, unknown>, scope: Scope): void {
    const { schema, name } = functionName(call);
    const sequenceVerbs = schema === undefined || schema === "pg_catalog" ? sequenceFunctions[name] : undefined;
    const args = list(call.args);
    if (sequenceVerbs) {
      // The sequence is named by a text constant; any other argument could name any sequence.
      const text = constantString(args[0]);
      if (text === undefined) throw new NotUnderstood("unsupported", `${name}() whose sequence is not a quoted constant is not understood`);
      const [seqSchema, seqName] = parseQualifiedName(text);
      const relation = this.names.relation(seqSchema, seqName!);
      if (!relation || relation.kind !== "sequence") throw new NotUnderstood("unknown-name", `sequence ${text} is not one the allow-list declares`);
      this.otherNeeds.push({ kind: "sequence", schema: relation.schema, object: relation.object, anyOf: sequenceVerbs, via: `${name}()` });
      for (const arg of args.slice(1)) this.expr(arg, scope);
      return;
    }
    const declared = this.names.routines(schema, name);
    if (declared.length > 0) {
      this.callRoutine(call, scope, "function");
      return;
    }
    if (!isSafeBuiltin(schema, name)) throw new NotUnderstood("function", `function ${schema === undefined ? name : `${schema}.${name}`}() is neither declared nor one of the built-ins the library knows to be harmless`);
    for (const arg of args) this.expr(arg, scope);
    for (const s of list(call.agg_order)) this.expr(field(s, "SortBy").node as SqlNode, scope);
    this.expr(call.agg_filter, scope);
    if (call.over) this.windowDef(call.over as Record<string, unknown>, scope);
  }

  /**
   * A call of a declared function or procedure: EXECUTE on it. Its overload is found by the
   * number of arguments alone (the library does not type expressions), so a name that two
   * declared overloads of that arity share, or that a built-in the library knows shares, is not
   * resolved; nor are named or VARIADIC arguments. PostgreSQL itself may still refuse the call
   * for types, which is no privilege it grants.
   */
  private callRoutine(call: Record<string, unknown>, scope: Scope, kind: "function" | "procedure"): void {
    const { schema, name } = functionName(call);
    const args = list(call.args);
    if (call.func_variadic === true || call.agg_star === true || call.over !== undefined || call.agg_filter !== undefined || list(call.agg_order).length > 0 || args.some((a) => "NamedArgExpr" in a)) {
      throw new NotUnderstood("unsupported", `this call of ${name}() (named or VARIADIC arguments, or an aggregate's clauses) is not understood`);
    }
    // PostgreSQL looks in pg_catalog before the search path, and a built-in of that name the
    // library does not know of (set_config, say) would answer the call instead.
    if (schema === undefined) throw new NotUnderstood("unknown-name", `${name}() is a declared ${kind}, judged only when called by its schema-qualified name: unqualified, a built-in of the same name may answer it`);
    const candidates = this.names.routines(schema, name).filter((r) => r.args.length === args.length);
    if (candidates.length === 0) throw new NotUnderstood("unknown-name", `no declared ${kind} ${name} takes ${args.length} argument${args.length === 1 ? "" : "s"}`);
    if (candidates.length > 1) throw new NotUnderstood("unknown-name", `${name}() with ${args.length} arguments could be any of ${candidates.length} declared overloads; the library does not tell them apart by type`);
    const routine = candidates[0]!;
    if (routine.kind !== kind) throw new NotUnderstood("unknown-name", `${routine.schema}.${routine.name} is a ${routine.kind}, not a ${kind}`);
    this.otherNeeds.push({ kind: "routine", schema: routine.schema, name: routine.name, args: routine.args, routineKind: routine.kind });
    for (const arg of args) this.expr(arg, scope);
  }

  /**
   * `(x).name`: a field of a row, or, when the row has no such column, a call of a function
   * `name(x)` (PostgreSQL's functional notation). The library knows a row's fields only for a
   * whole row of a relation in FROM, so only `(t).column` of such a row is understood.
   */
  private fieldSelection(arg: SqlNode, steps: readonly SqlNode[], scope: Scope): void {
    const ref = arg.ColumnRef as Record<string, unknown> | undefined;
    const field = steps[0] && "String" in steps[0] ? stringValue(steps[0]) : undefined;
    const reached = ref && field !== undefined && steps.filter((s) => "String" in s).length === 1 ? this.columnRef(ref, scope) : [];
    const item = reached[0]?.item;
    const wholeRow = item !== undefined && reached.length === item.columns.length && reached.every((r, i) => r.item === item && r.column === item.columns[i]);
    if (!wholeRow || !item.columns.includes(field!)) throw new NotUnderstood("unsupported", "a field selection other than (row).column of a relation in FROM is not understood (it may be a function call)");
  }

  /** An expression: each node type it may hold, and nothing else. */
  private expr(node: unknown, scope: Scope): void {
    if (node === undefined || node === null) return;
    const [type, body] = only(node as SqlNode);
    switch (type) {
      case "ColumnRef":
        this.columnRef(body, scope);
        return;
      case "A_Const":
      case "ParamRef":
      case "SQLValueFunction":
      case "SetToDefault":
        return;
      case "A_Expr": {
        const names = list(body.name);
        if (names.length > 1) throw new NotUnderstood("unsupported", "an operator named with its schema is not understood");
        // An operator is a function call: one the files declare on the search path would need EXECUTE.
        const operator = names[0] ? stringValue(names[0]) : "";
        if (body.kind === "AEXPR_OP" || body.kind === "AEXPR_OP_ANY" || body.kind === "AEXPR_OP_ALL") {
          if (!builtinOperators.has(operator)) throw new NotUnderstood("function", `operator ${operator} is not one of the built-in operators the library knows`);
        }
        this.expr(body.lexpr, scope);
        this.expr(body.rexpr, scope);
        return;
      }
      case "List":
        for (const item of list(body.items)) this.expr(item, scope);
        return;
      case "BoolExpr":
      case "CoalesceExpr":
      case "MinMaxExpr":
      case "RowExpr":
        for (const arg of list(body.args)) this.expr(arg, scope);
        return;
      case "A_ArrayExpr":
        for (const e of list(body.elements)) this.expr(e, scope);
        return;
      case "NullTest":
      case "BooleanTest":
      case "TypeCast":
      case "CollateClause":
      case "NamedArgExpr":
        this.expr(body.arg, scope);
        return;
      case "CaseExpr":
        this.expr(body.arg, scope);
        for (const when of list(body.args)) {
          const w = field(when, "CaseWhen");
          this.expr(w.expr, scope);
          this.expr(w.result, scope);
        }
        this.expr(body.defresult, scope);
        return;
      case "FuncCall":
        this.funcCall(body, scope);
        return;
      case "SubLink":
        this.expr(body.testexpr, scope);
        this.select(field(body.subselect as SqlNode, "SelectStmt"), scope);
        return;
      case "A_Indirection": {
        const steps = list(body.indirection);
        const fields = steps.filter((step) => "String" in step);
        if (fields.length === 0) this.expr(body.arg, scope);
        else this.fieldSelection(body.arg as SqlNode, steps, scope);
        for (const step of steps) {
          if ("A_Indices" in step) {
            const indices = step.A_Indices as Record<string, unknown>;
            this.expr(indices.lidx, scope);
            this.expr(indices.uidx, scope);
          } else if (!("String" in step)) throw new NotUnderstood("unsupported", "this subscript or field selection is not understood");
        }
        return;
      }
      default:
        throw new NotUnderstood("unsupported", `${nodeName(type)} in an expression is not understood`);
    }
  }

  private insert(body: Record<string, unknown>, parent: Scope | undefined): Output {
    this.withClause(body, parent);
    try {
      const target = this.rangeVar(body.relation as Record<string, unknown>, new Scope(parent), false);
      const relation = target.relation;
      if (!relation) throw new NotUnderstood("unsupported", "INSERT into a WITH query is not possible");
      const access = this.access(relation);
      const named = list(body.cols).map((c) => {
        const res = field(c, "ResTarget");
        if (list(res.indirection).length > 0) throw new NotUnderstood("unsupported", "INSERT into a subfield or an element of a column is not understood");
        return res.name as string;
      });
      for (const column of named) if (!relation.columns.includes(column)) throw new NotUnderstood("unknown-name", `column ${column} is not among those of ${relation.schema}.${relation.object} the allow-list declares`);
      const source = body.selectStmt as SqlNode | undefined;
      // The source cannot see the target: a separate scope, under any outer one.
      const width = source ? this.statement(source, parent).length : 0;
      // Without a column list, the values fill the first columns in order.
      const columns = named.length > 0 ? named : relation.columns.slice(0, width);
      if (named.length === 0 && width > relation.columns.length) throw new NotUnderstood("unknown-name", `INSERT gives ${width} values, and ${relation.schema}.${relation.object} has ${relation.columns.length} declared columns`);
      for (const column of columns) access.insert.add(column);
      if (columns.length === 0) access.insertAny = true;
      const scope = new Scope(parent);
      scope.items.push(target);
      const conflict = body.onConflictClause as Record<string, unknown> | undefined;
      if (conflict) this.onConflict(conflict, target, scope);
      return this.returning(body, scope);
    } finally {
      this.ctes.pop();
    }
  }

  private onConflict(clause: Record<string, unknown>, target: RangeItem, scope: Scope): void {
    const infer = clause.infer as Record<string, unknown> | undefined;
    if (infer?.conname !== undefined) throw new NotUnderstood("unsupported", "ON CONFLICT ON CONSTRAINT is not understood: the allow-list does not know constraints");
    // The columns that name the conflict are read; asking for more than PostgreSQL may deny, never allow, too much.
    for (const element of list(infer?.indexElems)) {
      const index = field(element, "IndexElem");
      if (index.name === undefined) throw new NotUnderstood("unsupported", "an expression as an ON CONFLICT target is not understood");
      this.read({ item: target, column: index.name as string });
    }
    this.expr(infer?.whereClause, scope);
    if (clause.action === "ONCONFLICT_NOTHING") return;
    if (clause.action !== "ONCONFLICT_UPDATE") throw new NotUnderstood("unsupported", "this ON CONFLICT action is not understood");
    // EXCLUDED is the row proposed for insertion: reading it needs nothing more.
    const withExcluded = new Scope(scope.parent);
    withExcluded.items.push(target, { refname: "excluded", unaliased: false, columns: target.columns });
    this.setList(list(clause.targetList), target, withExcluded);
    this.expr(clause.whereClause, withExcluded);
  }

  /** UPDATE's SET (and ON CONFLICT DO UPDATE's): UPDATE on each column set, and what its values read. */
  private setList(targets: readonly SqlNode[], target: RangeItem, scope: Scope): void {
    const relation = target.relation!;
    const access = this.access(relation);
    for (const t of targets) {
      const res = field(t, "ResTarget");
      const column = res.name as string;
      if (!target.columns.includes(column)) throw new NotUnderstood("unknown-name", `column ${column} is not among those of ${relation.schema}.${relation.object} the allow-list declares`);
      if ("MultiAssignRef" in (res.val as SqlNode)) throw new NotUnderstood("unsupported", "SET (a, b) = (...) is not understood");
      for (const step of list(res.indirection)) {
        if (!("A_Indices" in step)) throw new NotUnderstood("unsupported", "SET of a subfield is not understood");
        // `SET tags[i] = ...`: the subscripts are expressions, and may read anything.
        const indices = step.A_Indices as Record<string, unknown>;
        this.expr(indices.lidx, scope);
        this.expr(indices.uidx, scope);
      }
      access.update.add(column);
      this.expr(res.val, scope);
    }
  }

  private update(body: Record<string, unknown>, parent: Scope | undefined): Output {
    this.withClause(body, parent);
    try {
      const scope = new Scope(parent);
      const target = this.rangeVar(body.relation as Record<string, unknown>, scope, false);
      if (!target.relation) throw new NotUnderstood("unsupported", "UPDATE of a WITH query is not possible");
      scope.items.push(target);
      for (const item of list(body.fromClause)) this.fromItem(item, scope);
      this.currentOf(body.whereClause);
      this.setList(list(body.targetList), target, scope);
      this.expr(body.whereClause, scope);
      return this.returning(body, scope);
    } finally {
      this.ctes.pop();
    }
  }

  private delete(body: Record<string, unknown>, parent: Scope | undefined): Output {
    this.withClause(body, parent);
    try {
      const scope = new Scope(parent);
      const target = this.rangeVar(body.relation as Record<string, unknown>, scope, false);
      if (!target.relation) throw new NotUnderstood("unsupported", "DELETE from a WITH query is not possible");
      this.access(target.relation).delete = true;
      scope.items.push(target);
      for (const item of list(body.usingClause)) this.fromItem(item, scope);
      this.currentOf(body.whereClause);
      this.expr(body.whereClause, scope);
      return this.returning(body, scope);
    } finally {
      this.ctes.pop();
    }
  }

  private currentOf(where: unknown): void {
    if (where && typeof where === "object" && "CurrentOfExpr" in where) throw new NotUnderstood("unsupported", "WHERE CURRENT OF a cursor is not understood");
  }

  private returning(body: Record<string, unknown>, scope: Scope): Output {
    return this.targetList(list(body.returningList), scope);
  }

  /** COPY table TO (SELECT on the columns copied), COPY table FROM (INSERT on them), COPY (query) TO. */
  private copy(body: Record<string, unknown>, parent: Scope | undefined): Output {
    if (body.filename !== undefined || body.is_program === true) throw new NotUnderstood("refused", "COPY to or from a file or a program on the server is refused: only STDIN and STDOUT");
    if (body.query !== undefined) return this.statement(body.query as SqlNode, parent);
    const scope = new Scope(parent);
    const target = this.rangeVar(body.relation as Record<string, unknown>, scope, false);
    const relation = target.relation;
    if (!relation) throw new NotUnderstood("unknown-name", "COPY of a WITH query is not possible");
    const named = list(body.attlist).map(stringValue);
    for (const column of named) if (!relation.columns.includes(column)) throw new NotUnderstood("unknown-name", `column ${column} is not among those of ${relation.schema}.${relation.object} the allow-list declares`);
    // Without a column list, COPY takes every column, as PostgreSQL checks it.
    const columns = named.length > 0 ? named : relation.columns;
    const access = this.access(relation);
    if (body.is_from === true) {
      for (const column of columns) access.insert.add(column);
      if (columns.length === 0) access.insertAny = true;
      scope.items.push(target);
      this.expr(body.whereClause, scope);
    } else {
      for (const column of columns) access.select.add(column);
      if (columns.length === 0) access.selectAny = true;
    }
    return [];
  }

  /**
   * MERGE: SELECT on the source, and on the target's columns read in the join condition, a
   * WHEN condition or a value; UPDATE on the columns an UPDATE action sets, INSERT on those an
   * INSERT action writes, DELETE for a DELETE action.
   */
  private merge(body: Record<string, unknown>, parent: Scope | undefined): Output {
    this.withClause(body, parent);
    try {
      const scope = new Scope(parent);
      const target = this.rangeVar(body.relation as Record<string, unknown>, scope, false);
      const relation = target.relation;
      if (!relation) throw new NotUnderstood("unsupported", "MERGE into a WITH query is not possible");
      scope.items.push(target);
      this.fromItem(body.sourceRelation as SqlNode, scope);
      this.expr(body.joinCondition, scope);
      const access = this.access(relation);
      for (const clause of list(body.mergeWhenClauses)) {
        const when = field(clause, "MergeWhenClause");
        this.expr(when.condition, scope);
        switch (when.commandType) {
          case "CMD_UPDATE":
            this.setList(list(when.targetList), target, scope);
            break;
          case "CMD_DELETE":
            access.delete = true;
            break;
          case "CMD_INSERT": {
            const values = list(when.values);
            const named = list(when.targetList).map((t) => {
              const res = field(t, "ResTarget");
              if (list(res.indirection).length > 0) throw new NotUnderstood("unsupported", "INSERT into a subfield or an element of a column is not understood");
              return res.name as string;
            });
            for (const column of named) if (!relation.columns.includes(column)) throw new NotUnderstood("unknown-name", `column ${column} is not among those of ${relation.schema}.${relation.object} the allow-list declares`);
            const columns = named.length > 0 ? named : relation.columns.slice(0, values.length);
            for (const column of columns) access.insert.add(column);
            if (columns.length === 0) access.insertAny = true;
            for (const value of values) this.expr(value, scope);
            break;
          }
          case "CMD_NOTHING":
            break;
          default:
            throw new NotUnderstood("unsupported", "this MERGE action is not understood");
        }
      }
      // With no action but DO NOTHING, PostgreSQL still asks SELECT on the target.
      if (!access.delete && !access.insertAny && access.insert.size === 0 && access.update.size === 0) access.selectAny = true;
      return this.returning(body, scope);
    } finally {
      this.ctes.pop();
    }
  }

  private truncate(body: Record<string, unknown>): Output {
    if (body.restart_seqs === true) throw new NotUnderstood("unsupported", "TRUNCATE ... RESTART IDENTITY is not understood: the allow-list does not know which sequences a table owns");
    if (body.behavior === "DROP_CASCADE") throw new NotUnderstood("unsupported", "TRUNCATE ... CASCADE is not understood: the allow-list does not know which tables refer to these");
    for (const r of list(body.relations)) {
      const target = this.rangeVar(field(r, "RangeVar"), new Scope(undefined), false);
      if (!target.relation) throw new NotUnderstood("unsupported", "TRUNCATE of a WITH query is not possible");
      this.access(target.relation).truncate = true;
    }
    return [];
  }
}
