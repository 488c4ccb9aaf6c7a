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
  const artifacts = targets.filter((t) => wanted.includes(t)).map((t) => ({ path: artifactFiles[t], content: renderers[t](model) }));
  const manifest = {
    format: "rolec-manifest",
    formatVersion: 1,
    generatedBy: `rolec ${rolecVersion}`,
    sourcesSha256: model.sourcesSha256,
    sources: model.sources,
    ...(model.snapshot ? { snapshot: model.snapshot } : {}),
    artifacts: artifacts.map((a) => ({ path: a.path, sha256: sha256(a.content) })),
  };
  return [...artifacts, { path: "manifest.json", content: JSON.stringify(manifest, null, 2) + "\n" }];
}
