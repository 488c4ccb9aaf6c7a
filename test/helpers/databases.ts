/**
 * Server tests read their server from an environment variable. Unset, they are skipped with a
 * one-line note; under ROLEC_REQUIRE_SERVERS=1 (as in .ci/run) a missing variable is a failure.
 */
export function serverUrl(variable: "ROLEC_TEST_PG_URL" | "ROLEC_TEST_MYSQL_URL"): string | undefined {
  const url = process.env[variable];
  if (!url) {
    if (process.env.ROLEC_REQUIRE_SERVERS === "1") throw new Error(`${variable} is not set, and ROLEC_REQUIRE_SERVERS=1 requires it`);
    process.stderr.write(`note: ${variable} is not set; skipping the tests that need that server\n`);
  }
  return url;
}

/** The same URL, pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}
