import { InputError } from "../diagnostics/input-error.js";
import { readRegularFile } from "../load/read-small-file.js";
import { parseSshPrivateKey, parseSshPublicKey, type SshPrivateKey, type SshPublicKey } from "./ssh-keys.js";

/** Where a key comes from: a file, or an environment variable holding the key's text (a CI secret). */
export type KeySource = { readonly file: string } | { readonly env: string };

/** `--sign FILE` / `--sign-env NAME` (or `--key` / `--key-env`): at most one, turned into a source. */
export function keySource(file: string | undefined, env: string | undefined, option: string): KeySource | undefined {
  if (file !== undefined && env !== undefined) throw new InputError(`--${option} and --${option}-env both name a key; give one`);
  if (file !== undefined) return { file };
  if (env !== undefined) return { env };
  return undefined;
}

function keyText(source: KeySource): { text: string; where: string } {
  if ("env" in source) {
    const text = process.env[source.env];
    if (text === undefined || text.trim() === "") throw new InputError(`the environment variable ${source.env} is not set or empty; it should hold the key`);
    return { text, where: `the key in ${source.env}` };
  }
  return { text: readRegularFile(source.file, `the key ${JSON.stringify(source.file)}`, 64 * 1024).toString("utf8"), where: source.file };
}

export function readPrivateKey(source: KeySource): SshPrivateKey {
  const { text, where } = keyText(source);
  return parseSshPrivateKey(text, where);
}

export function readPublicKey(source: KeySource): SshPublicKey {
  const { text, where } = keyText(source);
  if (/PRIVATE KEY-----/.test(text)) throw new InputError(`${where} is a private key; give the public one (the .pub file ssh-keygen wrote beside it)`);
  return parseSshPublicKey(text, where);
}
