import type { Model } from "../model/ir.js";
import { engineFor, type Plan, type PlannedStatement } from "../engine/index.js";
import { InputError } from "../diagnostics/input-error.js";
import { rolecMigrations, type ExistingMigration } from "./migration-files.js";
import { modelFromState, parseRecordedState, type MigrationTarget } from "./recorded-state.js";

export interface MigrationPlan {
  readonly target: MigrationTarget;
  /** The newest migration rolec wrote in the folder, which this one follows; none for the first. */
  readonly previous: ExistingMigration | undefined;
  readonly plan: Plan;
  readonly statements: readonly PlannedStatement[];
}

const nothing: Model = { objects: [], routines: [], types: [], roles: [], grants: [], routineGrants: [], typeGrants: [], schemaGrants: [], databaseGrants: [], serverGrants: [], defaultGrants: [], sources: [], sourcesSha256: "" };

/**
 * What the next migration holds: the plan from the state the newest migration in `dir` recorded
 * (or from an empty database) to the current sources, made by the same planner as `rolec apply`.
 * Drift is not a migration's business: it changes what the sources change, and `rolec plan`
 * against the database shows whatever else differs.
 */
export async function planMigration(model: Model, dir: string, target: MigrationTarget, options: { prune?: boolean } = {}): Promise<MigrationPlan> {
  const migrations = await rolecMigrations(dir);
  const previous = migrations.at(-1);
  let before = nothing;
  if (previous) {
    const state = parseRecordedState(previous.text, previous.file);
    if (state.target !== target) {
      throw new InputError(`${previous.file} is a ${state.target} migration, not ${target}: keep each target's migrations in a folder of its own (--dir)`);
    }
    before = modelFromState(state, previous.file);
  }
  const { plan, statements } = engineFor(target).migrations.plan(before, model, target, options);
  assertUnblocked(plan);
  return { target, previous, plan, statements };
}

/** The previous state is made up from the sources, so nothing in it can block a plan. */
function assertUnblocked(plan: Plan): void {
  if (plan.blockers.length > 0) throw new Error(`bug: a migration plan is blocked: ${plan.blockers[0]!.what}`);
}
