export { renderSnapshot, normalizeSnapshot, snapshotFormat, snapshotVersion, type Snapshot, type SnapshotSchema, type SnapshotObject, type SnapshotKind, type QualifiedName } from "./format.js";
export { parseSnapshot } from "./validate-snapshot.js";
export { loadSnapshot, type LoadedSnapshot } from "./load-snapshot.js";
export { pullPostgres } from "./pull-postgres.js";
export { pullMysql } from "./pull-mysql.js";
