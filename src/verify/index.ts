export { verifyScript, verified, type VerifyReport, type Mismatch } from "./run-verify.js";
export type { RoleMismatch } from "./compare-roles.js";
export { openPglite } from "./pglite-session.js";
export { sqlState as sqlStateOf } from "./session.js";
export type { SqlSession } from "./session.js";
export { renderVerifyReport } from "./report.js";
export { openPgServer } from "./pg-session.js";
export { withServerScratch, redactUrl } from "./server-scratch.js";
