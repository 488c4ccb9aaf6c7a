import { randomBytes, X509Certificate } from "node:crypto";
import net from "node:net";
import tls from "node:tls";
import { DecisionCache, loadSqlParser } from "../enforce/index.js";
import { InputError } from "../diagnostics/input-error.js";
import { loadVerifiedArtifacts } from "./artifacts.js";
import type { SshPublicKey } from "../sign/index.js";
import { AuditTrail, type AuditSyncPolicy } from "./audit-trail.js";
import type { ProxyState, RulesInForce } from "./proxy-state.js";
import { ProxySession } from "./session.js";
import { connectUpstream, type UpstreamTarget } from "./upstream.js";

export interface ProxyOptions {
  readonly artifactsDir: string;
  readonly listen: { readonly host: string; readonly port: number };
  readonly upstream: UpstreamTarget;
  readonly auditLog: string;
  readonly auth: "scram" | "trust";
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer; readonly require: boolean };
  readonly auditText: boolean;
  readonly auditSync: AuditSyncPolicy;
  readonly auditRotateBytes?: number;
  /** When given, the artifacts must be signed by this key (manifest.json.sig), at start and at every reload. */
  readonly publicKey?: SshPublicKey;
  /** The audit log could not be written: the proxy has stopped taking statements. */
  readonly onAuditFailure: (error: Error) => void;
}

export type ReloadOutcome =
  | { readonly ok: true; readonly changed: boolean; readonly from: string; readonly to: string }
  | { readonly ok: false; readonly problem: string; readonly kept: string };

export interface RunningProxy {
  readonly address: { readonly host: string; readonly port: number };
  readonly allowlistSha256: string;
  /** Reads the artifacts folder again; switches to it if it checks out, keeps the rules in force if not. */
  reload(): ReloadOutcome;
  close(): Promise<void>;
}

/** An address on this machine only: `--auth trust` lets anyone who can connect choose their role. */
export function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (net.isIPv4(host)) return host.startsWith("127.");
  return host === "::1";
}

/**
 * Starts `rolec proxy`: checks the artifacts against their manifest (refusing to start on any
 * mismatch), opens the audit log, loads PostgreSQL's parser, and listens. The rules cannot be
 * changed while it runs except by `reload`, which takes a new artifacts folder whole or not at all.
 */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  if (options.auth === "trust" && !isLoopback(options.listen.host)) {
    throw new InputError(`--auth trust lets any client choose its role; it is refused on ${options.listen.host}, which is not a loopback address (127.0.0.1, ::1, localhost)`);
  }
  const artifacts = loadVerifiedArtifacts(options.artifactsDir, options.publicKey);
  // Everything that can be refused is checked before anything is written or opened.
  const clientTls = options.tls ? secureContextOf(options.tls) : undefined;
  await loadSqlParser();
  const sessions = new Set<ProxySession>();
  const prefix = randomBytes(4).toString("hex");
  let sessionCount = 0;
  let current: RulesInForce = { allowlist: artifacts.allowlist, cache: new DecisionCache(artifacts.allowlist) };
  // Connections are handled on a later turn of the event loop than the one that opens the audit
  // log below, so a session always finds it open.
  let state: ProxyState | undefined;
  const server = net.createServer((socket) => {
    if (state) sessions.add(new ProxySession(socket, state));
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(new InputError(`cannot listen on ${options.listen.host}:${options.listen.port}: ${error.code === "EADDRINUSE" ? "the address is in use" : error.message}`));
    });
    server.listen(options.listen.port, options.listen.host, () => resolve());
  });
  let audit: AuditTrail;
  try {
    audit = AuditTrail.open(options.auditLog, {
      policy: options.auditSync,
      ...(options.auditRotateBytes !== undefined ? { rotateBytes: options.auditRotateBytes } : {}),
      onFailure: (error) => {
        server.close();
        for (const session of [...sessions]) session.destroy();
        options.onAuditFailure(error);
      },
    });
  } catch (error) {
    server.close();
    throw error;
  }
  state = {
    get current() {
      return current;
    },
    upstream: options.upstream,
    auth: options.auth,
    clientTls: clientTls?.context,
    clientTlsCertificate: clientTls?.certificate,
    requireTls: options.tls?.require ?? false,
    audit,
    auditText: options.auditText,
    nextSessionId: () => `${prefix}-${++sessionCount}`,
    forwardCancel: (request) => {
      connectUpstream(options.upstream).then(
        (socket) => socket.end(request),
        () => undefined,
      );
    },
    sessionClosed: (session) => sessions.delete(session as ProxySession),
  };
  const bound = server.address() as net.AddressInfo;
  audit.record({ event: "start", allowlist: artifacts.allowlist.sha256, manifest: artifacts.manifestSha256, ...(artifacts.signedBy ? { signedBy: artifacts.signedBy } : {}), listen: `${bound.address}:${bound.port}`, upstream: `${options.upstream.host}:${options.upstream.port}`, auth: options.auth });
  return {
    address: { host: bound.address, port: bound.port },
    get allowlistSha256() {
      return current.allowlist.sha256;
    },
    reload(): ReloadOutcome {
      const from = current.allowlist.sha256;
      let next;
      try {
        next = loadVerifiedArtifacts(options.artifactsDir, options.publicKey);
      } catch (error) {
        const problem = (error as Error).message;
        audit.record({ event: "reload-refused", allowlist: from, problem });
        return { ok: false, problem, kept: from };
      }
      const to = next.allowlist.sha256;
      if (to !== from) current = { allowlist: next.allowlist, cache: new DecisionCache(next.allowlist) };
      audit.record({ event: "reload", from, to, manifest: next.manifestSha256, ...(next.signedBy ? { signedBy: next.signedBy } : {}), changed: to !== from });
      return { ok: true, changed: to !== from, from, to };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of [...sessions]) session.destroy();
        audit.record({ event: "stop", allowlist: current.allowlist.sha256 });
        audit.close();
      }),
  };
}

/** The TLS context for clients, and the certificate (the first in the chain, as DER); refused with a message when the files are not a certificate and its key. */
function secureContextOf(files: { readonly cert: Buffer; readonly key: Buffer }): { context: tls.SecureContext; certificate: Buffer } {
  let certificate: Buffer;
  try {
    certificate = new X509Certificate(files.cert).raw;
  } catch (error) {
    throw new InputError(`--tls-cert is not a PEM certificate: ${(error as Error).message}`);
  }
  try {
    return { context: tls.createSecureContext({ cert: files.cert, key: files.key }), certificate };
  } catch (error) {
    throw new InputError(`--tls-key is not the private key of --tls-cert (PEM): ${(error as Error).message}`);
  }
}
