import { databasePatternMatches } from "./read-mysql.js";

/**
 * Which account a login becomes. The server sorts accounts by host, most specific first (a host
 * without wildcards, then patterns by how much comes before their first wildcard, '%' and ''
 * last), and for the same host a named user before the anonymous one (''), then takes the first
 * whose user and host match. So `''@localhost` is who `app` becomes when it logs in from the
 * server itself, although `app@'%'` exists: the grants of `app@'%'` are not what that login gets.
 */
export function hostSpecificity(host: string): number {
  const wildcard = firstWildcard(host);
  if (wildcard === -1) return host === "" ? 0 : 128;
  return Math.min(wildcard + 1, 127);
}

/** Whether an account on host `other` is tried before one on `declared` for some login that both match. */
export function matchedBefore(other: string, declared: string): boolean {
  if (other === declared) return false;
  // Equal specificity: the order is the server's to choose, so the other account may well come first.
  return hostSpecificity(other) >= hostSpecificity(declared) && hostsOverlap(other, declared);
}

/** Whether some client host matches both host patterns. */
function hostsOverlap(a: string, b: string): boolean {
  const literalA = firstWildcard(a) === -1 && a !== "";
  const literalB = firstWildcard(b) === -1 && b !== "";
  if (literalA && literalB) return a.toLowerCase() === b.toLowerCase();
  if (literalA) return hostMatches(b, a);
  if (literalB) return hostMatches(a, b);
  // Two patterns: they can share a host when neither's fixed beginning rules out the other's.
  const prefixA = a.slice(0, Math.max(firstWildcard(a), 0)).toLowerCase();
  const prefixB = b.slice(0, Math.max(firstWildcard(b), 0)).toLowerCase();
  return prefixA.startsWith(prefixB) || prefixB.startsWith(prefixA);
}

/** How a host a login comes from is described: the name itself, or the pattern it matches. */
export function fromWhere(host: string): string {
  if (host === "" || host === "%") return "any host";
  return firstWildcard(host) === -1 ? host : `hosts matching ${host}`;
}

function hostMatches(pattern: string, host: string): boolean {
  return pattern === "" || databasePatternMatches(pattern.toLowerCase(), host.toLowerCase());
}

function firstWildcard(host: string): number {
  for (let i = 0; i < host.length; i++) {
    if (host[i] === "\\") i++;
    else if (host[i] === "%" || host[i] === "_") return i;
  }
  return -1;
}
