import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { InputError } from "../diagnostics/input-error.js";
import { describeFsError } from "../diagnostics/fs-error.js";
import { readAllowlist, type Allowlist } from "../enforce/index.js";

/** An artifacts folder as `rolec compile` wrote it, every file checked against its manifest. */
export interface VerifiedArtifacts {
  readonly allowlist: Allowlist;
  readonly manifestSha256: string;
}

/**
 * Reads `manifest.json` and every file it lists, and refuses the folder unless each file's
 * SHA-256 is the one the manifest records and the allow-list is among them. The allow-list is
 * read from the very bytes that were hashed, so a file swapped between the check and the read
 * cannot slip in.
 */
export function loadVerifiedArtifacts(dir: string): VerifiedArtifacts {
  const manifestBytes = readArtifact(dir, "manifest.json");
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestBytes.toString("utf8"));
  } catch (error) {
    throw new InputError(`${path.join(dir, "manifest.json")} is not JSON: ${(error as Error).message}`);
  }
  const listed = artifactList(manifest, path.join(dir, "manifest.json"));
  let allowlistBytes: Buffer | undefined;
  for (const { path: name, sha256 } of listed) {
    const bytes = readArtifact(dir, name);
    const actual = createHash("sha256").update(bytes).digest("hex");
    if (actual !== sha256) throw new InputError(`${path.join(dir, name)} does not match manifest.json (its SHA-256 is ${actual}, the manifest records ${sha256}); it was changed after rolec compile wrote it`);
    if (name === "allowlist.json") allowlistBytes = bytes;
  }
  if (!allowlistBytes) throw new InputError(`${path.join(dir, "manifest.json")} lists no allowlist.json; compile with the allowlist target (rolec compile --target allowlist)`);
  let allowlist: Allowlist;
  try {
    allowlist = readAllowlist(allowlistBytes);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${path.join(dir, "allowlist.json")}: ${error.message}`);
    throw error;
  }
  return { allowlist, manifestSha256: createHash("sha256").update(manifestBytes).digest("hex") };
}

function artifactList(manifest: unknown, where: string): { path: string; sha256: string }[] {
  const root = manifest as { format?: unknown; formatVersion?: unknown; artifacts?: unknown };
  if (typeof manifest !== "object" || manifest === null || root.format !== "rolec-manifest") throw new InputError(`${where} is not a rolec manifest`);
  if (root.formatVersion !== 1) throw new InputError(`${where}: formatVersion ${JSON.stringify(root.formatVersion)} is not one this rolec reads (1)`);
  if (!Array.isArray(root.artifacts)) throw new InputError(`${where}: "artifacts" is not a list`);
  return root.artifacts.map((entry: unknown, i) => {
    const { path: name, sha256 } = (entry ?? {}) as { path?: unknown; sha256?: unknown };
    // A manifest names files beside it; a path that leaves the folder is not one compile writes.
    if (typeof name !== "string" || name === "" || name.includes("/") || name.includes("\\") || name === "." || name === ".." || name.includes("\u0000")) {
      throw new InputError(`${where}: artifacts[${i}].path is not a file name in the folder`);
    }
    if (typeof sha256 !== "string" || !/^[0-9a-f]{64}$/.test(sha256)) throw new InputError(`${where}: artifacts[${i}].sha256 is not a SHA-256 in hex`);
    return { path: name, sha256 };
  });
}

function readArtifact(dir: string, name: string): Buffer {
  try {
    return readFileSync(path.join(dir, name));
  } catch (error) {
    throw new InputError(`cannot read ${path.join(dir, name)}: ${describeFsError(error as NodeJS.ErrnoException)}`);
  }
}
