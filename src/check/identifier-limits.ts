import type { Name } from "../syntax/ast.js";
import { quoted, type Reporter } from "./reporter.js";

/** PostgreSQL's NAMEDATALEN is 64, so a name holds at most 63 bytes of UTF-8; longer ones are silently cut. */
export const maxIdentifierBytes = 63;

/** Checks one declared name against what every target database accepts. */
export function checkIdentifier(reporter: Reporter, name: Name, what: string): void {
  if (name.value.length === 0 || name.value.includes("\u0000")) {
    reporter.report("RC0703", `${what} name ${name.value.length === 0 ? "is empty" : "contains a NUL character"}; no database accepts it`, name.span);
    return;
  }
  const bytes = Buffer.byteLength(name.value, "utf8");
  if (bytes > maxIdentifierBytes) {
    reporter.report(
      "RC0701",
      `${what} name ${quoted(name.value)} is ${bytes} bytes long; PostgreSQL keeps only the first ${maxIdentifierBytes} bytes, so shorten it`,
      name.span,
    );
  }
}
