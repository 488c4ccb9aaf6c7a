/**
 * A connection string as it may be shown: never with a password, whether it stands in the URL's
 * user part or in its query (`?password=...`, and `sslpassword` for an encrypted key), both of
 * which the drivers read.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    for (const name of [...u.searchParams.keys()]) {
      if (/pass/i.test(name)) u.searchParams.set(name, "***");
    }
    return u.toString();
  } catch {
    return "(a connection string that is not a valid URL)";
  }
}
