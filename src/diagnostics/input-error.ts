/**
 * A problem with what the user asked for (a missing path, an unreadable file, a bad option)
 * that is not about the `.roles` text itself. The CLI prints its message on one line and exits 1.
 */
export class InputError extends Error {
  override readonly name = "InputError";
}
