import type { StatementDecision } from "../enforce/index.js";

/** A client message forwarded to the server and not yet answered in full. */
export type Pending =
  /** A Query (or a denied function call): answered in full by ReadyForQuery. */
  | { readonly kind: "simple"; readonly denial?: string; readonly effects?: readonly StatementDecision[]; readonly allowlistSha256?: string; completed: number }
  /**
   * A Parse or a Bind. The session records the statement or portal when it forwards the message
   * (a Bind or Execute right behind it in the same batch uses it before the server answers);
   * `onFailed` takes the record back when the server refuses the message or skips it.
   */
  | { readonly kind: "parse" | "bind"; readonly denial?: string; readonly onFailed?: () => void }
  /** Another extended-protocol message, answered by one completion (or an error that skips to Sync). */
  | { readonly kind: "describe" | "execute" | "close"; readonly denial?: string }
  | { readonly kind: "sync"; readonly denial?: undefined };

/**
 * Matches the server's answers to the messages the client sent, in order, as the protocol pairs
 * them: ParseComplete, BindComplete and CloseComplete answer one message each; a Describe ends
 * with RowDescription or NoData; an Execute with CommandComplete, EmptyQueryResponse or
 * PortalSuspended; a Query and a Sync with ReadyForQuery. After an error in an extended-protocol
 * message the server skips everything up to the next Sync, answering none of it, and so does
 * the tracker (also for messages that reach the server after the error did).
 */
export class ResponseTracker {
  private readonly queue: Pending[] = [];
  private simpleCount = 0;
  private skipping = false;

  expect(pending: Pending): void {
    if (this.skipping) {
      if (pending.kind !== "sync") {
        failed(pending);
        return;
      }
      this.skipping = false;
    }
    this.queue.push(pending);
    if (pending.kind === "simple") this.simpleCount++;
  }

  /** True while a Query is unanswered: nothing after it may be decided yet. */
  get simpleQueryPending(): boolean {
    return this.simpleCount > 0;
  }

  /** True when the server has answered everything sent. */
  get idle(): boolean {
    return this.queue.length === 0;
  }

  /** Takes note of a message from the server; returns the pending message it belongs to, if any. */
  onServerMessage(type: number): Pending | undefined {
    const head = this.queue[0];
    switch (type) {
      case 0x5a: // ReadyForQuery
        this.shift();
        return head;
      case 0x31: // ParseComplete
      case 0x32: // BindComplete
      case 0x33: // CloseComplete
        this.shift();
        return head;
      case 0x54: // RowDescription
      case 0x6e: // NoData
        if (head?.kind === "describe") this.shift();
        return head;
      case 0x43: // CommandComplete
      case 0x49: // EmptyQueryResponse
      case 0x73: // PortalSuspended
        if (head?.kind === "execute") this.shift();
        return head;
      case 0x45: // ErrorResponse
        if (head && head.kind !== "simple" && head.kind !== "sync") {
          while (this.queue.length > 0 && this.queue[0]!.kind !== "sync") failed(this.queue.shift()!);
          if (this.queue.length === 0) this.skipping = true;
        }
        return head;
      default:
        return undefined;
    }
  }

  private shift(): void {
    const gone = this.queue.shift();
    if (gone?.kind === "simple") this.simpleCount--;
  }
}

function failed(pending: Pending): void {
  if (pending.kind === "parse" || pending.kind === "bind") pending.onFailed?.();
}
