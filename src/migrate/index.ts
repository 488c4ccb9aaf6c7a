export { planMigration, type MigrationPlan } from "./plan-migration.js";
export { renderMigration } from "./render-migration.js";
export { migrationFileName, migrationLayouts, migrationName, migrationClock, nextVersion, rolecMigrations, type MigrationLayout } from "./migration-files.js";
export { migrationTargets, parseRecordedState, recordState, renderRecordedState, type MigrationTarget, type RecordedState } from "./recorded-state.js";
