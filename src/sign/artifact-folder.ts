import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readRegularFile } from "../load/read-small-file.js";
import path from "node:path";
import { InputError } from "../diagnostics/input-error.js";
import { fingerprint, type SshPublicKey } from "./ssh-keys.js";
import { verifySsh } from "./ssh-signature.js";

/** The signature `rolec compile --sign` writes beside the manifest, and the namespace it signs in. */
export const signatureFile = "manifest.json.sig";
export const signatureNamespace = "rolec-artifacts";

export interface CheckedFolder {
  readonly manifestBytes: Buffer;
  /** Every file the manifest lists, as read (and hashed). */
  readonly files: ReadonlyMap<string, Buffer>;
  /** The signing key's fingerprint, when a key was given and the signature is its. */
  readonly signedBy?: string;
}

/**
 * Checks a folder `rolec compile` wrote: with a public key, first that manifest.json.sig is that
 * key's signature of manifest.json; then that every file the manifest lists has the SHA-256 it
 * records. Refuses with an InputError that names the file and what is wrong. Files are returned
 * as the bytes that were hashed, so nothing swapped afterwards can be read in their place.
 */
export function checkArtifactFolder(dir: string, publicKey?: SshPublicKey): CheckedFolder {
  const manifestBytes = readArtifact(dir, "manifest.json");
  let signedBy: string | undefined;
  if (publicKey) {
    const signaturePath = path.join(dir, signatureFile);
    if (!existsSync(signaturePath)) throw new InputError(`${signaturePath} is missing: the artifacts are not signed (rolec compile --sign KEY signs them)`);
    const armored = readRegularFile(signaturePath, signaturePath, 64 * 1024).toString("latin1");
    verifySsh(manifestBytes, armored, signatureNamespace, publicKey, path.join(dir, signatureFile));
    signedBy = fingerprint(publicKey);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestBytes.toString("utf8"));
  } catch (error) {
    throw new InputError(`${path.join(dir, "manifest.json")} is not JSON: ${(error as Error).message}`);
  }
  const files = new Map<string, Buffer>();
  for (const { path: name, sha256 } of artifactList(manifest, path.join(dir, "manifest.json"))) {
    const bytes = readArtifact(dir, name);
    const actual = createHash("sha256").update(bytes).digest("hex");
    if (actual !== sha256) throw new InputError(`${path.join(dir, name)} does not match manifest.json (its SHA-256 is ${actual}, the manifest records ${sha256}); it was changed after rolec compile wrote it`);
    files.set(name, bytes);
  }
  return { manifestBytes, files, ...(signedBy ? { signedBy } : {}) };
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

/** An artifact file: a regular file (a FIFO or a device in its place is refused, never waited on), at most 2 GiB. */
function readArtifact(dir: string, name: string): Buffer {
  return readRegularFile(path.join(dir, name), path.join(dir, name), 2 ** 31 - 1);
}
