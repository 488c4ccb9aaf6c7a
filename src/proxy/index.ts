// rolec proxy: the PostgreSQL wire protocol between clients and the server, every statement
// decided against the allow-list (src/enforce) and recorded in the audit log (src/audit).
export { startProxy, isLoopback, type ProxyOptions, type RunningProxy, type ReloadOutcome } from "./proxy-server.js";
export { parseUpstream, type UpstreamTarget } from "./upstream.js";
export { loadVerifiedArtifacts, type VerifiedArtifacts } from "./artifacts.js";
export type { AuditSyncPolicy } from "./audit-trail.js";
