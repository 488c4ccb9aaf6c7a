export { renderArtifacts, eachArtifact, artifactFiles, targets, defaultTargets, type Target, type Artifact, type ArtifactPieces } from "./artifacts.js";
export { renderMysql, mysqlNames } from "./mysql/render-mysql.js";
export { quoteMysqlIdent, quoteMysqlLiteral, quoteMysqlQualified, quoteMysqlGrantee } from "./mysql/quote.js";
export { renderPostgres, renderPreflight, appendOnlyNames } from "./postgres/render-postgres.js";
export { preflightChecks, rolecSqlstates, type PreflightCheck } from "./postgres/preflight-checks.js";
export { quoteIdent, quoteLiteral, quoteQualified, quoteDollar, commentText } from "./postgres/quote.js";
export { renderAllowlist, buildAllowlist, allowlistFormatVersion } from "./allowlist/render-allowlist.js";
