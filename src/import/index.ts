export { importPostgres, type PostgresImport } from "./import-postgres.js";
export { importMysql, type MysqlImport } from "./import-mysql.js";
export { renderRoles, renderSchemas, type ImportedProgram } from "./imported-program.js";
