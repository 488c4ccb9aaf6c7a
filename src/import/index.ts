export { importPostgres, type PostgresImport } from "./import-postgres.js";
export { renderRoles, renderSchemas, type ImportedProgram } from "./imported-program.js";
