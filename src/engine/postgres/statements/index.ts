// PostgreSQL statements as the decision library reads them: parsed by PostgreSQL's own parser,
// each reduced to the privileges the server checks before running it.
export { loadSqlParser } from "./parse-sql.js";
export { analyzeSql, type AnalyzedSql, type AnalyzedStatement, type PreparedQuery, type SettingChange, type SqlSessionState } from "./analyze-sql.js";
export type { NameResolver } from "./analyze-statement.js";
export type { RelationInfo, RoutineInfo } from "./scope.js";
export { NotUnderstood, type Need, type RelationNeed, type SequenceNeed, type RoutineNeed, type NotUnderstoodCategory, type RelationVerb, type SequenceVerb } from "./needs.js";
