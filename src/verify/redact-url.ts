/** A connection string as it may be shown: never with its password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(a connection string that is not a valid URL)";
  }
}
