import { stat } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../diagnostics/index.js";
import type { Snapshot } from "../model/snapshot.js";
import { renderSnapshot } from "../model/snapshot.js";
import { engines, parseConnection, type SessionTimeouts } from "../engine/index.js";
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
  const connection = parseConnection(options.db, options.dbPasswordEnv, options.timeouts);
  // Said before connecting: a snapshot that could not be written would be read for nothing.
  if ((await stat(options.out).catch(() => undefined))?.isDirectory()) throw new InputError(`--out ${JSON.stringify(options.out)} is a directory; name the snapshot file to write, e.g. ${JSON.stringify(path.join(options.out, "schema.snapshot.json"))}`);
  const snapshot = await engines[connection.engine].pull(connection, options.schemas);
  await writeFilesAtomically([{ path: options.out, content: renderSnapshot(snapshot) }]);
  writeStderr(`rolec pull: wrote ${options.out} (${describe(snapshot)}) from ${connection.shown}\n`);
  return 0;
}

/** `2 functions and procedures`, only where there are some: a snapshot of tables alone is described as before. */
function either(n: number, one: string, many: string): string[] {
  return n === 0 ? [] : [`${n} ${n === 1 ? one : many}`];
}

function describe(snapshot: Snapshot): string {
  const objects = snapshot.schemas.flatMap((s) => s.objects);
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return [
    count(snapshot.schemas.length, "schema"),
    count(objects.filter((o) => o.kind === "table").length, "table"),
    count(objects.filter((o) => o.kind === "view").length, "view"),
    count(objects.filter((o) => o.kind === "sequence").length, "sequence"),
    ...either(snapshot.schemas.reduce((n, s) => n + (s.routines?.length ?? 0), 0), "function or procedure", "functions and procedures"),
    ...either(snapshot.schemas.reduce((n, s) => n + (s.types?.length ?? 0), 0), "type or domain", "types and domains"),
  ].join(", ");
}
