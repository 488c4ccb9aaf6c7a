import { BodyReader, saslMechanismsMessage, type WireMessage } from "./wire.js";

/** What to do with one authentication message: pass these bytes on, let the session start after passing them, or turn the client away. */
export type LoginStep = { readonly forward: Buffer } | { readonly loggedIn: Buffer } | { readonly refuse: string };

/**
 * The login of one client, passed between it and the server. The server authenticates the
 * client as its own role; the proxy holds no credentials and lets the session start only once
 * the server has done so with SCRAM-SHA-256 (under `trust`, however the server decides: a server
 * that trusts the connection, or asks for a password in clear text or as MD5).
 */
export class LoginRelay {
  private offeredSasl = false;
  private sentSaslStart = false;
  private scramFinished = false;

  constructor(
    private readonly role: string,
    private readonly trust: boolean,
    /** The client and the server see the same certificate (the proxy was given the server's): channel binding can pass. */
    private readonly sameCertificateBothSides: () => boolean,
    private readonly serverOnTls: () => boolean,
  ) {}

  /** An Authentication message of the server's. */
  fromServer(message: WireMessage): LoginStep {
    const code = message.body.readInt32BE(0);
    switch (code) {
      case 0:
        if (!this.trust && !this.scramFinished) {
          return { refuse: `the database let role ${this.role} in without SCRAM-SHA-256; the proxy lets a client in only once the database has authenticated it (run with --auth trust on a loopback address for development)` };
        }
        return { loggedIn: message.raw };
      case 10: {
        const mechanisms: string[] = [];
        const reader = new BodyReader(message.body.subarray(4));
        for (let name = reader.cstring(); name !== ""; name = reader.cstring()) mechanisms.push(name);
        if (!mechanisms.includes("SCRAM-SHA-256")) return { refuse: `the database offers no SCRAM-SHA-256 for role ${this.role}` };
        this.offeredSasl = true;
        // Channel binding (-PLUS, tls-server-end-point) binds the exchange to the certificate the
        // client sees, which is the proxy's: it matches what the server expects only when the
        // proxy presents the server's own certificate. Otherwise it is not offered.
        return { forward: this.sameCertificateBothSides() ? message.raw : saslMechanismsMessage(["SCRAM-SHA-256"]) };
      }
      case 11:
        return { forward: message.raw };
      case 12:
        this.scramFinished = this.offeredSasl;
        return { forward: message.raw };
      case 3:
      case 5:
        if (this.trust) return { forward: message.raw };
        return { refuse: `the database asks for role ${this.role}'s password ${code === 3 ? "in clear text" : "as MD5"}; the proxy passes on SCRAM-SHA-256 authentication only (set password_encryption = 'scram-sha-256' and the role's password again)` };
      default:
        return { refuse: `the database asks for an authentication method (code ${code}) the proxy does not pass on; it passes on SCRAM-SHA-256` };
    }
  }

  /** A client's answer (SASLInitialResponse, SASLResponse or a password). */
  fromClient(message: WireMessage): { readonly forward: Buffer } | { readonly refuse: string } {
    if (this.offeredSasl && !this.sentSaslStart) {
      this.sentSaslStart = true;
      if (this.wouldBindChannel(message)) {
        return { refuse: "the client would use SCRAM channel binding, which cannot pass through a proxy that presents another certificate than the database's; connect with channel_binding=disable, or give the proxy the database's certificate and key (--tls-cert, --tls-key)" };
      }
    }
    return { forward: message.raw };
  }

  /**
   * A client on TLS that was offered no channel binding says so in its first SASL message (gs2
   * flag `y`: "I could bind, the server cannot"). A server on TLS that can bind takes that for a
   * downgrade attack and refuses, with a message that does not say why; the proxy says why first.
   */
  private wouldBindChannel(message: WireMessage): boolean {
    const reader = new BodyReader(message.body);
    const mechanism = reader.cstring();
    const length = reader.int32();
    const data = reader.rest();
    return mechanism === "SCRAM-SHA-256" && length >= 1 && data[0] === 0x79 && this.serverOnTls();
  }
}
