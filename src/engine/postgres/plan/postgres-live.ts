import { appendOnlyNames } from "../script/render-postgres.js";
import { InputError } from "../../../diagnostics/input-error.js";
import { defaultCreators, defaultSchemas, managedSchemas, type Model } from "../../../model/ir.js";
import { openPgServer } from "../session/pg-session.js";
import { errorMessage, type SqlSession } from "../../session.js";
import { defaultTimeouts, type SessionTimeouts } from "../../session-timeouts.js";
import type { LiveDatabase } from "../../../model/live-database.js";
import { planPostgres } from "./plan-postgres.js";
import { type Plan } from "../../plan.js";
import { postgresStatements } from "./plan-statements.js";
import { type PlannedStatement } from "../../plan.js";
import { remainingDifferences } from "../../remaining-differences.js";
import { preflightBlockers } from "./preflight-blockers.js";
import { readPostgres } from "../catalog/read-postgres.js";
import { unlistedLosses } from "./unlisted-losses.js";

/** Two applies on one server take turns on this advisory lock ("rolec" in ASCII). */
export const applyLockKey = 0x726f6c6563;

export interface PostgresPlan {
  readonly live: LiveDatabase;
  readonly plan: Plan;
  readonly statements: readonly PlannedStatement[];
}

export async function connectPostgres(url: string, shown: string, timeouts: SessionTimeouts = defaultTimeouts): Promise<SqlSession> {
  return openPgServer(url, timeouts).catch((error: unknown) => {
    throw new InputError(`cannot connect to ${shown}: ${errorMessage(error)}`);
  });
}

/** Reads the database and plans what would make it hold what the model says. */
export async function planOnPostgres(model: Model, session: SqlSession, options: { prune?: boolean } = {}): Promise<PostgresPlan> {
  const schemas = managedSchemas(model);
  const live = await readPostgres(session, schemas, [appendOnlyNames.rowTrigger, appendOnlyNames.truncateTrigger], {
    routinesAndTypes: model.routines.length > 0 || model.types.length > 0,
    defaults: { schemas: defaultSchemas(model), creators: defaultCreators(model) },
  });
  const planned = planPostgres(model, live, options);
  const plan = { ...planned, blockers: [...planned.blockers, ...(await preflightBlockers(model, session, live))] };
  return { live, plan, statements: postgresStatements(plan, model, live.serverVersion) };
}

export type ApplyOutcome =
  | { readonly kind: "applied"; readonly planned: PostgresPlan }
  | { readonly kind: "nothing to do"; readonly planned: PostgresPlan }
  | { readonly kind: "blocked"; readonly planned: PostgresPlan }
  | { readonly kind: "declined"; readonly planned: PostgresPlan };

/**
 * Applies the plan in one transaction under an advisory lock, so two applies take turns and a
 * failure leaves nothing changed. The plan is made under the lock, shown to `confirm`, run, and
 * the database read again: if it is not then exactly what the files say, or if anyone lost a
 * privilege the plan did not list, everything is undone.
 */
export async function applyOnPostgres(
  model: Model,
  session: SqlSession,
  options: { prune?: boolean; confirm: (planned: PostgresPlan) => Promise<boolean> },
): Promise<ApplyOutcome> {
  await session.exec("BEGIN");
  let committed = false;
  try {
    await session.query("SELECT pg_catalog.pg_advisory_xact_lock($1)", [applyLockKey]);
    const planned = await planOnPostgres(model, session, options);
    if (planned.plan.blockers.length > 0) return { kind: "blocked", planned };
    if (planned.plan.changes.length === 0) return { kind: "nothing to do", planned };
    if (!(await options.confirm(planned))) return { kind: "declined", planned };
    for (const { change, sql } of planned.statements) {
      try {
        await session.exec(sql);
      } catch (error) {
        throw new InputError(`apply failed, and changed nothing: ${errorMessage(error)}\n  while running (${change.kind}):\n${indent(sql)}`);
      }
    }
    const after = await planOnPostgres(model, session, options);
    const unlisted = unlistedLosses(planned.plan, planned.live, after.live);
    if (unlisted.length > 0) {
      throw new InputError(`apply changed nothing: running the plan also took what it does not list (a bug in rolec's plan, please report it): ${unlisted.join("; ")}`);
    }
    if (after.plan.changes.length > 0) {
      throw new InputError(
        [
          `apply changed nothing: after running the plan the database still differs from the .roles files in ${after.plan.changes.length} way(s):`,
          ...remainingDifferences(after.plan.changes, planned.statements),
        ].join("\n"),
      );
    }
    await session.exec("COMMIT");
    committed = true;
    return { kind: "applied", planned };
  } finally {
    if (!committed) await session.exec("ROLLBACK").catch(() => undefined);
  }
}

function indent(sql: string): string {
  return sql
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}
