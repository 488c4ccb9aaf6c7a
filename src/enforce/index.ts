// The decision library: what a role may run, statement by statement, judged against the
// allow-list `rolec compile` writes. Usable on its own; `loadSqlParser` must be awaited once first.
export { readAllowlist, readableFormatVersion, type Allowlist, type RoleAccess, type GrantedPrivilege, type DeclaredRelation } from "./allowlist.js";
export { decide, type Decision, type StatementDecision, type CheckedNeed, type Session } from "./decide.js";
export { DecisionCache } from "./decision-cache.js";
export { loadSqlParser } from "../engine/index.js";
