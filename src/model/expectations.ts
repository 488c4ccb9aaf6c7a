import { ancestorsOf, effectiveDatabaseGrants, effectiveGrants, effectiveRoutineGrants, effectiveSchemaGrants, effectiveTypeGrants } from "./effective.js";
import { objectKey, PUBLIC, routineKey, type DbObject, type Model, type ObjectName, type RoutineName } from "./ir.js";
import type { DatabaseVerb, DefaultObjects, DefaultVerb, SchemaVerb, ServerVerb, Verb } from "./verbs.js";
import { compositeKey } from "./composite-key.js";

/** What the model says one role may do: per object and verb, the whole object or some columns. */
export class Expectations {
  private readonly granted = new Map<string, "all" | ReadonlySet<string>>();
  private readonly onSchemas = new Set<string>();
  private readonly onDatabases = new Set<string>();
  private readonly onRoutines = new Set<string>();
  private readonly onTypes = new Set<string>();
  /** Default privileges by grantee, creator, place ("" for every schema), kind of object and verb. */
  private readonly defaults = new Set<string>();
  /** The same, for those declared `with grant option`. */
  private readonly futureOptions = new Set<string>();
  private readonly ancestors: Map<string, string[]>;
  /** Server privileges (MySQL/MariaDB), by the role whose line grants them and verb. */
  private readonly onServers = new Set<string>();
  /** Declared grant options by role and object (and verb, on tables): the role's own lines' (`with grant option`). */
  private readonly grantOptions = new Set<string>();

  constructor(model: Model) {
    for (const [role, grants] of effectiveGrants(model)) {
      for (const g of grants) {
        this.granted.set(key(role, objectKey(g.object), g.verb), g.columns === "all" ? "all" : new Set(g.columns));
        // A grant on an object comes with USAGE on its schema, and so does one inherited.
        this.onSchemas.add(compositeKey(role, g.object.schema, "usage"));
      }
    }
    for (const [role, grants] of effectiveSchemaGrants(model)) {
      for (const g of grants) this.onSchemas.add(compositeKey(role, g.schema, g.verb));
    }
    for (const [role, grants] of effectiveRoutineGrants(model)) {
      for (const g of grants) {
        this.onRoutines.add(compositeKey(role, routineKey(g.routine)));
        // EXECUTE comes with USAGE on the routine's schema, but for PUBLIC's (PostgreSQL's default on every function).
        if (g.via.some((from) => from !== PUBLIC)) this.onSchemas.add(compositeKey(role, g.routine.schema, "usage"));
      }
    }
    for (const [role, grants] of effectiveTypeGrants(model)) {
      for (const g of grants) {
        this.onTypes.add(compositeKey(role, objectKey(g.type)));
        if (g.via.some((from) => from !== PUBLIC)) this.onSchemas.add(compositeKey(role, g.type.schema, "usage"));
      }
    }
    for (const [role, grants] of effectiveDatabaseGrants(model)) {
      for (const g of grants) this.onDatabases.add(compositeKey(role, g.verb));
    }
    for (const g of model.defaultGrants) this.defaults.add(compositeKey(g.role, g.creator, g.schema ?? "", g.objects, g.verb));
    for (const g of model.defaultGrants) if (g.grantable) this.futureOptions.add(compositeKey(g.role, g.creator, g.schema ?? "", g.objects, g.verb));
    this.ancestors = ancestorsOf(model);
    for (const g of model.grants) if (g.grantable) this.grantOptions.add(key(g.role, objectKey(g.object), g.verb));
    for (const g of model.routineGrants) if (g.grantable) this.grantOptions.add(compositeKey(g.role, "routine", routineKey(g.routine)));
    for (const g of model.typeGrants) if (g.grantable) this.grantOptions.add(compositeKey(g.role, "type", objectKey(g.type)));
    for (const g of model.schemaGrants) if (g.grantable) this.grantOptions.add(compositeKey(g.role, "schema", g.schema, g.verb));
    for (const g of model.databaseGrants) if (g.grantable) this.grantOptions.add(compositeKey(g.role, "database", g.verb));
    for (const g of model.serverGrants) this.onServers.add(compositeKey(g.role, g.verb));
  }

  /** Whether the role holds the privilege on the whole server: its own lines or an ancestor's, as any privilege is inherited. */
  onServer(role: string, verb: ServerVerb): boolean {
    return [role, ...(this.ancestors.get(role) ?? [])].some((holder) => this.onServers.has(compositeKey(holder, verb)));
  }

  /** Whether the role may grant EXECUTE on the routine to others: its own lines' grant option or an ancestor's. */
  routineWithGrantOption(role: string, routine: RoutineName): boolean {
    return this.heldWithOption(role, (holder) => compositeKey(holder, "routine", routineKey(routine)));
  }

  /** Whether the role may grant USAGE on the type or domain to others, likewise. */
  typeWithGrantOption(role: string, type: ObjectName): boolean {
    return this.heldWithOption(role, (holder) => compositeKey(holder, "type", objectKey(type)));
  }

  /** Whether the role may grant the privilege on the schema to others: its own lines' grant option or an ancestor's. */
  schemaWithGrantOption(role: string, schema: string, verb: SchemaVerb): boolean {
    return this.heldWithOption(role, (holder) => compositeKey(holder, "schema", schema, verb));
  }

  /** Whether the role may grant the privilege on the database to others, likewise. */
  databaseWithGrantOption(role: string, verb: DatabaseVerb): boolean {
    return this.heldWithOption(role, (holder) => compositeKey(holder, "database", verb));
  }

  private heldWithOption(role: string, keyOf: (holder: string) => string): boolean {
    return [role, ...(this.ancestors.get(role) ?? [])].some((holder) => this.grantOptions.has(keyOf(holder)));
  }

  /**
   * Whether the role may grant the verb on the whole object to others: a grant option its own
   * lines or an ancestor's declare (a member acts with the grant options of the roles it inherits).
   */
  withGrantOption(role: string, object: DbObject, verb: Verb): boolean {
    return this.heldWithOption(role, (holder) => key(holder, objectKey(object), verb));
  }

  /**
   * Whether the role holds the verb on an object of a kind that `creator` creates in `schema` (a
   * schema for `schemas`), by the default privileges of every schema or that schema, its own,
   * its ancestors' or PUBLIC's, or as the creator or a member of it. Only for creators the files
   * manage (defaultCreators).
   */
  /**
   * Whether the role may grant the verb on an object the creator makes later to others: a default
   * line with the grant option, its own or an ancestor's (PUBLIC never holds one). The creator
   * owns what it makes, and may grant anything on it, as its members may.
   */
  onFutureWithGrantOption(role: string, creator: string, schema: string, objects: DefaultObjects, verb: DefaultVerb): boolean {
    const holders = [role, ...(this.ancestors.get(role) ?? [])];
    if (holders.includes(creator)) return true;
    return holders.some((holder) => ["", ...(objects === "schemas" ? [] : [schema])].some((place) => this.futureOptions.has(compositeKey(holder, creator, place, objects, verb))));
  }

  onFuture(role: string, creator: string, schema: string, objects: DefaultObjects, verb: DefaultVerb): boolean {
    const holders = [role, ...(this.ancestors.get(role) ?? [])];
    // The creator owns what it creates, and its members hold what it holds.
    if (holders.includes(creator)) return true;
    return [...holders, PUBLIC].some((holder) =>
      ["", ...(objects === "schemas" ? [] : [schema])].some((place) => this.defaults.has(compositeKey(holder, creator, place, objects, verb))),
    );
  }

  /** Whether the role holds the privilege on the database, by its own lines or its ancestors'. */
  onDatabase(role: string, verb: DatabaseVerb): boolean {
    return this.onDatabases.has(compositeKey(role, verb));
  }

  /** Whether the role may execute the function or procedure, by its own lines, its ancestors' or PUBLIC's. */
  onRoutine(role: string, routine: RoutineName): boolean {
    return this.onRoutines.has(compositeKey(role, routineKey(routine)));
  }

  /** Whether the role holds USAGE on the type or domain, by its own lines, its ancestors' or PUBLIC's. */
  onType(role: string, type: ObjectName): boolean {
    return this.onTypes.has(compositeKey(role, objectKey(type)));
  }

  /** Whether the role holds USAGE or CREATE on the schema, by its own lines or its ancestors'. */
  onSchema(role: string, schema: string, verb: SchemaVerb): boolean {
    return this.onSchemas.has(compositeKey(role, schema, verb));
  }

  /** Whether the role holds the verb on the whole object. */
  onObject(role: string, object: DbObject, verb: Verb): boolean {
    return this.granted.get(key(role, objectKey(object), verb)) === "all";
  }

  /** Whether the role holds the verb on the column (through a whole-object or a column grant). */
  onColumn(role: string, object: DbObject, verb: Verb, column: string): boolean {
    const g = this.granted.get(key(role, objectKey(object), verb));
    return g === "all" || (g !== undefined && g.has(column));
  }

  /** What the role holds on the object, as `verb` or `verb(columns)` words, for the summary. */
  describe(role: string, object: DbObject, verbs: readonly Verb[]): string[] {
    const words: string[] = [];
    for (const verb of verbs) {
      const g = this.granted.get(key(role, objectKey(object), verb));
      if (g === "all") words.push(verb);
      else if (g) words.push(`${verb}(${object.columns.filter((c) => g.has(c)).join(",")})`);
    }
    return words;
  }
}

function key(role: string, object: string, verb: Verb): string {
  return compositeKey(role, object, verb);
}
