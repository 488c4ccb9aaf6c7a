export { readPostgres } from "./postgres/read-postgres.js";
export { planPostgres, isDrift, type Plan, type PlanChange, type Blocker, type UnmanagedRole } from "./plan.js";
export { postgresStatements, type PlannedStatement } from "./postgres/plan-statements.js";
export { planOnPostgres, applyOnPostgres, connectPostgres, applyLockKey, type PostgresPlan, type ApplyOutcome } from "./postgres/postgres-live.js";
export { renderPlanText, planJson, summarize, describeChange } from "./render-plan.js";
export { parseConnection, type Connection, type Engine } from "./connection.js";
export { desiredState, PUBLIC, type PermissionState, type PrivilegeFact } from "./permission-state.js";
export type { LiveDatabase, LiveObject } from "./live-database.js";
