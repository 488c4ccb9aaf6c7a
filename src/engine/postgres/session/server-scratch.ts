import { randomBytes } from "node:crypto";
import { quoteIdent } from "../quote.js";
import { appendOnlyNames } from "../script/render-postgres.js";
import { InputError } from "../../../diagnostics/input-error.js";
import { undeclaredCreators, type Model } from "../../../model/ir.js";
import { openPgServer } from "./pg-session.js";
import { redactUrl } from "../../redact-url.js";
import type { SessionTimeouts } from "../../session-timeouts.js";
import { errorMessage, type SqlSession } from "../../session.js";


/**
 * Runs `fn` on a scratch database of a PostgreSQL server, created for it and dropped afterwards.
 * Roles are cluster-wide, so the roles the program declares (and the creators of default
 * privileges it names) must not exist on the server yet:
 * the script would change them for every database. The declared roles are dropped again
 * afterwards; no other role on the server is touched.
 */
export async function withServerScratch<T>(url: string, model: Model, timeouts: SessionTimeouts, fn: (session: SqlSession, database: string) => Promise<T>): Promise<T> {
  const admin = await openPgServer(url, timeouts).catch((error: unknown) => {
    throw new InputError(`cannot connect to ${redactUrl(url)}: ${errorMessage(error)}`);
  });
  const database = `rolec_verify_${randomBytes(6).toString("hex")}`;
  let created = false;
  // The roles the run may create, and so drop again; never any other role on the server.
  const wanted = [...model.roles.map((r) => r.name), ...undeclaredCreators(model), ...(model.objects.some((o) => o.appendOnly) ? [appendOnlyNames.owner] : [])];
  let ours: string[] = [];
  try {
    const rolesBefore = new Set((await admin.query<{ rolname: string }>("SELECT rolname FROM pg_catalog.pg_roles")).map((r) => r.rolname));
    const existing = wanted.filter((r) => rolesBefore.has(r));
    if (existing.length > 0) {
      throw new InputError(
        `verify --db needs a server where the declared roles do not exist yet (it creates them, then drops them); ${existing.map((r) => JSON.stringify(r)).join(", ")} already exist on ${redactUrl(url)}. Use a scratch server, not a shared one.`,
      );
    }
    ours = wanted;
    await admin.exec(`CREATE DATABASE ${quoteIdent(database)}`);
    created = true;
    const target = new URL(url);
    target.pathname = `/${encodeURIComponent(database)}`;
    const session = await openPgServer(target.toString(), timeouts);
    try {
      return await fn(session, database);
    } finally {
      await session.close();
    }
  } finally {
    try {
      if (created) await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
      const present = new Set((await admin.query<{ rolname: string }>("SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY ($1::text[])", [ours])).map((r) => r.rolname));
      for (const role of ours.filter((r) => present.has(r))) {
        await admin.exec(`DROP OWNED BY ${quoteIdent(role)}; DROP ROLE ${quoteIdent(role)}`);
      }
    } finally {
      await admin.close();
    }
  }
}
