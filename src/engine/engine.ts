import type { LiveAccessFacts, LiveAccessQuestion } from "./live-access.js";
import type { Model } from "../model/ir.js";
import type { Snapshot } from "../model/snapshot.js";
import type { Connection } from "./connection.js";
import type { DatabaseTarget, EngineName } from "./engine-name.js";
import type { ImportedProgram } from "./imported-program.js";
import type { Plan, PlannedStatement } from "./plan.js";
import type { SessionTimeouts } from "./session-timeouts.js";
import type { VerifyReport } from "./verify-report.js";

/**
 * Everything a stage may ask of a database engine. The stages above (check, emit, live, verify,
 * import, migrate) hold one of these, chosen once from `--target` or `--db`, and never ask which
 * engine it is: what differs between engines is inside `src/engine/<name>/`.
 */
export interface Engine {
  readonly name: EngineName;
  /** How messages name it: "PostgreSQL", "MySQL/MariaDB". */
  readonly title: string;
  readonly capabilities: EngineCapabilities;
  /** The compiled script: its file in `rolec compile`'s output, and its text in pieces. */
  readonly scriptFile: string;
  renderScript(model: Model): Iterable<string>;
  /** A session on a server for plan, apply and import; a server that does not answer is bad input. */
  connect(connection: Connection): Promise<LiveSession>;
  /** The schemas, tables, views, sequences and columns of a server, for `rolec pull`. */
  pull(connection: Connection, schemas: readonly string[]): Promise<Snapshot>;
  /** Proves the compiled script (or a given one) enforces exactly the model, with real statements. */
  verify(model: Model, options: VerifyOptions): Promise<VerifyReport>;
  readonly migrations: MigrationWriter;
}

/** How long the engine lets names be: the checker reports what a program asks beyond it. */
export interface EngineCapabilities {
  /** Longest object and role names, in characters; undefined where the checks every target gets suffice. */
  readonly maxObjectChars?: number;
  readonly maxRoleChars?: number;
}

export interface VerifyOptions {
  /** A server to verify on, in scratch databases; without one, an embedded database if the engine has one. */
  readonly db: string | undefined;
  /** A script to prove instead of the compiled one, where the engine can take one. */
  readonly script: string | undefined;
  readonly timeouts: SessionTimeouts;
  /** Told where the proof runs, before it starts (`starting an embedded PostgreSQL (PGlite)`). */
  announce(where: string): void;
}

export interface Planned {
  readonly plan: Plan;
  readonly statements: readonly PlannedStatement[];
}

export interface Applied {
  readonly kind: "applied" | "nothing to do" | "blocked" | "declined";
  readonly planned: Planned;
}

/** plan, apply and import on one connection: what the CLI needs and nothing more. */
export interface LiveSession {
  /** How apply makes its changes, in words for its closing message. */
  readonly applies: string;
  plan(model: Model, options: { prune: boolean }): Promise<Planned>;
  apply(model: Model, options: { prune: boolean; confirm: (planned: Planned) => Promise<boolean> }): Promise<Applied>;
  /** What `rolec import` reads: the program the database's grants make, and how to plan against what was read. */
  importProgram(schemas: readonly string[] | undefined): Promise<ImportedDatabase>;
  /** What `rolec who-can --db` reads: the server's own answer to one access question, and the grants and memberships behind it. */
  accessFacts(question: LiveAccessQuestion): Promise<LiveAccessFacts>;
  /** What `rolec review --db` reads: each named role's direct members as the database has them (accounts as user@host on MySQL/MariaDB), sorted. */
  roleMembers(roles: readonly string[]): Promise<Map<string, string[]>>;
  close(): Promise<void>;
}

export interface ImportedDatabase {
  readonly program: ImportedProgram;
  /** What the database holds that the files cannot say, one sentence each. */
  readonly warnings: readonly string[];
  /** What plan would change on the database that was read, with these files' model, and what would block it. */
  replan(model: Model): Plan;
}

/** How a migration for this engine is planned and framed. */
export interface MigrationWriter {
  /** The plan from what `previous` left on the database to `current`, by the planner `apply` uses. */
  plan(previous: Model, current: Model, target: DatabaseTarget, options: { prune?: boolean }): Planned;
  /** Whether the migration can run in one transaction of its own (PostgreSQL), or commits statement by statement. */
  readonly transactional: boolean;
  /** How to run it, in one line for its header. */
  readonly howToRun: string;
  /** Statements that come before the plan's (the checks the compiled script makes), with a comment line first. */
  preamble(model: Model): string[];
  /** A statement that ends a migration with changes, and why. */
  readonly closing: { readonly why: string; readonly sql: string } | undefined;
  /** Comment text, escaped for the engine's `--` comments. */
  commentText(text: string): string;
}
