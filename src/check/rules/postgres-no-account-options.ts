import type { ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";

// Warns, when compiling for PostgreSQL, about a login role's account options (RC0923): they are
// MySQL/MariaDB's, and a reader must not think the PostgreSQL role requires TLS or has limits.
// A warning, not an error, so that one program can serve both engines once pg_hba.conf says the same.
export function postgresNoAccountOptionsRule({ roles }: ResolvedProgram, reporter: Reporter): void {
  for (const [name, role] of roles) {
    const options = role.block.options.filter((o) => o.kind === "AccountOption");
    if (!role.login || role.external || options.length === 0) continue;
    reporter.report(
      "RC0923",
      `${options.map((o) => o.option).join(", ")} of role ${quoted(name)} apply to its MySQL/MariaDB account only: PostgreSQL has no such role options; require TLS and certificates there in pg_hba.conf (hostssl, clientcert=verify-full)`,
      options[0]!.span,
    );
  }
}
