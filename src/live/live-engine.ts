import type { Model } from "../model/ir.js";
import type { Connection } from "./connection.js";
import { applyOnMysql, connectMysql, planOnMysql } from "./mysql/mysql-live.js";
import type { Plan } from "./plan.js";
import type { PlannedStatement } from "./postgres/plan-statements.js";
import { applyOnPostgres, connectPostgres, planOnPostgres } from "./postgres/postgres-live.js";

export interface Planned {
  readonly plan: Plan;
  readonly statements: readonly PlannedStatement[];
}

export interface Applied {
  readonly kind: "applied" | "nothing to do" | "blocked" | "declined";
  readonly planned: Planned;
}

/** plan and apply, the same for every engine: what the CLI needs and nothing more. */
export interface LiveEngine {
  /** How apply makes its changes, in words for its closing message. */
  readonly applies: string;
  plan(model: Model, options: { prune: boolean }): Promise<Planned>;
  apply(model: Model, options: { prune: boolean; confirm: (planned: Planned) => Promise<boolean> }): Promise<Applied>;
  close(): Promise<void>;
}

export async function openLiveEngine(connection: Connection): Promise<LiveEngine> {
  if (connection.engine === "postgres") {
    const session = await connectPostgres(connection.url, connection.shown, connection.timeouts);
    return {
      applies: "in one transaction",
      plan: (model, options) => planOnPostgres(model, session, options),
      apply: (model, options) => applyOnPostgres(model, session, options),
      close: () => session.close(),
    };
  }
  const session = await connectMysql(connection.url, connection.shown, connection.timeouts);
  return {
    applies: "grants first, then revokes, under the rolec lock",
    plan: (model, options) => planOnMysql(model, session, options),
    apply: (model, options) => applyOnMysql(model, session, options),
    close: () => session.close(),
  };
}
