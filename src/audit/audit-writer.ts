import { closeSync, existsSync, fstatSync, fsync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { basename } from "node:path";
import { InputError } from "../diagnostics/input-error.js";
import { chainLine, genesisHash, readChainLine, type EntryFields } from "./chain.js";

export interface AuditWriterOptions {
  /**
   * When to force entries to disk: `entry` after each one (nothing acknowledged is ever lost), or
   * `none`, leaving it to the operating system (an entry may be lost in a crash of the machine,
   * never reordered, and the chain stays whole up to the last entry that reached the disk).
   */
  readonly fsync?: "entry" | "none";
  /**
   * Keep entries in memory until `writePending` (or a flush, rotation or close) writes them in
   * one system call: for a writer that commits entries in groups (the proxy), where one write per
   * entry would cost more than deciding the statement it records.
   */
  readonly deferWrites?: boolean;
  /** Start a new file once the current one holds this many bytes; the chain continues into it. */
  readonly rotateBytes?: number;
  /** For tests: the clock. */
  readonly now?: () => Date;
}

/**
 * Appends entries to an audit log, each chained to the one before. Opening an existing log
 * continues its chain from its last entry (after checking that the last line is whole); a log
 * whose last line is not an entry is refused rather than extended, since a new chain there would
 * hide where it broke. Rotation renames the file to `FILE.<first seq>` and starts FILE afresh,
 * its first entry chained to the renamed file's last.
 */
export class AuditWriter {
  private fd: number;
  /** The first entry's number in the current file, which names the file when it is rotated. */
  private firstSeq: number;
  private seq: number;
  private prev: string;
  private size: number;
  private pending: Buffer[] = [];
  /** Counts rotations, so that a flush that finds its file rotated away knows the rotation synced it. */
  private generation = 0;
  private readonly now: () => Date;

  private constructor(
    private readonly path: string,
    private readonly options: AuditWriterOptions,
    state: { fd: number; seq: number; prev: string; size: number; firstSeq: number },
  ) {
    this.fd = state.fd;
    this.seq = state.seq;
    this.prev = state.prev;
    this.size = state.size;
    this.firstSeq = state.firstSeq;
    this.now = options.now ?? (() => new Date());
  }

  static open(path: string, options: AuditWriterOptions = {}): AuditWriter {
    let seq = 0;
    let prev = genesisHash;
    let firstSeq = 1;
    if (existsSync(path)) {
      const lines = readFileSync(path, "utf8").split("\n");
      if (lines.at(-1) !== "") throw new InputError(`${path}: its last line is unfinished; check it with rolec audit verify, then move it aside`);
      const entries = lines.slice(0, -1);
      if (entries.length > 0) {
        const first = readChainLine(entries[0]!);
        const last = readChainLine(entries.at(-1)!);
        if (!first || !last || !last.hashMatches) throw new InputError(`${path}: its last entry does not check out; run rolec audit verify on it, then move it aside`);
        firstSeq = first.seq;
        seq = last.seq;
        prev = last.hash;
      }
    }
    const fd = openSync(path, "a", 0o600);
    return new AuditWriter(path, options, { fd, seq, prev, size: fstatSync(fd).size, firstSeq });
  }

  /** The hash of the last entry written: what `rolec audit digest` prints for this log. */
  get head(): string {
    return this.prev;
  }

  /** Writes one entry (an object of plain JSON fields) and returns its hash. */
  append(fields: EntryFields): string {
    for (const key of ["seq", "prev", "hash", "time"]) if (key in fields) throw new Error(`bug: an audit entry may not set ${key}`);
    if (this.options.rotateBytes !== undefined && this.size >= this.options.rotateBytes) this.rotate();
    const { line, hash } = chainLine(this.seq + 1, this.prev, { time: this.now().toISOString(), ...fields });
    const bytes = Buffer.from(`${line}\n`, "utf8");
    if (this.options.deferWrites) this.pending.push(bytes);
    else {
      writeSync(this.fd, bytes);
      if ((this.options.fsync ?? "entry") === "entry") fsyncSync(this.fd);
    }
    this.seq++;
    this.prev = hash;
    this.size += bytes.length;
    return hash;
  }

  /** Writes the entries kept in memory (deferWrites), in one call. */
  writePending(): void {
    if (this.pending.length === 0) return;
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written);
  }

  /**
   * Forces what was written to disk without blocking the caller (the fsync runs on libuv's
   * thread pool), then calls back: how a writer with `fsync: "none"` commits a group of entries
   * with one fsync. A rotation in between synced the old file itself before closing it.
   */
  flush(done: (error: Error | null) => void): void {
    const generation = this.generation;
    fsync(this.fd, (error) => done(error && generation === this.generation ? error : null));
  }

  close(): void {
    this.writePending();
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  private rotate(): void {
    this.writePending();
    fsyncSync(this.fd);
    closeSync(this.fd);
    const rotated = `${this.path}.${String(this.firstSeq).padStart(12, "0")}`;
    renameSync(this.path, rotated);
    this.generation++;
    this.fd = openSync(this.path, "a", 0o600);
    this.size = 0;
    this.firstSeq = this.seq + 1;
    // The new file says where its chain comes from; its first entry names the rotated file's last.
    const { line, hash } = chainLine(this.seq + 1, this.prev, { time: this.now().toISOString(), event: "rotated", continues: basename(rotated) });
    const bytes = Buffer.from(`${line}\n`, "utf8");
    writeSync(this.fd, bytes);
    fsyncSync(this.fd);
    this.seq++;
    this.prev = hash;
    this.size = bytes.length;
  }
}
