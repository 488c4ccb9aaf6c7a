import { createHash } from "node:crypto";
import path from "node:path";
import { InputError } from "../diagnostics/input-error.js";
import { readAllowlist, type Allowlist } from "../enforce/index.js";
import { checkArtifactFolder, type SshPublicKey } from "../sign/index.js";

/** An artifacts folder as `rolec compile` wrote it, every file checked against its manifest. */
export interface VerifiedArtifacts {
  readonly allowlist: Allowlist;
  readonly manifestSha256: string;
  /** The signing key's fingerprint, when the proxy was given a key. */
  readonly signedBy?: string;
}

/**
 * Reads `manifest.json` and every file it lists, and refuses the folder unless each file's
 * SHA-256 is the one the manifest records and the allow-list is among them; given a public key,
 * also unless manifest.json.sig is that key's signature of the manifest. The allow-list is read
 * from the very bytes that were hashed, so a file swapped between the check and the read cannot
 * slip in.
 */
export function loadVerifiedArtifacts(dir: string, publicKey?: SshPublicKey): VerifiedArtifacts {
  const folder = checkArtifactFolder(dir, publicKey);
  const allowlistBytes = folder.files.get("allowlist.json");
  if (!allowlistBytes) throw new InputError(`${path.join(dir, "manifest.json")} lists no allowlist.json; compile with the allowlist target (rolec compile --target allowlist)`);
  let allowlist: Allowlist;
  try {
    allowlist = readAllowlist(allowlistBytes);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${path.join(dir, "allowlist.json")}: ${error.message}`);
    throw error;
  }
  return { allowlist, manifestSha256: createHash("sha256").update(folder.manifestBytes).digest("hex"), ...(folder.signedBy ? { signedBy: folder.signedBy } : {}) };
}
