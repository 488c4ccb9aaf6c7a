import { AuditWriter } from "../audit/index.js";

/** When an entry must be on disk: before the statement it records goes to the database, or whenever the system writes it. */
export type AuditSyncPolicy = "entry" | "none";

/**
 * The proxy's audit log, committed in groups. Every entry is written at once, in the order
 * decisions are made; under the `entry` policy the action it records (a statement forwarded, a
 * session let in) waits until an fsync has put the entry on disk. One fsync, run off the event
 * loop, covers every entry written while the previous one ran, so eight busy sessions pay for one
 * fsync between them, not eight, and no session waits on another's disk write in the loop.
 *
 * A log that cannot be written is fatal: `onFailure` is told, and nothing waiting runs (a proxy
 * that cannot record its decisions must not go on making them).
 */
export class AuditTrail {
  private waiting: (() => void)[] = [];
  private syncing = false;
  private failed = false;
  private closed = false;

  constructor(
    private readonly writer: AuditWriter,
    private readonly policy: AuditSyncPolicy,
    private readonly onFailure: (error: Error) => void,
  ) {}

  static open(file: string, options: { policy: AuditSyncPolicy; rotateBytes?: number; onFailure: (error: Error) => void }): AuditTrail {
    const writer = AuditWriter.open(file, { fsync: "none", ...(options.rotateBytes !== undefined ? { rotateBytes: options.rotateBytes } : {}) });
    return new AuditTrail(writer, options.policy, options.onFailure);
  }

  /** Writes an entry; `then` runs once the policy says the entry is kept. */
  record(fields: Readonly<Record<string, unknown>>, then: () => void = () => {}): void {
    if (this.failed || this.closed) return;
    try {
      this.writer.append(fields);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (this.policy === "none") {
      then();
      return;
    }
    this.waiting.push(then);
    if (!this.syncing) this.sync();
  }

  get head(): string {
    return this.writer.head;
  }

  /** Puts everything written on disk and closes the file. */
  close(): void {
    if (this.failed || this.closed) return;
    this.closed = true;
    this.writer.close();
  }

  private sync(): void {
    this.syncing = true;
    const batch = this.waiting;
    this.waiting = [];
    this.writer.flush((error) => {
      this.syncing = false;
      // close() synced everything itself; a flush still under way found the file closed.
      if (this.closed) return;
      if (error) {
        this.fail(error);
        return;
      }
      for (const then of batch) then();
      if (this.waiting.length > 0 && !this.failed) this.sync();
    });
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.waiting = [];
    this.onFailure(error);
  }
}
