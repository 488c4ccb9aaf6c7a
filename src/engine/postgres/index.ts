// PostgreSQL's public surface, for the engine record's callers and for tests that reach inside.
export { postgresEngine } from "./postgres-engine.js";
export { quoteIdent, quoteLiteral, quoteQualified, quoteDollar, commentText } from "./quote.js";
export { renderPostgres, renderPreflight, appendOnlyNames } from "./script/render-postgres.js";
export { preflightChecks, rolecSqlstates, type PreflightCheck } from "./script/preflight-checks.js";
export { openPgServer } from "./session/pg-session.js";
export { openPglite } from "./session/pglite-session.js";
export { withServerScratch } from "./session/server-scratch.js";
export { readPostgres } from "./catalog/read-postgres.js";
export { pullPostgres } from "./catalog/pull-postgres.js";
export { planPostgres } from "./plan/plan-postgres.js";
export { postgresStatements } from "./plan/plan-statements.js";
export { planOnPostgres, applyOnPostgres, connectPostgres, applyLockKey, type PostgresPlan, type ApplyOutcome } from "./plan/postgres-live.js";
export { verifyScript } from "./verify/run-verify.js";
export { importPostgres, type PostgresImport } from "./import/import-postgres.js";
