import { createHash } from "node:crypto";
import type { SqlNode } from "./parse-sql.js";

/**
 * A statement's fingerprint: a hash of its parse tree with every constant and every position
 * left out, so that statements differing only in their literal values, spacing, comments or
 * keyword case share one (as pg_stat_statements groups them). An audit log can then record which
 * statement ran without recording the values in it. 16 bytes of SHA-256, in hex.
 */
export function fingerprintOf(stmt: SqlNode): string {
  const shape = JSON.stringify(stmt, (key, value: unknown) => {
    if (key === "location" || key === "stmt_location" || key === "stmt_len") return undefined;
    // A constant's value is dropped; that it is a constant stays.
    if (key === "A_Const") return {};
    return value;
  });
  return createHash("sha256").update(shape).digest("hex").slice(0, 32);
}
