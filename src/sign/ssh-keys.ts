import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
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
 * Reads one public key as `ssh-keygen` writes it (`ssh-ed25519 AAAA... comment`), or one line of
 * an allowed_signers file without options (`principal ssh-ed25519 AAAA...`). Blank lines and `#`
 * comments are passed over; several keys, options (namespaces=, valid-before=, cert-authority),
 * other key types and base64 that is not canonical are refused, so that the key rolec checks is
 * the one a reader of the file sees. Only Ed25519 is taken.
 */
export function parseSshPublicKey(text: string, where: string): SshPublicKey {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  if (lines.length === 0) throw new InputError(`${where} holds no public key`);
  if (lines.length > 1) throw new InputError(`${where} holds ${lines.length} lines of keys; give a file with the one key that signs`);
  const words = lines[0]!.split(/\s+/);
  const at = words.indexOf(keyType);
  if (at === -1 || at + 1 >= words.length || at > 1) {
    const other = words.find((w) => /^(ssh-|ecdsa-|sk-)/.test(w));
    if (other && other !== keyType) throw new InputError(`${where} holds a ${other} key; rolec signs and verifies with Ed25519 keys (ssh-keygen -t ed25519)`);
    throw new InputError(`${where} is not a public key line ("ssh-ed25519 AAAA..." or "principal ssh-ed25519 AAAA..."; allowed_signers options are not taken)`);
  }
  const encoded = words[at + 1]!;
  const bytes = Buffer.from(encoded, "base64");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || bytes.toString("base64") !== encoded) throw new InputError(`${where}: the key's data is not base64`);
  try {
    const reader = new WireReader(bytes, where);
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
    // The type is named only when it is one SSH has: the field lies inside the secret part of the file.
    if (type !== keyType) throw new InputError(`${where} is ${/^(ssh-(rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-[a-z0-9@.-]+)$/.test(type) ? `a ${type} key` : "not an Ed25519 key"}; rolec signs with Ed25519 keys (ssh-keygen -t ed25519)`);
    const pub = inner.string();
    const secret = inner.string();
    if (pub.length !== 32 || secret.length !== 64) throw new InputError(`${where} is damaged (its key has the wrong length)`);
    if (!secret.subarray(32).equals(pub)) throw new InputError(`${where} is damaged (its public half does not match its secret)`);
    const key = createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", d: secret.subarray(0, 32).toString("base64url"), x: pub.toString("base64url") }, format: "jwk" });
    const publicKey = publicFromRaw(pub);
    // The public half is not taken on the file's word: a key whose halves disagree would sign what never verifies.
    const probe = Buffer.from("rolec key check");
    if (!verify(null, probe, publicKey.key, sign(null, probe, key))) throw new InputError(`${where} is damaged (its public half does not match its secret)`);
    return { key, publicKey };
  } catch (error) {
    if (error instanceof WireError) throw new InputError(`${where} is damaged (it ends early)`);
    throw error;
  }
}
