import { InputError } from "../../../diagnostics/input-error.js";
import type { Model } from "../../../model/ir.js";
import { openMysql, type MysqlSession } from "../session/mysql-session.js";
import { splitMysqlScript } from "../session/split-script.js";
import { errorMessage } from "../../session.js";
import { defaultTimeouts, type SessionTimeouts } from "../../session-timeouts.js";
import type { PlannedStatement } from "../../plan.js";
import { remainingDifferences } from "../../remaining-differences.js";
import { mysqlClosingStatement, mysqlStatements } from "./mysql-statements.js";
import { planMysql, type MysqlPlan } from "./plan-mysql.js";
import { readMysql, type MysqlLive } from "../catalog/read-mysql.js";

/** The same lock the compiled script takes: an apply and a script never run at once. */
export const mysqlLockName = "rolec";
/** How long an apply waits for another to finish before it gives up. */
const lockWaitSeconds = 60;

export interface MysqlPlanned {
  readonly live: MysqlLive;
  readonly plan: MysqlPlan;
  readonly statements: readonly PlannedStatement[];
}

export type MysqlApplyOutcome =
  | { readonly kind: "applied"; readonly planned: MysqlPlanned }
  | { readonly kind: "nothing to do"; readonly planned: MysqlPlanned }
  | { readonly kind: "blocked"; readonly planned: MysqlPlanned }
  | { readonly kind: "declined"; readonly planned: MysqlPlanned };

export async function connectMysql(url: string, shown: string, timeouts: SessionTimeouts = defaultTimeouts): Promise<MysqlSession> {
  const session = await openMysql(url, undefined, timeouts).catch((error: unknown) => {
    throw new InputError(`cannot connect to ${shown}: ${errorMessage(error)}`);
  });
  // The guard section's literals escape backslashes, whatever sql_mode the server defaults to.
  await session.query("SET NAMES utf8mb4");
  await session.query("SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')");
  return session;
}

/** Reads the server and plans what would make it hold what the model says. */
export async function planOnMysql(model: Model, session: MysqlSession, options: { prune?: boolean } = {}): Promise<MysqlPlanned> {
  const databases = [...new Set([...model.objects.filter((o) => o.kind !== "sequence").map((o) => o.schema), ...model.routines.map((r) => r.schema)])];
  const live = await readMysql(session, databases, { cascadesOf: model.objects.filter((o) => o.appendOnly) });
  const plan = planMysql(model, live, options);
  return { live, plan, statements: mysqlStatements(plan, model) };
}

/**
 * Applies the plan on MySQL/MariaDB, where every GRANT and REVOKE commits as it runs, so there is
 * no transaction to undo a failure: the plan grants everything before it revokes anything, and a
 * failure stops the run and says which statements ran and which did not. The plan is made under
 * the `rolec` lock, so a rerun (or a concurrent apply, once it gets the lock) plans from what the
 * server then holds and finishes the job. Afterwards the server is read again and must match.
 */
export async function applyOnMysql(
  model: Model,
  session: MysqlSession,
  options: { prune?: boolean; confirm: (planned: MysqlPlanned) => Promise<boolean> },
): Promise<MysqlApplyOutcome> {
  const [lock] = await session.query<{ locked: number | null }>("SELECT GET_LOCK(?, ?) AS locked", [mysqlLockName, lockWaitSeconds]);
  if (Number(lock?.locked) !== 1) {
    throw new InputError(`another rolec apply or script has held the lock '${mysqlLockName}' for ${lockWaitSeconds} seconds; nothing applied, retry later`);
  }
  try {
    const planned = await planOnMysql(model, session, options);
    if (planned.plan.blockers.length > 0) return { kind: "blocked", planned };
    if (planned.plan.changes.length === 0) return { kind: "nothing to do", planned };
    if (!(await options.confirm(planned))) return { kind: "declined", planned };
    await runStatements(planned.statements, session);
    await session.query(mysqlClosingStatement.sql).catch((error: unknown) => {
      throw new InputError(`apply ran every statement, but the server did not read its grant tables again (${mysqlClosingStatement.sql}): ${errorMessage(error)}\n  ${mysqlClosingStatement.why} Run ${mysqlClosingStatement.sql} as root.`);
    });
    const after = await planOnMysql(model, session, options);
    if (after.plan.changes.length > 0) {
      throw new InputError(
        [
          `apply ran every statement, but the server still differs from the .roles files in ${after.plan.changes.length} way(s):`,
          ...remainingDifferences(after.plan.changes, planned.statements),
          `  MySQL committed each statement as it ran; run rolec plan to see what the server now holds.`,
        ].join("\n"),
      );
    }
    return { kind: "applied", planned };
  } finally {
    await session.query("SELECT RELEASE_LOCK(?)", [mysqlLockName]).catch(() => undefined);
  }
}

async function runStatements(statements: readonly PlannedStatement[], session: MysqlSession): Promise<void> {
  const steps = statements.flatMap((s) => splitMysqlScript(s.sql).map((statement) => ({ change: s.change, sql: statement.sql })));
  for (const [index, step] of steps.entries()) {
    try {
      await session.query(step.sql);
    } catch (error) {
      // A failure between LOCK TABLES and UNLOCK TABLES must not leave the table locked for this session.
      await session.query("UNLOCK TABLES").catch(() => undefined);
      const shown = (list: typeof steps) => list.map((s) => `    ${s.sql.replace(/\s*\n\s*/g, " ")}`).join("\n") || "    (none)";
      throw new InputError(
        [
          `apply stopped at statement ${index + 1} of ${steps.length}: ${errorMessage(error)}`,
          `  MySQL commits each statement as it runs, so those before it stay applied:`,
          shown(steps.slice(0, index)),
          `  not applied:`,
          shown(steps.slice(index)),
          `  Fix the cause and run rolec apply again: it plans afresh from what the server holds and finishes the job.`,
        ].join("\n"),
      );
    }
  }
}
