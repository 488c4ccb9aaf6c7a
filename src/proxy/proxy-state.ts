import type tls from "node:tls";
import type { Allowlist, DecisionCache } from "../enforce/index.js";
import type { AuditTrail } from "./audit-trail.js";
import type { UpstreamTarget } from "./upstream.js";

/** The rules in force: one allow-list and its decisions. A reload replaces the pair at once. */
export interface RulesInForce {
  readonly allowlist: Allowlist;
  readonly cache: DecisionCache;
}

/** What every session shares: the rules in force, where the server is, how clients log in, the audit log. */
export interface ProxyState {
  readonly current: RulesInForce;
  readonly upstream: UpstreamTarget;
  /** `scram`: a client is let in only once the server has authenticated it with SCRAM-SHA-256; `trust`: as the server decides. */
  readonly auth: "scram" | "trust";
  /** TLS for clients, when the proxy has a certificate. */
  readonly clientTls: tls.SecureContext | undefined;
  /** The certificate the proxy presents to clients (DER): channel binding passes through when the server presents the same. */
  readonly clientTlsCertificate: Buffer | undefined;
  /** Refuse clients that do not use TLS. */
  readonly requireTls: boolean;
  readonly audit: AuditTrail;
  /** Keep each statement's text in the audit log (off by default: statements carry values). */
  readonly auditText: boolean;
  nextSessionId(): string;
  /** Passes a CancelRequest on to the server (its key is the server's own, passed to the client unchanged). */
  forwardCancel(request: Buffer): void;
  sessionClosed(session: unknown): void;
}
