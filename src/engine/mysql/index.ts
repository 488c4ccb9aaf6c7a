// MySQL/MariaDB's public surface, for the engine record's callers and for tests that reach inside.
export { mysqlEngine } from "./mysql-engine.js";
export { quoteMysqlIdent, quoteMysqlLiteral, quoteMysqlQualified, quoteMysqlGrantee, mysqlCommentText } from "./quote.js";
export { renderMysql, mysqlNames } from "./script/render-mysql.js";
export { openMysql, type MysqlSession } from "./session/mysql-session.js";
export { runMysqlScript } from "./session/run-script.js";
export { splitMysqlScript } from "./session/split-script.js";
export { readMysql, type MysqlLive } from "./catalog/read-mysql.js";
export { pullMysql } from "./catalog/pull-mysql.js";
export { planMysql, type MysqlPlan } from "./plan/plan-mysql.js";
export { mysqlStatements, mysqlClosingStatement } from "./plan/mysql-statements.js";
export { planOnMysql, applyOnMysql, connectMysql, mysqlLockName, type MysqlPlanned, type MysqlApplyOutcome } from "./plan/mysql-live.js";
export { verifyMysql } from "./verify/verify-mysql.js";
export { importMysql, type MysqlImport } from "./import/import-mysql.js";
