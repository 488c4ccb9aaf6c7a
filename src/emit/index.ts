export { renderArtifacts, artifactFiles, targets, type Target, type Artifact } from "./artifacts.js";
export { renderPostgres, appendOnlyNames } from "./postgres/render-postgres.js";
export { quoteIdent, quoteLiteral, quoteQualified, quoteDollar, commentText } from "./postgres/quote.js";
export { renderAllowlist, buildAllowlist, allowlistFormatVersion } from "./allowlist/render-allowlist.js";
