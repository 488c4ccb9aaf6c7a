import { createHash, type Hash } from "node:crypto";
import type { Model } from "../model/ir.js";
import { rolecVersion } from "../version.js";
import { allowlistPieces } from "./allowlist/render-allowlist.js";
import { renderMysql } from "./mysql/render-mysql.js";
import { renderPostgres } from "./postgres/render-postgres.js";

export const targets = ["postgres", "mysql", "allowlist"] as const;
export type Target = (typeof targets)[number];

export interface Artifact {
  readonly path: string;
  readonly content: string;
}

/** An artifact as pieces of text, to be written one after another without ever joining them. */
export interface ArtifactPieces {
  readonly path: string;
  readonly pieces: Iterable<string>;
}

/** What `rolec compile` produces when no --target is given. */
export const defaultTargets: readonly Target[] = ["postgres", "allowlist"];

export const artifactFiles: Record<Target, string> = { postgres: "postgres.sql", mysql: "mysql.sql", allowlist: "allowlist.json" };
const renderers: Record<Target, (model: Model) => Iterable<string>> = {
  postgres: (m) => [renderPostgres(m)],
  mysql: (m) => [renderMysql(m)],
  allowlist: allowlistPieces,
};

/**
 * Renders the requested targets plus `manifest.json`, which records the SHA-256 of the sources
 * and of each artifact so a CI job can rebuild and compare byte for byte.
 */
export function renderArtifacts(model: Model, wanted: readonly Target[]): Artifact[] {
  const artifacts: Artifact[] = [];
  for (const a of eachArtifact(model, wanted)) artifacts.push({ path: a.path, content: [...a.pieces].join("") });
  return artifacts;
}

/**
 * The same, one artifact at a time and each in pieces, so a caller can write each piece and let
 * it go: the largest artifact of a large program is never held whole. Each artifact's pieces are
 * hashed as they are read, so they must be read to the end before the next artifact is asked for.
 */
export function* eachArtifact(model: Model, wanted: readonly Target[]): Generator<ArtifactPieces> {
  const digests: { path: string; sha256: string }[] = [];
  for (const target of targets.filter((t) => wanted.includes(t))) {
    const path = artifactFiles[target];
    const hash = createHash("sha256");
    let done = false;
    yield { path, pieces: hashing(renderers[target](model), hash, () => (done = true)) };
    if (!done) throw new Error(`bug: ${path} was not read to its end before the next artifact`);
    digests.push({ path, sha256: hash.digest("hex") });
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
  yield { path: "manifest.json", pieces: [JSON.stringify(manifest, null, 2) + "\n"] };
}

function* hashing(pieces: Iterable<string>, hash: Hash, finished: () => void): Generator<string> {
  for (const piece of pieces) {
    hash.update(piece, "utf8");
    yield piece;
  }
  finished();
}
