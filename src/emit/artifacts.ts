import { sha256 } from "../model/digest.js";
import type { Model } from "../model/ir.js";
import { rolecVersion } from "../version.js";
import { renderAllowlist } from "./allowlist/render-allowlist.js";
import { renderMysql } from "./mysql/render-mysql.js";
import { renderPostgres } from "./postgres/render-postgres.js";

export const targets = ["postgres", "mysql", "allowlist"] as const;
export type Target = (typeof targets)[number];

export interface Artifact {
  readonly path: string;
  readonly content: string;
}

/** What `rolec compile` produces when no --target is given. */
export const defaultTargets: readonly Target[] = ["postgres", "allowlist"];

export const artifactFiles: Record<Target, string> = { postgres: "postgres.sql", mysql: "mysql.sql", allowlist: "allowlist.json" };
const renderers: Record<Target, (model: Model) => string> = { postgres: renderPostgres, mysql: (m) => renderMysql(m), allowlist: renderAllowlist };

/**
 * Renders the requested targets plus `manifest.json`, which records the SHA-256 of the sources
 * and of each artifact so a CI job can rebuild and compare byte for byte.
 */
export function renderArtifacts(model: Model, wanted: readonly Target[]): Artifact[] {
  return [...eachArtifact(model, wanted)];
}

/** The same, one artifact at a time, so a caller can write each and let it go before the next is rendered. */
export function* eachArtifact(model: Model, wanted: readonly Target[]): Generator<Artifact> {
  const digests: { path: string; sha256: string }[] = [];
  for (const target of targets.filter((t) => wanted.includes(t))) {
    const artifact = { path: artifactFiles[target], content: renderers[target](model) };
    digests.push({ path: artifact.path, sha256: sha256(artifact.content) });
    yield artifact;
  }
  const manifest = {
    format: "rolec-manifest",
    formatVersion: 1,
    generatedBy: `rolec ${rolecVersion}`,
    sourcesSha256: model.sourcesSha256,
    sources: model.sources,
    ...(model.snapshot ? { snapshot: model.snapshot } : {}),
    artifacts: digests,
  };
  yield { path: "manifest.json", content: JSON.stringify(manifest, null, 2) + "\n" };
}
