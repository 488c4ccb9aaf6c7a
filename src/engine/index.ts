// The engine layer's public surface: the engine record the stages hold, and what every engine
// shares (sessions, connections, plans, reports). An engine's own folder is reached only from here.
export type { Engine, EngineCapabilities, LiveSession, Planned, Applied, ImportedDatabase, VerifyOptions, MigrationWriter } from "./engine.js";
export type { LiveAccessFacts, LiveAccessQuestion } from "./live-access.js";
export { engines, engineFor } from "./engines.js";
export { databaseTargets, engineOfTarget, type DatabaseTarget, type EngineName } from "./engine-name.js";
export { parseConnection, type Connection } from "./connection.js";
export { isDrift, type Plan, type PlanChange, type Blocker, type UnmanagedRole, type PlannedStatement, type AclGrant } from "./plan.js";
export { describeChange, signOf } from "./describe-change.js";
export { remainingDifferences } from "./remaining-differences.js";
export { verified, display, type VerifyReport, type Mismatch, type RoleMismatch, type AppendOnlyMismatch } from "./verify-report.js";
export { renderRoles, renderSchemas, type ImportedProgram } from "./imported-program.js";
export { defaultTimeouts, type SessionTimeouts } from "./session-timeouts.js";
export { redactUrl } from "./redact-url.js";
export { sqlState, errorMessage, type SqlSession } from "./session.js";
export { templateRenderer, targetsDirectory } from "./templates.js";
export { loadSqlParser, analyzeSql, NotUnderstood, type AnalyzedSql, type AnalyzedStatement, type PreparedQuery, type SettingChange, type SqlSessionState, type NameResolver, type RelationInfo, type RoutineInfo, type Need, type RelationNeed, type SequenceNeed, type RoutineNeed, type NotUnderstoodCategory } from "./postgres/statements/index.js";
