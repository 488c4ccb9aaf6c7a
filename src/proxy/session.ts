import type net from "node:net";
import tls from "node:tls";
import type { Decision, StatementDecision } from "../enforce/index.js";
import type { PreparedQuery } from "../engine/index.js";
import type { ProxyState } from "./proxy-state.js";
import { auditedDecision } from "./audit-entry.js";
import { LoginRelay } from "./login-relay.js";
import { Outgoing } from "./outgoing.js";
import { checkStartup, startupPairs, StartupRefused } from "./startup-parameters.js";
import { splitSearchPath } from "./search-path.js";
import { connectUpstream } from "./upstream.js";
import { ResponseTracker, type Pending } from "./response-tracker.js";
import {
  BodyReader,
  MessageReader,
  WireError,
  decodeStatementText,
  errorResponse,
  flushMessage,
  negotiateProtocolVersionMessage,
  parseMessage,
  queryMessage,
  startupCodes,
  startupMessage,
  type WireMessage,
} from "./wire.js";

/** The longest message a client may send: a query the library reads whole (1 MiB) with room to spare, or a COPY chunk. */
const maxClientMessage = 8 * 1024 * 1024;
/** Client messages waiting to be decided, in bytes, beyond which the proxy stops reading from the client until they go. */
const maxHeldBytes = 16 * 1024 * 1024;
/** The server's messages are trusted for size (a row can be large); this only stops a broken length. */
const maxServerMessage = 1024 * 1024 * 1024;
/**
 * What a denied statement is replaced with on its way to the server: text PostgreSQL's parser
 * refuses. The server answers it with an error in the denied statement's place, with the effect
 * any error has there (the transaction block aborted, the rest of an extended-protocol batch
 * skipped until Sync), and the proxy puts its own error in the answer's place.
 */
const refusedText = "rolec proxy: statement refused";

type Phase = "startup" | "authenticating" | "starting" | "reading-path" | "ready" | "closed";

/**
 * One client connection and its connection to the server. The client logs in through the proxy
 * to the server as its own role (the server authenticates it: the SCRAM exchange passes
 * through); from then on every Query and every Parse is decided against the allow-list before it
 * is forwarded, and the proxy follows what the server says back: the transaction state, the
 * search path a SET changed, the SQL-level prepared statements, and which answer belongs to
 * which message (so that a denied statement's error arrives in its place).
 */
export class ProxySession {
  private phase: Phase = "startup";
  private readonly fromClient = new MessageReader(maxClientMessage);
  private readonly fromServer = new MessageReader(maxServerMessage);
  private client: net.Socket;
  private server: net.Socket | undefined;
  private role = "";
  private searchPath: readonly string[] = [];
  private transactionStatus = "I";
  private readonly prepared = new Map<string, PreparedQuery>();
  /**
   * Protocol-level statements the server holds, by name, with the text, search path and
   * allow-list they were allowed under: read again at Bind when the rules or the path have
   * changed since (the server plans a statement again with the path in force). PostgreSQL keeps
   * SQL-level (PREPARE) and protocol-level statements under one set of names: a Bind may run only
   * a statement the proxy saw parsed, never one made by PREPARE (judged only at EXECUTE).
   */
  private readonly parsedStatements = new Map<string, { text: string; searchPath: readonly string[]; allowlistSha256: string }>();
  /** Portals and cursors (one set of names on the server), with the allow-list they were opened under: reading one opened under earlier rules is refused. */
  private readonly portals = new Map<string, { readonly allowlistSha256: string }>();
  /**
   * An Execute was sent that no ReadyForQuery has followed yet (one after the Sync sent after
   * it): it may have begun or ended a transaction block the proxy has not been told of.
   */
  private transactionUncertain = false;
  /** An Execute was sent after the last Sync: the ReadyForQuery answering that Sync does not settle it. */
  private executeSinceSync = false;
  private readonly tracker = new ResponseTracker();
  /** Client messages not yet decided: waiting behind a simple query, or for the server to be idle. */
  private readonly held: WireMessage[] = [];
  private heldBytes = 0;
  /** Bytes for the server, in the order decided, each sent once its audit entry is kept. */
  private readonly outbox: { bytes: Buffer; ready: boolean }[] = [];
  private flushedForHold = false;
  private login: LoginRelay | undefined;
  private heldReady: Buffer | undefined;
  private pathValue: string | undefined;
  private readonly sessionId: string;
  private readonly clientAddress: string;
  private ended = false;

  constructor(
    socket: net.Socket,
    private readonly state: ProxyState,
  ) {
    this.client = socket;
    this.sessionId = state.nextSessionId();
    this.clientAddress = `${socket.remoteAddress ?? "?"}:${socket.remotePort ?? "?"}`;
    this.fromClient.untyped = true;
    socket.setNoDelay(true);
    this.listenToClient(socket);
  }

  private listenToClient(socket: net.Socket): void {
    socket.on("data", (chunk: Buffer) => this.guard(() => this.onClientData(chunk)));
    socket.on("drain", () => this.updateFlow());
    socket.on("error", () => this.close());
    socket.on("close", () => this.close());
  }

  /** A protocol violation or an unexpected failure ends this session, never the proxy. */
  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (error instanceof WireError) this.refuse("08P01", `protocol violation: ${error.message}`);
      else this.refuse("XX000", `the proxy failed on this session: ${(error as Error).message}`);
    }
  }

  private onClientData(chunk: Buffer): void {
    if (this.phase === "closed") return;
    this.fromClient.push(chunk);
    for (let message = this.fromClient.next(); message; message = this.fromClient.next()) {
      if (!this.isOpen()) return;
      if (this.phase === "startup") {
        const socket = this.client;
        this.onStartupMessage(message);
        if (this.client !== socket) {
          // Bytes sent before the TLS handshake would be read as if they had come through it.
          if (this.fromClient.buffered > 0) throw new WireError("data after SSLRequest, before the TLS handshake");
          return;
        }
        continue;
      }
      if (this.phase === "authenticating") {
        // Only the client's answers to the server's authentication requests (SASL, password).
        if (message.type !== 0x70 || !this.login || !this.server) throw new WireError(`message type ${String.fromCharCode(message.type)} during authentication`);
        const step = this.login.fromClient(message);
        if ("refuse" in step) {
          this.refuse("28000", step.refuse);
          return;
        }
        this.server.write(step.forward);
        continue;
      }
      if (message.type === 0x58) {
        // Terminate: passed on, and the session ends when the server closes.
        this.server?.write(message.raw);
        this.close();
        return;
      }
      this.held.push(message);
      this.heldBytes += message.raw.length;
    }
    if (this.phase === "ready") {
      // The messages decided from one read go to the server in one system call.
      this.server?.cork();
      this.pump();
      this.server?.uncork();
    }
    this.updateFlow();
  }

  /**
   * Backpressure, so that one session's memory stays bounded: the proxy stops reading from the
   * client while the server is not taking what it was sent or too much waits to be decided, and
   * from the server while the client is not taking its answers (a large result read slowly).
   */
  private updateFlow(): void {
    if (!this.isOpen()) return;
    if (this.heldBytes > maxHeldBytes || this.server?.writableNeedDrain) this.client.pause();
    else this.client.resume();
    if (this.client.writableNeedDrain) this.server?.pause();
    else this.server?.resume();
  }

  private onStartupMessage(message: WireMessage): void {
    if (message.body.length < 4) throw new WireError("the startup message is too short");
    const code = message.body.readInt32BE(0);
    if (code === startupCodes.sslRequest) {
      if (this.client instanceof tls.TLSSocket) throw new WireError("SSLRequest inside TLS");
      const context = this.state.clientTls;
      this.client.write(context ? "S" : "N");
      this.fromClient.untyped = true;
      if (context) this.upgradeToTls(context);
      return;
    }
    if (code === startupCodes.gssEncRequest) {
      this.client.write("N");
      this.fromClient.untyped = true;
      return;
    }
    if (code === startupCodes.cancelRequest) {
      this.phase = "closed";
      this.state.forwardCancel(message.raw);
      this.client.end();
      return;
    }
    if (code >> 16 !== 3) throw new WireError(`protocol version ${code >> 16}.${code & 0xffff} is not 3`);
    if (this.state.requireTls && !(this.client instanceof tls.TLSSocket)) {
      this.refuse("28000", "the proxy accepts only TLS connections (sslmode=require)");
      return;
    }
    let startup;
    try {
      startup = checkStartup(startupPairs(message.body));
    } catch (error) {
      if (error instanceof StartupRefused) {
        this.refuse(error.code, error.message);
        return;
      }
      throw error;
    }
    this.role = startup.role;
    if (!this.state.current.allowlist.roles.has(startup.role)) {
      this.refuse("28000", `role ${startup.role} is not in the allow-list: the proxy lets in only roles the .roles files declare`);
      return;
    }
    const upstream = this.state.upstream;
    if (upstream.database !== undefined && startup.database !== upstream.database) {
      this.refuse("3D000", `this proxy serves database ${upstream.database} only`);
      return;
    }
    if (code !== startupCodes.protocol30 || startup.protocolOptions.length > 0) this.client.write(negotiateProtocolVersionMessage(startup.protocolOptions));
    this.phase = "authenticating";
    this.login = new LoginRelay(startup.role, this.state.auth === "trust", () => this.sameCertificateBothSides(), () => this.server instanceof tls.TLSSocket);
    const parameters = new Map([["user", startup.role], ["database", startup.database], ["client_encoding", "UTF8"], ...startup.parameters]);
    connectUpstream(upstream).then(
      (server) => {
        if (this.phase === "closed") {
          server.destroy();
          return;
        }
        this.server = server;
        server.on("data", (chunk: Buffer) => this.guard(() => this.onServerData(chunk)));
        server.on("error", () => this.close());
        server.on("close", () => this.close());
        server.on("drain", () => this.updateFlow());
        server.write(startupMessage(parameters));
      },
      (error: Error) => this.refuse("08006", `the proxy cannot reach the database: ${error.message}`),
    );
  }

  private upgradeToTls(context: tls.SecureContext): void {
    const plain = this.client;
    plain.removeAllListeners("data");
    plain.removeAllListeners("error");
    plain.removeAllListeners("close");
    const secure = new tls.TLSSocket(plain, { isServer: true, secureContext: context });
    this.client = secure;
    this.listenToClient(secure);
  }

  private onServerData(chunk: Buffer): void {
    if (this.phase === "closed") return;
    this.fromServer.push(chunk);
    const out = new Outgoing();
    for (let message = this.fromServer.next(); message; message = this.fromServer.next()) {
      if (this.phase === "ready") this.onServerMessage(message, out);
      else this.onServerStartMessage(message, out);
      if (!this.isOpen()) break;
    }
    out.writeTo(this.client);
    if (this.phase === "ready") this.pump();
    this.updateFlow();
  }

  /** The server's messages before the session is ready: authentication, then the search path the proxy reads. */
  private onServerStartMessage(message: WireMessage, out: Outgoing): void {
    const type = String.fromCharCode(message.type);
    if (type === "E") {
      out.add(message.raw);
      out.writeTo(this.client);
      this.close();
      return;
    }
    if (this.phase === "authenticating") {
      if (type !== "R") {
        out.add(message.raw);
        return;
      }
      const step = this.login!.fromServer(message);
      if ("refuse" in step) this.refuse("28000", step.refuse);
      else if ("loggedIn" in step) {
        out.add(step.loggedIn);
        this.phase = "starting";
      } else out.add(step.forward);
      return;
    }
    if (this.phase === "starting") {
      if (type !== "Z") {
        out.add(message.raw);
        return;
      }
      // The session's search path as the server has it (the role's or database's own setting included), before the client's first statement.
      this.heldReady = message.raw;
      this.phase = "reading-path";
      this.server!.write(queryMessage("SHOW search_path"));
      return;
    }
    // reading-path: the answer to SHOW search_path is the proxy's own, and the client never sees it.
    if (type === "D") {
      const reader = new BodyReader(message.body);
      reader.int16();
      const length = reader.int32();
      this.pathValue = reader.rest().toString("utf8", 0, length);
    } else if (type === "N" || type === "S" || type === "A") {
      out.add(message.raw);
    } else if (type === "Z") {
      const path = this.pathValue === undefined ? undefined : splitSearchPath(this.pathValue);
      if (!path) {
        this.refuse("XX000", `the proxy cannot read the session's search path (${JSON.stringify(this.pathValue)})`);
        return;
      }
      this.searchPath = path;
      this.transactionStatus = String.fromCharCode(message.body[0]!);
      const ready = this.heldReady!;
      this.state.audit.record({ event: "connect", session: this.sessionId, client: this.clientAddress, role: this.role, searchPath: path, allowlist: this.state.current.allowlist.sha256 }, () =>
        this.guard(() => {
          if (this.phase !== "reading-path") return;
          this.phase = "ready";
          this.client.write(ready);
          this.pump();
          this.updateFlow();
        }),
      );
    }
  }

  /** Whether the client and the server see the same certificate (the proxy was given the server's). */
  private sameCertificateBothSides(): boolean {
    const mine = this.state.clientTlsCertificate;
    if (!mine || !(this.client instanceof tls.TLSSocket) || !(this.server instanceof tls.TLSSocket)) return false;
    const theirs = this.server.getPeerCertificate()?.raw;
    return theirs !== undefined && mine.equals(theirs);
  }

  /** The server's messages once the session is ready: each matched to what the client sent. */
  private onServerMessage(message: WireMessage, out: Outgoing): void {
    const answered = this.tracker.onServerMessage(message.type);
    switch (message.type) {
      case 0x5a: // ReadyForQuery
        this.transactionStatus = String.fromCharCode(message.body[0]!);
        if (!this.executeSinceSync) this.transactionUncertain = false;
        break;
      case 0x43: // CommandComplete: a statement of a simple query succeeded; what it changes in the session now holds.
        if (answered?.kind === "simple" && answered.effects) this.applyEffect(answered.effects[answered.completed++], answered.allowlistSha256);
        break;
      case 0x45: // ErrorResponse
        if (answered?.denial !== undefined) {
          out.add(errorResponse({ severity: "ERROR", code: "42501", message: `permission denied: ${answered.denial}`, hint: `the rolec proxy refused this statement under allow-list ${this.state.current.allowlist.sha256.slice(0, 12)}` }));
          return;
        }
        break;
    }
    out.add(message.raw);
  }

  private applyEffect(effect: StatementDecision | undefined, allowlistSha256: string | undefined): void {
    if (!effect) return;
    if (effect.setting) this.searchPath = effect.setting.value;
    if (effect.prepare) {
      this.prepared.set(effect.prepare.name, effect.prepare.statement);
      this.parsedStatements.delete(effect.prepare.name);
    }
    if (effect.deallocate === true) {
      this.prepared.clear();
      this.parsedStatements.clear();
    } else if (effect.deallocate !== undefined) {
      this.prepared.delete(effect.deallocate);
      this.parsedStatements.delete(effect.deallocate);
    }
    if (effect.cursor && "declares" in effect.cursor) this.portals.set(effect.cursor.declares, { allowlistSha256: allowlistSha256 ?? "" });
  }

  /**
   * Decides and forwards the held client messages in order, as far as the session allows: a
   * simple query waits until the server has answered everything before it (its decision depends
   * on the transaction state and search path the server ends up in), and nothing after a simple
   * query is decided until it is answered.
   */
  private pump(): void {
    while (this.held.length > 0 && this.phase === "ready") {
      const message = this.held[0]!;
      const type = message.type;
      const copy = type === 0x64 || type === 0x63 || type === 0x66; // CopyData, CopyDone, CopyFail: part of the statement running
      if (!copy) {
        if (this.tracker.simpleQueryPending) return;
        if ((type === 0x51 || type === 0x46) && !this.tracker.idle) {
          // Answers to an unsynced extended batch come only when the server flushes.
          if (!this.flushedForHold) this.send(flushMessage);
          this.flushedForHold = true;
          return;
        }
      }
      this.held.shift();
      this.heldBytes -= message.raw.length;
      this.flushedForHold = false;
      this.onClientMessage(message);
    }
  }

  private onClientMessage(message: WireMessage): void {
    switch (String.fromCharCode(message.type)) {
      case "Q":
        this.onQuery(message);
        return;
      case "P":
        this.onParse(message);
        return;
      case "B":
        this.onBind(message);
        return;
      case "F": {
        // A function called by its OID, outside any statement: nothing to judge by name.
        const reason = "the function-call message calls a function by its OID, which the proxy does not judge; call the function in a statement";
        this.audited({ allowed: false, reason, statements: [], allowlistSha256: this.state.current.allowlist.sha256 }, "function-call", "", () => {});
        this.tracker.expect({ kind: "simple", denial: reason, completed: 0 });
        this.sendAfterAudit(queryMessage(refusedText));
        return;
      }
      case "E":
        this.onExecute(message);
        return;
      case "D":
        this.onDescribe(message);
        return;
      case "C": {
        // Closing a statement or a portal: by its name, whichever kind made it.
        const which = message.body[0];
        const name = new BodyReader(message.body.subarray(1)).cstring();
        if (which === 0x53) {
          this.parsedStatements.delete(name);
          this.prepared.delete(name);
        } else this.portals.delete(name);
        this.tracker.expect({ kind: "close" });
        this.send(message.raw);
        return;
      }
      case "S":
        this.executeSinceSync = false;
        this.tracker.expect({ kind: "sync" });
        this.send(message.raw);
        return;
      case "H":
      case "d":
      case "c":
      case "f":
        this.send(message.raw);
        return;
      default:
        throw new WireError(`unexpected message type ${JSON.stringify(String.fromCharCode(message.type))}`);
    }
  }

  private onQuery(message: WireMessage): void {
    const reader = new BodyReader(message.body);
    const text = decodeStatementText(reader.cstringBytes());
    let decision = text === undefined ? this.invalidText() : this.state.current.cache.decide(this.sessionFields(), text);
    const stale = decision.allowed && decision.statements.find((s) => s.cursor && "uses" in s.cursor && this.portals.get(s.cursor.uses)?.allowlistSha256 !== decision.allowlistSha256);
    if (stale && stale.cursor && "uses" in stale.cursor) decision = this.refusedHere(decision, `cursor ${stale.cursor.uses} was not opened under the allow-list in force (it was opened under earlier rules, or outside the proxy's sight); open it again`);
    const pending: Pending = decision.allowed
      ? { kind: "simple", effects: decision.statements, allowlistSha256: decision.allowlistSha256, completed: 0 }
      : { kind: "simple", denial: decision.reason, completed: 0 };
    this.tracker.expect(pending);
    this.sendAfterAudit(decision.allowed ? message.raw : queryMessage(refusedText), decision, "simple", text ?? "");
  }

  private onParse(message: WireMessage): void {
    const reader = new BodyReader(message.body);
    const name = reader.cstring();
    const text = decodeStatementText(reader.cstringBytes());
    let decision = text === undefined ? this.invalidText() : this.state.current.cache.decide(this.sessionFields(), text);
    // In a batch, the server runs this statement after messages it has not answered yet: what it
    // would change in the session (or read from it) cannot be followed in order.
    const changesSession = decision.statements.some((s) => s.setting || s.prepare || s.deallocate !== undefined || s.usesPrepared || s.cursor || s.copiesFromClient);
    if (decision.allowed && changesSession) {
      decision = this.refusedHere(decision, "SET search_path, PREPARE, EXECUTE, DEALLOCATE, DECLARE, FETCH, MOVE and COPY FROM STDIN are refused in the extended query protocol (what they change or use, or which later messages belong to them, could not be followed in order); send them as simple queries");
    }
    // Whatever the server held under this name is replaced, or (a named statement whose Parse
    // fails) kept as it was: then the proxy forgets both, and a Bind of the name is refused.
    this.prepared.delete(name);
    if (decision.allowed) {
      const record = { text: text!, searchPath: this.searchPath, allowlistSha256: decision.allowlistSha256 };
      this.parsedStatements.set(name, record);
      this.tracker.expect({ kind: "parse", onFailed: () => this.parsedStatements.get(name) === record && this.parsedStatements.delete(name) });
    } else {
      this.parsedStatements.delete(name);
      this.tracker.expect({ kind: "parse", denial: decision.reason });
    }
    this.sendAfterAudit(decision.allowed ? message.raw : parseMessage(name, refusedText), decision, "extended", text ?? "");
  }

  /**
   * A Bind runs a statement the proxy saw parsed, judged again when the rules or the search path
   * changed since; a statement made by SQL PREPARE (which the server also lets a Bind run) is refused.
   */
  private onBind(message: WireMessage): void {
    const reader = new BodyReader(message.body);
    const portal = reader.cstring();
    const statementName = reader.cstring();
    const parsed = this.parsedStatements.get(statementName);
    const current = this.state.current;
    const sha = current.allowlist.sha256;
    this.portals.delete(portal);
    if (!parsed) {
      const reason = `statement ${JSON.stringify(statementName)} was not parsed through the proxy in this session (a statement made by PREPARE runs through EXECUTE)`;
      this.refuseInPlace("bind", { allowed: false, reason, statements: [], allowlistSha256: sha }, "");
      return;
    }
    if (parsed.allowlistSha256 !== sha || !samePath(parsed.searchPath, this.searchPath)) {
      const decision = current.cache.decide(this.sessionFields(), parsed.text);
      if (!decision.allowed) {
        this.refuseInPlace("bind", decision, parsed.text);
        return;
      }
      this.parsedStatements.set(statementName, { text: parsed.text, searchPath: this.searchPath, allowlistSha256: sha });
    }
    const record = { allowlistSha256: sha };
    this.portals.set(portal, record);
    this.tracker.expect({ kind: "bind", onFailed: () => this.portals.get(portal) === record && this.portals.delete(portal) });
    this.send(message.raw);
  }

  /** An Execute reads a portal bound under the rules in force; one bound under earlier rules is refused. */
  private onExecute(message: WireMessage): void {
    const portal = new BodyReader(message.body).cstring();
    const sha = this.state.current.allowlist.sha256;
    if (this.portals.get(portal)?.allowlistSha256 !== sha) {
      this.refuseInPlace("execute", { allowed: false, reason: `portal ${JSON.stringify(portal)} was not bound under the allow-list in force; bind it again`, statements: [], allowlistSha256: sha }, "");
      return;
    }
    this.transactionUncertain = true;
    this.executeSinceSync = true;
    this.tracker.expect({ kind: "execute" });
    this.send(message.raw);
  }

  /** Describing a statement shows its columns: only one the proxy saw parsed. */
  private onDescribe(message: WireMessage): void {
    const which = message.body[0];
    const name = new BodyReader(message.body.subarray(1)).cstring();
    if (which === 0x53 && !this.parsedStatements.has(name)) {
      const sha = this.state.current.allowlist.sha256;
      this.refuseInPlace("describe", { allowed: false, reason: `statement ${JSON.stringify(name)} was not parsed through the proxy in this session`, statements: [], allowlistSha256: sha }, "");
      return;
    }
    this.tracker.expect({ kind: "describe" });
    this.send(message.raw);
  }

  /**
   * An extended-protocol message refused where it stands: replaced by a Parse the server cannot
   * parse (of the unnamed statement, which the server then no longer holds), so that its error
   * comes in this message's place and the batch is skipped to Sync as after any error.
   */
  private refuseInPlace(kind: "bind" | "execute" | "describe", decision: Decision, text: string): void {
    this.parsedStatements.delete("");
    this.tracker.expect({ kind, denial: decision.reason });
    this.sendAfterAudit(parseMessage("", refusedText), decision, "extended", text);
  }

  private refusedHere(decision: Decision, reason: string): Decision {
    return { ...decision, allowed: false, reason };
  }

  private invalidText(): Decision {
    return { allowed: false, reason: "the statement is not valid UTF-8", statements: [], allowlistSha256: this.state.current.allowlist.sha256 };
  }

  private sessionFields() {
    // After an Execute not yet followed by ReadyForQuery, a transaction block may be open without the proxy knowing.
    return { role: this.role, searchPath: this.searchPath, inTransaction: this.transactionStatus !== "I" || this.transactionUncertain, prepared: this.prepared };
  }

  private audited(decision: Decision, protocol: string, text: string, then: () => void): void {
    this.state.audit.record(auditedDecision(decision, { session: this.sessionId, client: this.clientAddress, role: this.role, protocol, text: this.state.auditText ? text : undefined }), then);
  }

  /** Queues bytes for the server that go once the decision's audit entry is kept. */
  private sendAfterAudit(bytes: Buffer, decision?: Decision, protocol?: string, text?: string): void {
    const item = { bytes, ready: false };
    this.outbox.push(item);
    const release = () => {
      item.ready = true;
      this.drainOutbox();
    };
    if (decision) this.audited(decision, protocol!, text!, release);
    else release();
  }

  private send(bytes: Buffer): void {
    if (this.outbox.length === 0) {
      this.server!.write(bytes);
      return;
    }
    this.outbox.push({ bytes, ready: true });
  }

  private drainOutbox(): void {
    if (!this.isOpen() || !this.server) return;
    // One system call for the messages released together (a Parse, then its Bind, Execute and Sync).
    this.server.cork();
    while (this.outbox.length > 0 && this.outbox[0]!.ready) this.server.write(this.outbox.shift()!.bytes);
    this.server.uncork();
  }

  private isOpen(): boolean {
    return this.phase !== "closed";
  }

  /** Ends the session from the proxy's side (the proxy is stopping). */
  destroy(): void {
    this.close();
    this.client.destroy();
    this.server?.destroy();
  }

  /** Tells the client why it is turned away (FATAL) and closes the session. */
  private refuse(code: string, text: string): void {
    if (!this.isOpen()) return;
    if (this.client.writable) this.client.write(errorResponse({ severity: "FATAL", code, message: text }));
    this.close();
  }

  private close(): void {
    if (this.ended) return;
    this.ended = true;
    const wasReady = this.phase === "ready";
    this.phase = "closed";
    this.client.end();
    this.server?.end();
    if (wasReady) this.state.audit.record({ event: "disconnect", session: this.sessionId, client: this.clientAddress, role: this.role });
    this.state.sessionClosed(this);
  }
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
