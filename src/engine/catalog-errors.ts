import { InputError } from "../diagnostics/input-error.js";

/** A database error while reading the catalog (permissions, a server going away) is the user's to fix, on one line. */
export function rethrowAsInput(shown: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read the catalog of ${shown}: ${driverMessage(error)}`);
  };
}

/** The first line of a driver's error. */
export function driverMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Some drivers report an unreachable server as an AggregateError with an empty message.
  const code = (error as { code?: unknown } | null)?.code;
  return (message.split("\n")[0] || (typeof code === "string" ? code : "")) || "unknown error";
}
