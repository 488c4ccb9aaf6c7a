import type { ExecutionContext } from "ava";
import { verified } from "../../src/engine/index.js";
import { openPglite, renderPostgres, verifyScript } from "../../src/engine/postgres/index.js";
import type { Model } from "../../src/model/ir.js";

/**
 * verify on PGlite passes the compiled script, and reports exactly `expected` (one line per
 * mismatch, `check: role verb on object: expected / actual`) for the script with `from` replaced
 * by `to`: the check a kind of privilege's tests use to show verify can fail.
 */
export async function expectVerifyCatchesTampering(t: ExecutionContext, model: Model, from: string, to: string, expected: readonly string[]): Promise<void> {
  const script = renderPostgres(model);
  const tampered = script.replace(from, to);
  t.not(tampered, script, "the tampering must change the script");
  for (const [text, wanted] of [[script, [] as readonly string[]], [tampered, expected]] as const) {
    const session = await openPglite();
    try {
      const report = await verifyScript(model, text, session);
      t.is(verified(report), wanted.length === 0, JSON.stringify(report.mismatches));
      t.deepEqual(report.mismatches.map((m) => `${m.check}: ${m.role} ${m.verb} on ${m.object}: ${m.expected} / ${m.actual}`), [...wanted]);
    } finally {
      await session.close();
    }
  }
}
