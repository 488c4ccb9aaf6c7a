import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { sortDiagnostics } from "../diagnostics/diagnostic.js";
import type { Model } from "../model/ir.js";
import { compareText, objectKey } from "../model/ir.js";
import { transitiveParents } from "../model/effective.js";
import type { ParsedFile } from "../syntax/parse.js";
import type { RoleBlock, SchemaBlock } from "../syntax/ast.js";
import type { SourceFile } from "../source/source.js";
import { buildModel } from "./build-model.js";
import { declareObjects } from "./declare-objects.js";
import { declareRoles } from "./declare-roles.js";
import { declareSnapshot } from "./declare-snapshot.js";
import { snapshotSchemaBlocks } from "./snapshot-schema-blocks.js";
import { checkSnapshotAppendOnlyChildren } from "./snapshot-append-only-children.js";
import type { LoadedSnapshot } from "../model/snapshot.js";
import { checkForeignKeys } from "./check-foreign-keys.js";
import { checkMysqlCapabilities } from "./mysql-capabilities.js";
import type { EngineName } from "../engine/index.js";

/** Checks only a target engine asks for, on top of those every program gets: its names, and the verbs it can grant. */
const engineRules: Partial<Record<EngineName, typeof checkMysqlCapabilities>> = { mysql: checkMysqlCapabilities };
import { reportRedundantGrants } from "./redundant-grants.js";
import { Reporter, quoted } from "./reporter.js";
import { resolveGrant, type GrantAtom } from "./resolve-grants.js";
import { resolveMemberships } from "./resolve-memberships.js";

export interface CheckResult {
  /** Built even when there are errors, from whatever could be resolved; do not emit it then. */
  readonly model: Model;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Checks a whole program (every file together) and builds its model. Every rule runs, so one
 * run reports every problem; diagnostics come back sorted by place.
 */
export interface CheckOptions {
  /** Target databases whose own limits are checked too; every program gets the checks all targets share. */
  readonly databases?: readonly EngineName[];
  /** Objects a database already has (`rolec pull`), taken as declared alongside the program's own. */
  readonly snapshot?: LoadedSnapshot;
}

export function checkProgram(files: readonly ParsedFile[], sources: readonly SourceFile[], options: CheckOptions = {}): CheckResult {
  const reporter = new Reporter();
  const ordered = [...files].sort((a, b) => compareText(a.ast.path, b.ast.path));
  const items = ordered.flatMap((f) => f.ast.items);
  const schemaBlocks = items.filter((i): i is SchemaBlock => i.kind === "Schema");
  const catalog = declareObjects(schemaBlocks, reporter, options.snapshot ? declareSnapshot(options.snapshot, reporter) : undefined);
  if (options.snapshot) checkSnapshotAppendOnlyChildren(catalog, reporter);
  checkForeignKeys(schemaBlocks, catalog, reporter);
  const roles = declareRoles(items.filter((i): i is RoleBlock => i.kind === "Role"), reporter);
  const parents = resolveMemberships(roles, reporter);

  const atomsByRole = new Map<string, GrantAtom[]>();
  for (const [name, role] of roles) {
    const atoms: GrantAtom[] = [];
    for (const item of role.block.items) if (item.kind === "Grant") atoms.push(...resolveGrant(name, item, catalog, reporter));
    atomsByRole.set(name, atoms);
  }
  // Ancestors only of roles that grant something: a long chain of pure group roles stays cheap.
  const granting = [...atomsByRole].filter(([, atoms]) => atoms.length > 0).map(([name]) => name);
  reportRedundantGrants(atomsByRole, transitiveParents(parents, granting), reporter);

  // A role whose body lost lines to a syntax error is not reported as empty: the syntax error says why.
  const filesWithSyntaxErrors = new Set(files.filter((f) => f.diagnostics.length > 0).map((f) => f.ast.path));
  for (const [name, role] of roles) {
    // An external role without grants or memberships here is a reference, not an empty role.
    if (!role.external && role.block.items.length === 0 && !filesWithSyntaxErrors.has(role.block.span.file)) {
      reporter.report("RC0803", `role ${quoted(name)} has no grants and is a member of no role, so it can do nothing; give it a grant or remove it`, role.block.name.span);
    }
  }

  const model = buildModel(catalog, roles, parents, [...atomsByRole.values()].flat(), sources, options.snapshot);
  const engineChecks = [...new Set(options.databases ?? [])].flatMap((name) => engineRules[name] ?? []);
  if (engineChecks.length > 0) {
    const granted = new Set(model.grants.map((g) => objectKey(g.object)));
    const checkedSchemas = [...(options.snapshot ? snapshotSchemaBlocks(options.snapshot, (schema, name) => granted.has(objectKey({ schema, name }))) : []), ...schemaBlocks];
    const roleBlocks = items.filter((i): i is RoleBlock => i.kind === "Role");
    for (const rule of engineChecks) rule(checkedSchemas, roleBlocks, model, reporter);
  }
  return { model, diagnostics: sortDiagnostics([...files.flatMap((f) => f.diagnostics), ...reporter.diagnostics]) };
}
