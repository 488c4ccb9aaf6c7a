import { InputError } from "../diagnostics/input-error.js";

/**
 * How much input rolec takes in, checked from the file sizes before anything is read. The whole
 * program is held in memory (syntax trees, the checker's tables, the model): about 100 to 150 MB
 * per MB of .roles text, so a file of tens of MB would end in V8 running out of heap after
 * minutes. 5 MB is some 40,000 tables of a typical program (the 10,000-table benchmark is 1.5 MB,
 * 20,000 tables 2.6 MB), which compile peaks at about 0.9 GB; the densest 5 MB (300,000 tables of
 * one column) peaks at 1.7 GB, well under V8's heap limit. ROLEC_MAX_INPUT_MB raises it for a
 * machine with the memory and the patience.
 */
export const defaultInputLimitMb = 5;
export const inputLimitVariable = "ROLEC_MAX_INPUT_MB";

const mb = 1024 * 1024;

/** The limit in bytes: the default, or ROLEC_MAX_INPUT_MB. */
export function inputLimitBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[inputLimitVariable];
  if (raw === undefined || raw === "") return defaultInputLimitMb * mb;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new InputError(`${inputLimitVariable} must be a number of megabytes above 0, not ${JSON.stringify(raw)}`);
  return value * mb;
}

/** Refuses input of `bytes` over the limit, on one line; `subject` names it, with its verb (`"a.roles" is`). */
export function checkInputSize(subject: string, bytes: number, kind: string): void {
  const limit = inputLimitBytes();
  if (bytes <= limit) return;
  throw new InputError(`${subject} ${megabytes(bytes)} MB; rolec reads at most ${megabytes(limit)} MB of ${kind} (set ${inputLimitVariable} to raise the limit, if the machine has some 150 MB of memory for each MB)`);
}

function megabytes(bytes: number): string {
  const value = bytes / mb;
  if (value >= 10) return value.toFixed(0);
  return value >= 1 ? value.toFixed(1).replace(/\.0$/, "") : String(Number(value.toPrecision(2)));
}
