import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { InputError } from "../diagnostics/input-error.js";
import { WireError, WireReader, wireString } from "./ssh-wire.js";

/** An Ed25519 key as SSH names it: the key, and its public half in SSH's wire form. */
export interface SshPublicKey {
  readonly key: KeyObject;
  /** `string "ssh-ed25519" || string key`, as signatures embed it. */
  readonly blob: Buffer;
}

export interface SshPrivateKey {
  readonly key: KeyObject;
  readonly publicKey: SshPublicKey;
}

const keyType = "ssh-ed25519";

/** `SHA256:...`, the fingerprint `ssh-keygen -l` prints. */
export function fingerprint(publicKey: SshPublicKey): string {
  return `SHA256:${createHash("sha256").update(publicKey.blob).digest("base64").replace(/=+$/, "")}`;
}

function publicFromRaw(raw: Buffer): SshPublicKey {
  if (raw.length !== 32) throw new InputError("an Ed25519 public key is 32 bytes");
  return { key: createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" }), blob: Buffer.concat([wireString(keyType), wireString(raw)]) };
}

/**
 * Reads a public key as `ssh-keygen` writes it (`ssh-ed25519 AAAA... comment`), alone or as a
 * line of an allowed_signers file (`principal ssh-ed25519 AAAA...`). Only Ed25519 is taken.
 */
export function parseSshPublicKey(text: string, where: string): SshPublicKey {
  const words = text.trim().split(/\s+/);
  const at = words.indexOf(keyType);
  if (at === -1 || at + 1 >= words.length) {
    const other = words.find((w) => /^(ssh-|ecdsa-|sk-)/.test(w));
    throw new InputError(`${where} holds no ssh-ed25519 public key${other ? ` (it holds a ${other} key; rolec signs and verifies with Ed25519 keys: ssh-keygen -t ed25519)` : ""}`);
  }
  try {
    const reader = new WireReader(Buffer.from(words[at + 1]!, "base64"), where);
    if (reader.text() !== keyType) throw new InputError(`${where}: the key's data is not an ssh-ed25519 key`);
    const raw = reader.string();
    if (!reader.done) throw new InputError(`${where}: the key's data has bytes after the key`);
    return publicFromRaw(raw);
  } catch (error) {
    if (error instanceof WireError) throw new InputError(`${where}: the key's data is cut short`);
    throw error;
  }
}

/**
 * Reads an Ed25519 private key: OpenSSH's format (what `ssh-keygen -t ed25519` writes), without a
 * passphrase, or PKCS#8 PEM. An encrypted key is refused with a message; nothing of the key is
 * ever shown.
 */
export function parseSshPrivateKey(text: string, where: string): SshPrivateKey {
  const openssh = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (openssh) return parseOpenSshPrivateKey(Buffer.from(openssh[1]!.replace(/\s+/g, ""), "base64"), where);
  if (/-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/.test(text)) {
    if (text.includes("ENCRYPTED PRIVATE KEY")) throw new InputError(`${where} is encrypted; rolec reads an unencrypted key (keep it in a secret store and pass it in an environment variable)`);
    let key: KeyObject;
    try {
      key = createPrivateKey(text);
    } catch {
      throw new InputError(`${where} is not a private key rolec can read`);
    }
    if (key.asymmetricKeyType !== "ed25519") throw new InputError(`${where} is a ${key.asymmetricKeyType} key; rolec signs with Ed25519 keys (ssh-keygen -t ed25519)`);
    const x = Buffer.from((createPublicKey(key).export({ format: "jwk" }) as { x: string }).x, "base64url");
    return { key, publicKey: publicFromRaw(x) };
  }
  throw new InputError(`${where} is not a private key (expected OpenSSH's "BEGIN OPENSSH PRIVATE KEY" or PKCS#8 PEM)`);
}

function parseOpenSshPrivateKey(bytes: Buffer, where: string): SshPrivateKey {
  const magic = Buffer.from("openssh-key-v1\0", "latin1");
  if (bytes.length < magic.length || !bytes.subarray(0, magic.length).equals(magic)) throw new InputError(`${where} is not an OpenSSH private key`);
  try {
    const reader = new WireReader(bytes.subarray(magic.length), where);
    const cipher = reader.text();
    reader.text(); // kdf name
    reader.string(); // kdf options
    if (cipher !== "none") throw new InputError(`${where} is protected by a passphrase; rolec reads an unencrypted key (ssh-keygen -p -N "" -f KEY writes one; keep it in a secret store)`);
    if (reader.uint32() !== 1) throw new InputError(`${where} holds several keys; give rolec a file with one`);
    reader.string(); // the public key, repeated inside
    const inner = new WireReader(reader.string(), where);
    if (inner.uint32() !== inner.uint32()) throw new InputError(`${where} is damaged (its check numbers differ)`);
    const type = inner.text();
    if (type !== keyType) throw new InputError(`${where} is a ${type} key; rolec signs with Ed25519 keys (ssh-keygen -t ed25519)`);
    const pub = inner.string();
    const secret = inner.string();
    if (pub.length !== 32 || secret.length !== 64) throw new InputError(`${where} is damaged (its key has the wrong length)`);
    const key = createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", d: secret.subarray(0, 32).toString("base64url"), x: pub.toString("base64url") }, format: "jwk" });
    return { key, publicKey: publicFromRaw(pub) };
  } catch (error) {
    if (error instanceof WireError) throw new InputError(`${where} is damaged (it ends early)`);
    throw error;
  }
}
