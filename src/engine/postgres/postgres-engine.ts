import type { Engine } from "../engine.js";
import { commentText } from "./quote.js";
import { renderPostgres, renderPreflight } from "./script/render-postgres.js";
import { planPostgresMigration } from "./migration-plan.js";

/**
 * PostgreSQL. The drivers, PGlite and the planner load on first use, so a command that only
 * checks or compiles does not pay for them.
 */
export const postgresEngine: Engine = {
  name: "postgres",
  title: "PostgreSQL",
  // PostgreSQL's 63-byte identifier limit is one every target gets (RC0701).
  capabilities: {},
  scriptFile: "postgres.sql",
  renderScript: (model) => [renderPostgres(model)],
  async connect(connection) {
    const { openPostgresLive } = await import("./live-session.js");
    return openPostgresLive(connection);
  },
  async pull(connection, schemas) {
    const { pullPostgresServer } = await import("./catalog/pull-postgres.js");
    return pullPostgresServer(connection, schemas);
  },
  async verify(model, options) {
    const { verifyPostgres } = await import("./verify/verify-postgres.js");
    return verifyPostgres(model, options);
  },
  migrations: {
    plan: (previous, current, _target, options) => planPostgresMigration(previous, current, options),
    transactional: true,
    howToRun: "Run it as a superuser (append-only tables change owner); it changes all or nothing.",
    preamble: (model) => ["-- First the checks the compiled script makes: it refuses to go on (RC002 to RC005) where they find something.", renderPreflight(model)],
    closing: undefined,
    commentText,
  },
};
