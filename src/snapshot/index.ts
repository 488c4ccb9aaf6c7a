export { renderSnapshot, normalizeSnapshot, snapshotFormat, snapshotVersion, type Snapshot, type SnapshotSchema, type SnapshotObject, type SnapshotKind, type QualifiedName, type LoadedSnapshot } from "../model/snapshot.js";
export { parseSnapshot } from "./validate-snapshot.js";
