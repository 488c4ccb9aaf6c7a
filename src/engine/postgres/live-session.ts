import type { Connection } from "../connection.js";
import type { LiveSession } from "../engine.js";
import { readAccessFacts, readRoleMembers } from "./catalog/read-access-facts.js";
import { importPostgres } from "./import/import-postgres.js";
import { planPostgres } from "./plan/plan-postgres.js";
import { applyOnPostgres, connectPostgres, planOnPostgres } from "./plan/postgres-live.js";

/** plan, apply and import on one PostgreSQL connection. */
export async function openPostgresLive(connection: Connection): Promise<LiveSession> {
  const session = await connectPostgres(connection.url, connection.shown, connection.timeouts);
  return {
    applies: "in one transaction",
    plan: (model, options) => planOnPostgres(model, session, options),
    apply: (model, options) => applyOnPostgres(model, session, options),
    async importProgram(schemas) {
      const imported = await importPostgres(session, schemas);
      return { program: imported.program, warnings: imported.warnings, replan: (model) => planPostgres(model, imported.live) };
    },
    accessFacts: (question) => readAccessFacts(session, question),
    roleMembers: (roles) => readRoleMembers(session, roles),
    close: () => session.close(),
  };
}
