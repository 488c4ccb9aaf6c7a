// The tamper-evident audit log: entries chained by hash, written append-only, verified end to end.
export { AuditWriter, type AuditWriterOptions } from "./audit-writer.js";
export { verifyAuditLog, type AuditFile, type AuditVerdict } from "./verify-audit.js";
export { genesisHash } from "./chain.js";
