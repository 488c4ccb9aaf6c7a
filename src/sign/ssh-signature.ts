import { createHash, sign, verify } from "node:crypto";
import { InputError } from "../diagnostics/input-error.js";
import { fingerprint, type SshPrivateKey, type SshPublicKey } from "./ssh-keys.js";
import { WireError, WireReader, wireString, wireUint32 } from "./ssh-wire.js";

const magic = Buffer.from("SSHSIG", "latin1");
const begin = "-----BEGIN SSH SIGNATURE-----";
const end = "-----END SSH SIGNATURE-----";

/** What is signed: the preamble, the namespace and the message's hash (OpenSSH's PROTOCOL.sshsig). */
function signedData(namespace: string, hashAlgorithm: "sha256" | "sha512", message: Buffer): Buffer {
  return Buffer.concat([magic, wireString(namespace), wireString(""), wireString(hashAlgorithm), wireString(createHash(hashAlgorithm).update(message).digest())]);
}

/**
 * An SSH signature of `message` (OpenSSH's SSHSIG, armored), as `ssh-keygen -Y sign -n NAMESPACE`
 * writes it: `ssh-keygen -Y verify` and `ssh-keygen -Y check-novalidate` check it.
 */
export function signSsh(message: Buffer, namespace: string, privateKey: SshPrivateKey): string {
  const signature = sign(null, signedData(namespace, "sha512", message), privateKey.key);
  const blob = Buffer.concat([magic, wireUint32(1), wireString(privateKey.publicKey.blob), wireString(namespace), wireString(""), wireString("sha512"), wireString(Buffer.concat([wireString("ssh-ed25519"), wireString(signature)]))]);
  const base64 = blob.toString("base64");
  const lines = base64.match(/.{1,70}/g) ?? [];
  return `${begin}\n${lines.join("\n")}\n${end}\n`;
}

/**
 * Checks an armored SSH signature of `message`: made in `namespace`, by `publicKey`, and valid.
 * Anything else is an InputError that says which (and names the key that did sign, if another).
 */
export function verifySsh(message: Buffer, armored: string, namespace: string, publicKey: SshPublicKey, where: string): void {
  // The armor alone, and base64 that decodes back to itself: nothing a reader of the file sees is left unchecked.
  const first = armored.indexOf(begin);
  const last = first === -1 ? -1 : armored.indexOf(end, first + begin.length);
  if (first === -1 || last === -1 || armored.slice(0, first).trim() !== "" || armored.slice(last + end.length).trim() !== "") throw new InputError(`${where} is not an SSH signature (one armored block, nothing around it)`);
  const body = armored.slice(first + begin.length, last).replace(/\s+/g, "");
  const bytes = Buffer.from(body, "base64");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || bytes.toString("base64") !== body) throw new InputError(`${where} is damaged (its body is not base64)`);
  try {
    const reader = new WireReader(bytes, where);
    if (!reader.raw(6).equals(magic)) throw new InputError(`${where} is not an SSH signature`);
    const version = reader.uint32();
    if (version !== 1) throw new InputError(`${where}: SSH signature version ${version} is not one rolec reads (1)`);
    const signer = reader.string();
    const signedNamespace = reader.text();
    reader.string(); // reserved
    const hash = reader.text();
    const signature = new WireReader(reader.string(), where);
    if (!reader.done) throw new InputError(`${where} is damaged (bytes after the signature)`);
    if (!signer.equals(publicKey.blob)) {
      let other = "another key";
      try {
        const t = new WireReader(signer, where);
        if (t.text() === "ssh-ed25519") other = fingerprint({ key: publicKey.key, blob: signer });
      } catch {
        // the name of a key that is not Ed25519 is not worth a second message
      }
      throw new InputError(`${where} was made by ${other}, not by the key given (${fingerprint(publicKey)})`);
    }
    if (signedNamespace !== namespace) throw new InputError(`${where} was made for ${JSON.stringify(signedNamespace)}, not for ${JSON.stringify(namespace)}: it signs something else`);
    if (hash !== "sha512" && hash !== "sha256") throw new InputError(`${where} uses the hash ${JSON.stringify(hash)}; SSH signatures use sha256 or sha512`);
    if (signature.text() !== "ssh-ed25519") throw new InputError(`${where} is not an Ed25519 signature`);
    const raw = signature.string();
    if (!signature.done || raw.length !== 64) throw new InputError(`${where} is damaged (the Ed25519 signature is not 64 bytes alone)`);
    if (!verify(null, signedData(namespace, hash, message), publicKey.key, raw)) throw new InputError(`${where} does not match: the signed file was changed after it was signed, or the signature was`);
  } catch (error) {
    if (error instanceof WireError) throw new InputError(`${where} is damaged (it ends early)`);
    throw error;
  }
}
