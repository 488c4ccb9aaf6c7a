import { createHash, type Hash } from "node:crypto";
import type { Model } from "../model/ir.js";
import { rolecVersion } from "../version.js";
import { allowlistPieces } from "./allowlist/render-allowlist.js";
import { databaseTargets, engineFor, engines, type DatabaseTarget } from "../engine/index.js";
import { targets, type Target } from "./target-names.js";

export { defaultTargets, targets, type Target } from "./target-names.js";

export interface Artifact {
  readonly path: string;
  readonly content: string;
}

/** An artifact as pieces of text, to be written one after another without ever joining them. */
export interface ArtifactPieces {
  readonly path: string;
  readonly pieces: Iterable<string>;
}


/** Every file compile can write but the manifest: one script per engine, and the allow-list. */
export const artifactFiles: readonly string[] = [...Object.values(engines).map((e) => e.scriptFile), "allowlist.json"];

/** The artifacts the targets ask for, once each, in the canonical order: `mysql` and `mariadb` share one script. */
function renderersFor(wanted: readonly Target[]): { path: string; render: (model: Model) => Iterable<string> }[] {
  const renderers = new Map<string, (model: Model) => Iterable<string>>();
  for (const target of targets.filter((t) => wanted.includes(t))) {
    if (target === "allowlist") renderers.set("allowlist.json", allowlistPieces);
    else {
      const engine = engineFor(target);
      renderers.set(engine.scriptFile, (m) => engine.renderScript(m));
    }
  }
  return [...renderers].map(([path, render]) => ({ path, render }));
}

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
  for (const { path, render } of renderersFor(wanted)) {
    const hash = createHash("sha256");
    let done = false;
    yield { path, pieces: hashing(render(model), hash, () => (done = true)) };
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
