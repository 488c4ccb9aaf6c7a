import { stat } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../diagnostics/index.js";
import type { Snapshot } from "../snapshot/format.js";
import { renderSnapshot } from "../snapshot/format.js";
import type { SessionTimeouts } from "../verify/session-timeouts.js";
import { writeFilesAtomically } from "./write-files.js";
import { writeStderr } from "./output.js";

export interface PullOptions {
  readonly db: string;
  readonly timeouts: SessionTimeouts;
  readonly dbPasswordEnv: string | undefined;
  readonly schemas: readonly string[];
  readonly out: string;
}

/**
 * `rolec pull`: writes a snapshot of a database's schemas, tables, views, sequences and columns,
 * for `--snapshot`. The file is written whole or not at all.
 */
export async function pullCommand(options: PullOptions): Promise<number> {
  const { parseConnection } = await import("../live/connection.js");
  const connection = parseConnection(options.db, options.dbPasswordEnv, options.timeouts);
  // Said before connecting: a snapshot that could not be written would be read for nothing.
  if ((await stat(options.out).catch(() => undefined))?.isDirectory()) throw new InputError(`--out ${JSON.stringify(options.out)} is a directory; name the snapshot file to write, e.g. ${JSON.stringify(path.join(options.out, "schema.snapshot.json"))}`);
  const snapshot = connection.engine === "postgres" ? await pullFromPostgres(connection.url, connection.shown, options.schemas, connection.timeouts) : await pullFromMysql(connection.url, connection.shown, options.schemas, connection.timeouts);
  await writeFilesAtomically([{ path: options.out, content: renderSnapshot(snapshot) }]);
  writeStderr(`rolec pull: wrote ${options.out} (${describe(snapshot)}) from ${connection.shown}\n`);
  return 0;
}

async function pullFromPostgres(url: string, shown: string, schemas: readonly string[], timeouts: SessionTimeouts): Promise<Snapshot> {
  const { openPgServer } = await import("../verify/pg-session.js");
  const { pullPostgres } = await import("../snapshot/pull-postgres.js");
  const session = await openPgServer(url, timeouts).catch((error: unknown) => {
    throw new InputError(`cannot connect to ${shown}: ${messageOf(error)}`);
  });
  try {
    return await pullPostgres(session, schemas, shown).catch(rethrowAsInput(shown));
  } finally {
    await session.close().catch(() => undefined);
  }
}

async function pullFromMysql(url: string, shown: string, schemas: readonly string[], timeouts: SessionTimeouts): Promise<Snapshot> {
  const { openMysql } = await import("../verify/mysql/mysql-session.js");
  const { pullMysql } = await import("../snapshot/pull-mysql.js");
  const session = await openMysql(url, undefined, timeouts).catch((error: unknown) => {
    throw new InputError(`cannot connect to ${shown}: ${messageOf(error)}`);
  });
  try {
    return await pullMysql(session, schemas, shown).catch(rethrowAsInput(shown));
  } finally {
    await session.close().catch(() => undefined);
  }
}

/** A database error while reading the catalog (permissions, a server going away) is the user's to fix, on one line. */
function rethrowAsInput(shown: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read the catalog of ${shown}: ${messageOf(error)}`);
  };
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Some drivers report an unreachable server as an AggregateError with an empty message.
  const code = (error as { code?: unknown } | null)?.code;
  return (message.split("\n")[0] || (typeof code === "string" ? code : "")) || "unknown error";
}

function describe(snapshot: Snapshot): string {
  const objects = snapshot.schemas.flatMap((s) => s.objects);
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return [
    count(snapshot.schemas.length, "schema"),
    count(objects.filter((o) => o.kind === "table").length, "table"),
    count(objects.filter((o) => o.kind === "view").length, "view"),
    count(objects.filter((o) => o.kind === "sequence").length, "sequence"),
  ].join(", ");
}
