import { AuditWriter } from "../audit/index.js";

/** When an entry must be on disk: before the statement it records goes to the database, or whenever the system writes it. */
export type AuditSyncPolicy = "entry" | "none";

/**
 * The proxy's audit log, committed in groups. Entries are chained in the order decisions are
 * made and kept in memory until the end of the event loop's turn; then every entry made in that
 * turn is written in one call and (policy `entry`) forced to disk with one fsync, run off the
 * event loop. The action an entry records (a statement forwarded, a session let in) waits until
 * its entry is written, and under `entry` until it is on disk: eight busy sessions pay for one
 * write and one fsync between them, not eight, and none waits on another's disk in the loop.
 *
 * A log that cannot be written is fatal: `onFailure` is told, and nothing waiting runs (a proxy
 * that cannot record its decisions must not go on making them).
 */
export class AuditTrail {
  private waiting: (() => void)[] = [];
  private scheduled = false;
  private syncing = false;
  private failed = false;
  private closed = false;

  constructor(
    private readonly writer: AuditWriter,
    private readonly policy: AuditSyncPolicy,
    private readonly onFailure: (error: Error) => void,
  ) {}

  static open(file: string, options: { policy: AuditSyncPolicy; rotateBytes?: number; onFailure: (error: Error) => void }): AuditTrail {
    const writer = AuditWriter.open(file, { fsync: "none", deferWrites: true, ...(options.rotateBytes !== undefined ? { rotateBytes: options.rotateBytes } : {}) });
    return new AuditTrail(writer, options.policy, options.onFailure);
  }

  /** Records an entry; `then` runs once the policy says the entry is kept. */
  record(fields: Readonly<Record<string, unknown>>, then: () => void = () => {}): void {
    if (this.failed || this.closed) return;
    try {
      this.writer.append(fields);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    this.waiting.push(then);
    this.schedule();
  }

  get head(): string {
    return this.writer.head;
  }

  /** Writes everything recorded, puts it on disk and closes the file. */
  close(): void {
    if (this.failed || this.closed) return;
    this.closed = true;
    this.writer.close();
  }

  private schedule(): void {
    if (this.scheduled || this.syncing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.commit();
    });
  }

  private commit(): void {
    if (this.failed || this.closed || this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    try {
      this.writer.writePending();
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (this.policy === "none") {
      for (const then of batch) then();
      return;
    }
    this.syncing = true;
    this.writer.flush((error) => {
      this.syncing = false;
      // close() synced everything itself; a flush still under way found the file closed.
      if (this.closed) return;
      if (error) {
        this.fail(error);
        return;
      }
      for (const then of batch) then();
      if (this.waiting.length > 0) this.schedule();
    });
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.waiting = [];
    this.onFailure(error);
  }
}
