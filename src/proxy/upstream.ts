import net from "node:net";
import tls from "node:tls";
import { readFileSync } from "node:fs";
import { InputError } from "../diagnostics/input-error.js";
import { describeFsError } from "../diagnostics/fs-error.js";

/** Where the proxy connects for each client, and how. */
export interface UpstreamTarget {
  readonly host: string;
  readonly port: number;
  /** The only database clients may ask for, when the URL names one. */
  readonly database: string | undefined;
  /** TLS to the server: none, encrypted without checking who answers, or checked against a CA. */
  readonly tls: { readonly mode: "require" | "verify-full"; readonly ca?: Buffer } | undefined;
}

/**
 * Reads `--upstream`: postgres://host[:port][/database][?sslmode=disable|require|verify-full&sslrootcert=FILE].
 * It names the server only: each session logs in as its client's role, with the client's own
 * credentials, so a user or password in the URL is refused rather than ignored.
 */
export function parseUpstream(text: string): UpstreamTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`--upstream is not a URL: postgres://host:port[/database]`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") throw new InputError(`--upstream must be a postgres:// URL`);
  if (url.username !== "" || url.password !== "") throw new InputError("--upstream names the server only: the proxy logs in as each client's own role, with the client's credentials");
  if (url.hostname === "") throw new InputError("--upstream names no host");
  const port = url.port === "" ? 5432 : Number(url.port);
  const database = url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined;
  const mode = url.searchParams.get("sslmode") ?? "disable";
  for (const key of url.searchParams.keys()) if (key !== "sslmode" && key !== "sslrootcert") throw new InputError(`--upstream: the parameter ${key} is not one the proxy reads (sslmode, sslrootcert)`);
  if (!["disable", "require", "verify-full"].includes(mode)) throw new InputError(`--upstream: sslmode ${mode} is not one the proxy offers (disable, require, verify-full)`);
  const rootCert = url.searchParams.get("sslrootcert");
  let ca: Buffer | undefined;
  if (rootCert !== null) {
    try {
      ca = readFileSync(rootCert);
    } catch (error) {
      throw new InputError(`--upstream: cannot read sslrootcert ${rootCert}: ${describeFsError(error as NodeJS.ErrnoException)}`);
    }
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return { host, port, database, tls: mode === "disable" ? undefined : { mode: mode as "require" | "verify-full", ...(ca ? { ca } : {}) } };
}

/** Opens a connection to the server, TLS first when the target asks for it (SSLRequest, then the handshake). */
export function connectUpstream(target: UpstreamTarget): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.host, port: target.port });
    socket.setNoDelay(true);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.once("error", fail);
    socket.once("connect", () => {
      if (!target.tls) {
        socket.off("error", fail);
        resolve(socket);
        return;
      }
      const request = Buffer.alloc(8);
      request.writeInt32BE(8, 0);
      request.writeInt32BE(80877103, 4);
      socket.write(request);
      socket.once("data", (answer) => {
        if (answer.length !== 1 || answer[0] !== 0x53) {
          fail(new Error("the server does not offer TLS"));
          return;
        }
        const secure = tls.connect({
          socket,
          servername: net.isIP(target.host) ? undefined : target.host,
          rejectUnauthorized: target.tls!.mode === "verify-full",
          ...(target.tls!.ca ? { ca: target.tls!.ca } : {}),
        } as tls.ConnectionOptions);
        secure.once("secureConnect", () => {
          socket.off("error", fail);
          secure.off("error", fail);
          resolve(secure);
        });
        secure.once("error", fail);
      });
    });
  });
}
