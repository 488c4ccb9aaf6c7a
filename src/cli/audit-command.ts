import { readFileSync } from "node:fs";
import { verifyAuditLog, type AuditFile } from "../audit/index.js";
import { InputError } from "../diagnostics/input-error.js";
import { describeFsError } from "../diagnostics/fs-error.js";
import { writeStderr, writeStdout } from "./output.js";

/** `rolec audit verify LOG... [--digest HASH]`: 0 when the chain is whole, 1 at the first bad entry. */
export function auditVerifyCommand(options: { logs: readonly string[]; digest: string | undefined }): number {
  if (options.digest !== undefined && !/^[0-9a-f]{64}$/.test(options.digest)) throw new InputError(`--digest must be a SHA-256 in hex (64 characters 0-9, a-f), as rolec audit digest prints it`);
  const verdict = verifyAuditLog(readLogs(options.logs), options.digest === undefined ? {} : { expectedHead: options.digest });
  if (!verdict.ok) {
    writeStderr(`rolec audit verify: ${verdict.at}: ${verdict.problem} (${verdict.entries} entries before it check out)\n`);
    return 1;
  }
  writeStderr(`rolec audit verify: ok (${verdict.entries} entries, head ${verdict.head}${options.digest === undefined ? "" : ", the digest among them"})\n`);
  return 0;
}

/** `rolec audit digest LOG...`: the head hash, to keep where whoever can write the log cannot. */
export function auditDigestCommand(options: { logs: readonly string[] }): number {
  const verdict = verifyAuditLog(readLogs(options.logs));
  if (!verdict.ok) {
    writeStderr(`rolec audit digest: ${verdict.at}: ${verdict.problem}; no digest of a broken chain\n`);
    return 1;
  }
  writeStdout(`${verdict.head}\n`);
  return 0;
}

function readLogs(paths: readonly string[]): AuditFile[] {
  if (paths.length === 0) throw new InputError("name the audit log files, oldest first");
  return paths.map((p) => {
    try {
      return { name: p, text: readFileSync(p, "utf8") };
    } catch (error) {
      throw new InputError(`cannot read ${JSON.stringify(p)}: ${describeFsError(error as NodeJS.ErrnoException)}`);
    }
  });
}
