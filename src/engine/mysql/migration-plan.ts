import type { Planned } from "../engine.js";
import type { Model } from "../../model/ir.js";
import { mysqlStatements } from "./plan/mysql-statements.js";
import { planMysql } from "./plan/plan-mysql.js";
import { previousMysql } from "./plan/previous-mysql.js";

/** A migration's plan: from what the previous migration left to the current sources, by apply's planner. */
export function planMysqlMigration(previous: Model, current: Model, mariadb: boolean, options: { prune?: boolean }): Planned {
  const plan = planMysql(current, previousMysql(previous, current, mariadb), options);
  return { plan, statements: mysqlStatements(plan, current) };
}
