import { createHash } from "node:crypto";

// The audit log's chain. Each entry is one line of JSON that ends with its own hash:
//
//   {"seq":7,"time":"...","event":"decision",...,"prev":"<hash of entry 6>","hash":"<hash>"}
//
// `hash` is the SHA-256 of the line's bytes up to and without `,"hash":"..."` (closed with `}`),
// so an entry is checked byte for byte, with no second serialisation that could disagree with
// the first. Each entry names the previous one's hash and numbers itself one higher: an edited,
// deleted, inserted or reordered entry breaks the chain at that place. A truncated tail leaves a
// shorter but whole chain, which only a head hash kept elsewhere (`rolec audit digest`) exposes.

/** The `prev` of the very first entry of a log. */
export const genesisHash = "0".repeat(64);

const hashSuffix = /,"hash":"([0-9a-f]{64})"\}$/;

/** An entry's fields, without the chain's own (`seq`, `prev`, `hash`). */
export type EntryFields = Readonly<Record<string, unknown>>;

/** The line for an entry: its fields between `seq` and `prev`, then its hash. */
export function chainLine(seq: number, prev: string, fields: EntryFields): { line: string; hash: string } {
  const body = JSON.stringify({ seq, ...fields, prev });
  const hash = sha256(body);
  return { line: `${body.slice(0, -1)},"hash":"${hash}"}`, hash };
}

/** A line read back: its number, the hash it names as previous, its own hash, and whether that hash is right. */
export interface ReadEntry {
  readonly seq: number;
  readonly prev: string;
  readonly hash: string;
  readonly hashMatches: boolean;
  readonly fields: Record<string, unknown>;
}

/** Reads one line; undefined when it is not an entry at all (not JSON, or without the chain's fields). */
export function readChainLine(line: string): ReadEntry | undefined {
  const suffix = hashSuffix.exec(line);
  if (!suffix) return undefined;
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { seq, prev, hash } = fields;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || typeof prev !== "string" || typeof hash !== "string") return undefined;
  const body = `${line.slice(0, suffix.index)}}`;
  return { seq, prev, hash, hashMatches: sha256(body) === suffix[1], fields };
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
