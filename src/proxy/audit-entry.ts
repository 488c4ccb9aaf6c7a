import type { CheckedNeed, Decision } from "../enforce/index.js";

/** A need in a few words for the log: `select public.orders(id, total)`, `execute function app.f(int4)`, `nextval app.seq`. */
function needText(need: CheckedNeed): string {
  if (need.kind === "routine") return `execute ${need.routineKind} ${need.schema}.${need.name}(${need.args.join(", ")})`;
  if (need.kind === "sequence") return `${need.via} ${need.schema}.${need.object}`;
  return `${need.verb} ${need.schema}.${need.object}${need.columns.length > 0 ? `(${need.columns.join(", ")})` : ""}`;
}

/** The statements' part of an entry, the same for every use of one (cached) decision, so it is built once. */
const statementsPart = new WeakMap<Decision, unknown[]>();

function statementsOf(decision: Decision): unknown[] {
  let part = statementsPart.get(decision);
  if (!part) {
    part = decision.statements.map((s) => ({
      fingerprint: s.fingerprint ?? null,
      allowed: s.allowed,
      ...(s.allowed ? {} : { reason: s.reason }),
      uses: s.needs.map(needText),
    }));
    statementsPart.set(decision, part);
  }
  return part;
}

/**
 * One audit entry for one decision: who (session, role), what (each statement's fingerprint and
 * the privileges it uses, the text only when the proxy is told to keep it: statements carry
 * values), the verdict and why, and the allow-list it was made under.
 */
export function auditedDecision(decision: Decision, who: { session: string; client: string; role: string; protocol: string; text: string | undefined }): Record<string, unknown> {
  return {
    event: "decision",
    session: who.session,
    client: who.client,
    role: who.role,
    protocol: who.protocol,
    allowed: decision.allowed,
    ...(decision.allowed ? {} : { reason: decision.reason }),
    statements: statementsOf(decision),
    allowlist: decision.allowlistSha256,
    ...(who.text !== undefined ? { text: who.text } : {}),
  };
}
