export { renderArtifacts, eachArtifact, artifactFiles, targets, defaultTargets, type Target, type Artifact, type ArtifactPieces } from "./artifacts.js";
export { renderAllowlist, buildAllowlist, allowlistFormatVersion } from "./allowlist/render-allowlist.js";
