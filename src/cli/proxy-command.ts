import { readFileSync } from "node:fs";
import { InputError } from "../diagnostics/input-error.js";
import { describeFsError } from "../diagnostics/fs-error.js";
import { parseUpstream, startProxy, type AuditSyncPolicy } from "../proxy/index.js";
import { keySource, readPublicKey } from "../sign/index.js";
import { writeStderr, writeStdout } from "./output.js";

export interface ProxyCommandOptions {
  readonly artifacts: string;
  readonly key: string | undefined;
  readonly keyEnv: string | undefined;
  readonly listen: string;
  readonly upstream: string;
  readonly auditLog: string;
  readonly auth: "scram" | "trust";
  readonly tlsCert: string | undefined;
  readonly tlsKey: string | undefined;
  readonly requireTls: boolean;
  readonly auditText: boolean;
  readonly auditFsync: AuditSyncPolicy;
  readonly auditRotateMb: number | undefined;
}

/**
 * `rolec proxy ARTIFACTS --listen HOST:PORT --upstream URL --audit-log FILE`: runs until SIGTERM
 * or SIGINT (exit 0). SIGHUP reads the artifacts folder again. It prints one line on stdout once
 * it accepts connections.
 */
export async function proxyCommand(options: ProxyCommandOptions): Promise<number> {
  const listen = parseListen(options.listen);
  const upstream = parseUpstream(options.upstream);
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) throw new InputError("--tls-cert and --tls-key go together");
  if (options.requireTls && options.tlsCert === undefined) throw new InputError("--require-tls needs --tls-cert and --tls-key");
  if (options.auditRotateMb !== undefined && !(Number.isInteger(options.auditRotateMb) && options.auditRotateMb > 0)) throw new InputError("--audit-rotate-mb must be a whole number of MiB above 0");
  const keyFrom = keySource(options.key, options.keyEnv, "key");
  const publicKey = keyFrom ? readPublicKey(keyFrom) : undefined;
  const tls = options.tlsCert !== undefined ? { cert: readOption("--tls-cert", options.tlsCert), key: readOption("--tls-key", options.tlsKey!), require: options.requireTls } : undefined;
  let failed: ((code: number) => void) | undefined;
  const proxy = await startProxy({
    artifactsDir: options.artifacts,
    ...(publicKey ? { publicKey } : {}),
    listen,
    upstream,
    auditLog: options.auditLog,
    auth: options.auth,
    ...(tls ? { tls } : {}),
    auditText: options.auditText,
    auditSync: options.auditFsync,
    ...(options.auditRotateMb !== undefined ? { auditRotateBytes: options.auditRotateMb * 1024 * 1024 } : {}),
    onAuditFailure: (error) => {
      writeStderr(`rolec proxy: the audit log cannot be written (${error.message}); stopping: no statement goes through unrecorded\n`);
      failed?.(1);
    },
  });
  const host = proxy.address.host.includes(":") ? `[${proxy.address.host}]` : proxy.address.host;
  // The handlers are in place before the ready line goes out: a supervisor that reloads the
  // moment it reads the line must not find SIGHUP's default action (ending the process) instead.
  const stopped = new Promise<number>((resolve) => {
    const stop = (code: number) => {
      process.off("SIGHUP", reload);
      process.off("SIGTERM", terminate);
      process.off("SIGINT", terminate);
      void proxy.close().then(() => resolve(code));
    };
    failed = stop;
    const reload = () => {
      const outcome = proxy.reload();
      if (!outcome.ok) writeStderr(`rolec proxy: reload refused, allow-list ${outcome.kept} stays in force: ${outcome.problem}\n`);
      else if (outcome.changed) writeStderr(`rolec proxy: reloaded: allow-list ${outcome.from} -> ${outcome.to}\n`);
      else writeStderr(`rolec proxy: reloaded: allow-list ${outcome.to} unchanged\n`);
    };
    const terminate = () => stop(0);
    process.on("SIGHUP", reload);
    process.on("SIGTERM", terminate);
    process.on("SIGINT", terminate);
  });
  writeStdout(`rolec proxy: ready on ${host}:${proxy.address.port}, allow-list ${proxy.allowlistSha256}, audit log ${options.auditLog}\n`);
  return stopped;
}

/** `HOST:PORT`, `[IPv6]:PORT`, or `:PORT` for every address; port 0 picks a free one (the ready line says which). */
function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) throw new InputError(`--listen must be HOST:PORT (for example 127.0.0.1:6432), not ${JSON.stringify(text)}`);
  return { host: match[1] ?? (match[2] || "0.0.0.0"), port };
}

function readOption(option: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new InputError(`${option}: cannot read ${file}: ${describeFsError(error as NodeJS.ErrnoException)}`);
  }
}
