import { genesisHash, readChainLine } from "./chain.js";

/** One log file's text, and the name it is reported under. */
export interface AuditFile {
  readonly name: string;
  readonly text: string;
}

export type AuditVerdict =
  | { readonly ok: true; readonly entries: number; readonly head: string }
  | { readonly ok: false; readonly entries: number; readonly at: string; readonly problem: string };

/**
 * Checks one chain across files given in order (rotated files first, as `ls` sorts their
 * names): every line an entry whose hash is right, numbered one higher than the one before and
 * naming its hash. The chain must start at the beginning (entry 1, after the genesis hash) or
 * with a rotation entry, whose older files may be archived elsewhere. The first bad entry is
 * named by file and line, with what is wrong with it; with `expectedHead` (a digest kept
 * elsewhere), a chain that stops before that entry (a truncated tail) is bad too.
 */
export function verifyAuditLog(files: readonly AuditFile[], options: { expectedHead?: string } = {}): AuditVerdict {
  let entries = 0;
  let prev: string | undefined;
  let seq: number | undefined;
  let headSeen = options.expectedHead === undefined;
  for (const file of files) {
    const lines = file.text.split("\n");
    if (lines.at(-1) !== "") return bad(`${file.name}:${lines.length}`, "the last line is unfinished (the file was cut mid-entry)");
    for (let i = 0; i < lines.length - 1; i++) {
      const at = `${file.name}:${i + 1}`;
      const entry = readChainLine(lines[i]!);
      if (!entry) return bad(at, "not an audit entry (inserted, or edited past reading)");
      if (!entry.hashMatches) return bad(at, `entry ${entry.seq} was changed after it was written: its hash does not match its content`);
      if (seq === undefined && entry.fields.event !== "rotated") {
        // Not a continuation: the log's own beginning, or entries before this one were cut.
        seq = 0;
        prev = genesisHash;
      }
      if (seq !== undefined && entry.seq !== seq + 1) {
        return bad(at, entry.seq <= seq ? `entry ${entry.seq} comes after entry ${seq}: entries were reordered or inserted` : `entries ${seq + 1} to ${entry.seq - 1} are missing: deleted`);
      }
      if (prev !== undefined && entry.prev !== prev) return bad(at, `entry ${entry.seq} does not follow the entry before it: one was deleted, inserted or replaced`);
      seq = entry.seq;
      prev = entry.hash;
      entries++;
      if (entry.hash === options.expectedHead) headSeen = true;
    }
  }
  if (!headSeen) return bad(files.at(-1)?.name ?? "(no file)", `the chain never reaches the digest ${options.expectedHead}: entries were cut from its end`);
  return { ok: true, entries, head: prev ?? genesisHash };

  function bad(at: string, problem: string): AuditVerdict {
    return { ok: false, entries, at, problem };
  }
}
