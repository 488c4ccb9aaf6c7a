import { InputError } from "../diagnostics/input-error.js";
import { checkArtifactFolder, keySource, readPublicKey, signatureFile } from "../sign/index.js";
import { readdirSync } from "node:fs";
import { writeStderr, writeStdout } from "./output.js";

/**
 * `rolec verify-artifacts DIR --key PUB`: the signature over manifest.json, then every file
 * against the manifest. Exit 0 when all check out; an InputError (exit 1) names what does not.
 */
export function verifyArtifactsCommand(options: { dir: string; key: string | undefined; keyEnv: string | undefined; format: "text" | "json" }): number {
  const source = keySource(options.key, options.keyEnv, "key");
  if (!source) throw new InputError(`verify-artifacts needs the signer's public key: --key FILE or --key-env NAME (to check the files against the manifest alone, rolec proxy and rolec verify do that too)`);
  const folder = checkArtifactFolder(options.dir, readPublicKey(source));
  const files = [...folder.files.keys()];
  // Files beside the manifest that it does not list are vouched for by nothing: said, so that nobody deploys them as reviewed.
  const covered = new Set(["manifest.json", signatureFile, ...files]);
  const unlisted = readdirSync(options.dir).filter((name) => !covered.has(name) && !name.startsWith(".")).sort();
  if (options.format === "json") writeStdout(JSON.stringify({ ok: true, dir: options.dir, signedBy: folder.signedBy, files: ["manifest.json", signatureFile, ...files], unlisted }, null, 2) + "\n");
  else writeStdout(`${options.dir}: manifest.json signed by ${folder.signedBy}; ${files.length} file${files.length === 1 ? "" : "s"} match it (${files.join(", ")})\n`);
  if (unlisted.length > 0 && options.format === "text") writeStderr(`note: the manifest does not list ${unlisted.join(", ")}: nothing vouches for ${unlisted.length === 1 ? "it" : "them"}\n`);
  return 0;
}
