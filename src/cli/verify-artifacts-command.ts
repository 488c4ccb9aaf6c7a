import { InputError } from "../diagnostics/input-error.js";
import { checkArtifactFolder, keySource, readPublicKey, signatureFile } from "../sign/index.js";
import { writeStdout } from "./output.js";

/**
 * `rolec verify-artifacts DIR --key PUB`: the signature over manifest.json, then every file
 * against the manifest. Exit 0 when all check out; an InputError (exit 1) names what does not.
 */
export function verifyArtifactsCommand(options: { dir: string; key: string | undefined; keyEnv: string | undefined; format: "text" | "json" }): number {
  const source = keySource(options.key, options.keyEnv, "key");
  if (!source) throw new InputError(`verify-artifacts needs the signer's public key: --key FILE or --key-env NAME (to check the files against the manifest alone, rolec proxy and rolec verify do that too)`);
  const folder = checkArtifactFolder(options.dir, readPublicKey(source));
  const files = [...folder.files.keys()];
  if (options.format === "json") writeStdout(JSON.stringify({ ok: true, dir: options.dir, signedBy: folder.signedBy, files: ["manifest.json", signatureFile, ...files] }, null, 2) + "\n");
  else writeStdout(`${options.dir}: manifest.json signed by ${folder.signedBy}; ${files.length} file${files.length === 1 ? "" : "s"} match it (${files.join(", ")})\n`);
  return 0;
}
