import { describeFsError } from "../../../diagnostics/fs-error.js";
import { readFile } from "node:fs/promises";
import { InputError } from "../../../diagnostics/input-error.js";
import type { Model } from "../../../model/ir.js";
import type { VerifyOptions } from "../../engine.js";
import { redactUrl } from "../../redact-url.js";
import type { VerifyReport } from "../../verify-report.js";
import { renderPostgres } from "../script/render-postgres.js";
import { openPglite } from "../session/pglite-session.js";
import { withServerScratch } from "../session/server-scratch.js";
import { verifyScript } from "./run-verify.js";
import { connectProbe } from "./connect-probe.js";

/**
 * `rolec verify` on PostgreSQL: the compiled script (or `--script`) proved on a scratch database
 * of the server given, or else on an embedded PostgreSQL (PGlite) that starts for the purpose.
 */
export async function verifyPostgres(model: Model, options: VerifyOptions): Promise<VerifyReport> {
  const script = options.script === undefined ? renderPostgres(model) : await readScript(options.script);
  if (options.db !== undefined) {
    options.announce(`using a scratch database on ${redactUrl(options.db)}`);
    return withServerScratch(options.db, model, options.timeouts, (session, database) => {
      const scratch = new URL(options.db!);
      scratch.pathname = `/${encodeURIComponent(database)}`;
      return verifyScript(model, script, session, { connectAs: connectProbe(scratch.toString(), options.timeouts) });
    });
  }
  options.announce("starting an embedded PostgreSQL (PGlite)");
  const session = await openPglite();
  try {
    return await verifyScript(model, script, session);
  } finally {
    await session.close();
  }
}

async function readScript(file: string): Promise<string> {
  return readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read ${JSON.stringify(file)}: ${describeFsError(error)}`);
  });
}
