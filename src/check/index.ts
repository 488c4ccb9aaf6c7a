import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { sortDiagnostics } from "../diagnostics/diagnostic.js";
import { PUBLIC, type Model } from "../model/ir.js";
import { compareText } from "../model/ir.js";
import type { ParsedFile } from "../syntax/parse.js";
import type { AnyGrant, PublicBlock, RoleBlock, SchemaBlock } from "../syntax/ast.js";
import type { SourceFile } from "../source/source.js";
import { buildModel } from "./build-model.js";
import { emptyDeclarations } from "./declarations.js";
import { declareObjects } from "./declare-objects.js";
import { declareRoles } from "./declare-roles.js";
import { declareSnapshot } from "./declare-snapshot.js";
import { Reporter } from "./reporter.js";
import type { EngineName } from "../engine/index.js";
import type { LoadedSnapshot } from "../model/snapshot.js";
import { resolveGrant, type GrantAtom } from "./resolve-grants.js";
import { grantsOnRoutines, resolveRoutineGrant, type RoutineGrantAtom } from "./resolve-routine-grants.js";
import { grantsOnType, resolveTypeGrant, type TypeGrantAtom } from "./resolve-type-grants.js";
import { resolveMemberships } from "./resolve-memberships.js";
import { resolveSchemaGrant, type SchemaGrantAtom } from "./resolve-schema-grants.js";
import { resolveDatabaseGrant, type DatabaseGrantAtom } from "./resolve-database-grants.js";
import { resolveServerGrant, type ServerGrantAtom } from "./resolve-server-grants.js";
import { resolveDefaultGrant, type DefaultGrantAtom } from "./resolve-default-grants.js";
import type { ResolvedProgram } from "./resolved-program.js";
import { mysqlRules, postgresRules, reviewRules, specifiedRules } from "./rules/index.js";
import type { Rule } from "./resolved-program.js";

/** Rules only a target engine asks for, on top of those every program gets: its names, and the verbs it can grant. */
const engineRules: Partial<Record<EngineName, readonly Rule[]>> = { mysql: mysqlRules, postgres: postgresRules };

/**
 * Warnings that speak of PostgreSQL alone: a routine's argument types are its identity there
 * (RC0111: a type PostgreSQL does not have), and mere words on MySQL/MariaDB, which know a routine
 * by its name.
 */
const postgresOnlyCodes: ReadonlySet<string> = new Set(["RC0111"]);

export interface CheckResult {
  /** Built even when there are errors, from whatever could be resolved; do not emit it then. */
  readonly model: Model;
  readonly diagnostics: readonly Diagnostic[];
}

export interface CheckOptions {
  /** Target databases whose own limits are checked too; every program gets the checks all targets share. */
  readonly databases?: readonly EngineName[];
  /** Objects a database already has (`rolec pull`), taken as declared alongside the program's own. */
  readonly snapshot?: LoadedSnapshot;
  /** Run the review lints too (RC10xx, docs/lints.md), as the command line does; only on a program without errors. */
  readonly lints?: boolean;
}

/**
 * Checks a whole program (every file together) and builds its model. Declarations, memberships
 * and grant lines are resolved first, reporting what cannot be resolved; then every rule judges
 * the resolved program, so one run reports every problem. Diagnostics come back sorted by place.
 */
export function checkProgram(files: readonly ParsedFile[], sources: readonly SourceFile[], options: CheckOptions = {}): CheckResult {
  const reporter = new Reporter();
  const ordered = [...files].sort((a, b) => compareText(a.ast.path, b.ast.path));
  const items = ordered.flatMap((f) => f.ast.items);
  const schemaBlocks = items.filter((i): i is SchemaBlock => i.kind === "Schema");
  const roleBlocks = items.filter((i): i is RoleBlock => i.kind === "Role");
  const publicBlocks = items.filter((i): i is PublicBlock => i.kind === "Public");

  const declared = emptyDeclarations();
  const catalog = declareObjects(schemaBlocks, reporter, declared, options.snapshot ? declareSnapshot(options.snapshot, declared) : undefined);
  const roles = declareRoles(roleBlocks, reporter);
  const parents = resolveMemberships(roles, reporter);
  const atomsByRole = new Map<string, GrantAtom[]>();
  const schemaAtoms: SchemaGrantAtom[] = [];
  const databaseAtoms: DatabaseGrantAtom[] = [];
  const serverAtoms: ServerGrantAtom[] = [];
  const routineAtoms: RoutineGrantAtom[] = [];
  const typeAtoms: TypeGrantAtom[] = [];
  const defaultAtoms: DefaultGrantAtom[] = [];
  const resolveLine = (name: string, item: AnyGrant, atoms: GrantAtom[]) => {
    if (item.kind === "Grant" && grantsOnType(item, catalog)) typeAtoms.push(...resolveTypeGrant(name, item, catalog, reporter));
    else if (item.kind === "Grant" && grantsOnRoutines(item, catalog)) routineAtoms.push(...resolveRoutineGrant(name, item, catalog, reporter));
    else if (item.kind === "Grant") atoms.push(...resolveGrant(name, item, catalog, reporter));
    else if (item.kind === "SchemaGrant") schemaAtoms.push(...resolveSchemaGrant(name, item, catalog, reporter));
    else if (item.kind === "DefaultGrant") defaultAtoms.push(...resolveDefaultGrant(name, item, catalog, reporter));
    else if (item.kind === "ServerGrant") serverAtoms.push(...resolveServerGrant(name, item, reporter));
    else databaseAtoms.push(...resolveDatabaseGrant(name, item, reporter));
  };
  for (const [name, role] of roles) {
    const atoms: GrantAtom[] = [];
    for (const item of role.block.items) if (item.kind !== "Membership" && item.kind !== "Setting") resolveLine(name, item, atoms);
    atomsByRole.set(name, atoms);
  }
  // PUBLIC's lines, from every `public` block; their atoms carry PUBLIC as their role.
  const publicAtoms: GrantAtom[] = [];
  for (const block of publicBlocks) for (const item of block.items) if (item.kind !== "Membership" && item.kind !== "Setting") resolveLine(PUBLIC, item, publicAtoms);
  const model = buildModel(catalog, roles, parents, [...atomsByRole.values()].flat(), routineAtoms, typeAtoms, schemaAtoms, databaseAtoms, serverAtoms, defaultAtoms, sources, options.snapshot, publicBlocks.length > 0 ? publicAtoms : undefined);

  const program: ResolvedProgram = {
    schemaBlocks,
    roleBlocks,
    publicBlocks,
    snapshot: options.snapshot,
    catalog,
    declared,
    roles,
    parents,
    atomsByRole,
    model,
    filesWithSyntaxErrors: new Set(files.filter((f) => f.diagnostics.length > 0).map((f) => f.ast.path)),
  };
  const rules = [...specifiedRules, ...[...new Set(options.databases ?? [])].flatMap((name) => engineRules[name] ?? [])];
  for (const rule of rules) rule(program, reporter);
  // The review lints judge a program that checks: on one with errors they would only add noise to what must be fixed first.
  const hasErrors = [...files.flatMap((f) => f.diagnostics), ...reporter.diagnostics].some((d) => d.severity === "error");
  if (options.lints && !hasErrors) for (const rule of reviewRules) rule(program, reporter);
  const targets = options.databases ?? [];
  // A program checked for MySQL/MariaDB alone is not asked about what only PostgreSQL reads.
  const asked = targets.length > 0 && !targets.includes("postgres") ? reporter.diagnostics.filter((d) => !postgresOnlyCodes.has(d.code)) : reporter.diagnostics;
  return { model, diagnostics: sortDiagnostics([...files.flatMap((f) => f.diagnostics), ...asked]) };
}
