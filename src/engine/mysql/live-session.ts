import { InputError } from "../../diagnostics/input-error.js";
import type { Connection } from "../connection.js";
import type { LiveSession } from "../engine.js";
import { importMysql } from "./import/import-mysql.js";
import { planMysql } from "./plan/plan-mysql.js";
import { applyOnMysql, connectMysql, planOnMysql } from "./plan/mysql-live.js";

/** plan, apply and import on one MySQL/MariaDB connection. */
export async function openMysqlLive(connection: Connection): Promise<LiveSession> {
  const session = await connectMysql(connection.url, connection.shown, connection.timeouts);
  return {
    applies: "grants first, then revokes, under the rolec lock",
    plan: (model, options) => planOnMysql(model, session, options),
    apply: (model, options) => applyOnMysql(model, session, options),
    async importProgram(schemas) {
      const imported = await importMysql(session, schemas ?? [], connection.shown);
      return { program: imported.program, warnings: imported.warnings, replan: (model) => planMysql(model, imported.live) };
    },
    accessFacts: () => Promise.reject(new InputError("who-can --db reads PostgreSQL; for MySQL/MariaDB, ask the .roles files (without --db) and check the server with rolec plan")),
    roleMembers: () => Promise.reject(new InputError("review --db reads role members from PostgreSQL; for MySQL/MariaDB, run rolec review without --db (members as the .roles files declare them)")),
    close: () => session.close(),
  };
}
