import type { Planned } from "../engine.js";
import type { Model } from "../../model/ir.js";
import { planPostgres } from "./plan/plan-postgres.js";
import { postgresStatements } from "./plan/plan-statements.js";
import { previousPostgres } from "./plan/previous-postgres.js";

/** The server version statements are written for when there is no server to ask: 15.0. */
const migrationServerVersion = 150000;

/** A migration's plan: from what the previous migration left to the current sources, by apply's planner. */
export function planPostgresMigration(previous: Model, current: Model, options: { prune?: boolean }): Planned {
  const plan = planPostgres(current, previousPostgres(previous, current), options);
  return { plan, statements: postgresStatements(plan, current, migrationServerVersion) };
}
