import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describeChange, type Plan } from "../../../src/engine/index.js";
import { compileProgram } from "../../../src/load/index.js";
import { migrationFileName, planMigration, renderMigration, type MigrationTarget } from "../../../src/migrate/index.js";
import type { Model } from "../../../src/model/ir.js";
import { tempDir } from "../../helpers/cli.js";
import { programSource, type GeneratedProgram } from "../program-generator.js";
import type { Engine } from "../transition-generator.js";

/** What the tests ask of rolec itself: the program's model, plans described, migrations written. */

export function modelOf(program: GeneratedProgram, engine: Engine): Model {
  const compiled = compileProgram([{ path: "roles.roles", text: programSource(program) }], engine === "mysql" ? { databases: ["mysql"] } : {});
  const errors = compiled.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`bug in the generator: an invalid program: ${errors.map((e) => `${e.code} ${e.message}`).join("; ")}\n${programSource(program)}`);
  return compiled.model;
}

/** Throws when a plan that should be empty is not, naming each change and blocker. */
export function expectEmptyPlan(step: string, plan: Plan): void {
  const left = [...plan.blockers.map((b) => `blocker: ${b.what}`), ...plan.changes.map((c) => `${c.kind} ${c.role ?? ""}: ${describeChange(c)}`)];
  if (left.length > 0) throw new Error(`${step}: the plan is not empty:\n  ${left.join("\n  ")}`);
}

export function expectUnblocked(step: string, plan: Plan): void {
  if (plan.blockers.length > 0) throw new Error(`${step}: the plan is blocked:\n  ${plan.blockers.map((b) => `${b.what} (${b.hint})`).join("\n  ")}`);
}

/**
 * The migrations `rolec migrate` writes for A, then for B, in a folder of their own, as its
 * library entry writes them (the CLI adds only argument handling and the clock), given to `fn`
 * as the files to run in order; the folder goes afterwards. A migration with nothing to do is
 * not written, as the CLI does not write it.
 */
export async function withMigrations<T>(a: Model, b: Model, target: MigrationTarget, fn: (files: readonly string[]) => Promise<T>): Promise<T> {
  const dir = tempDir();
  try {
    const files: string[] = [];
    for (const [i, model] of [a, b].entries()) {
      const planned = await planMigration(model, dir, target);
      if (planned.plan.changes.length === 0) continue;
      const file = path.join(dir, migrationFileName("plain", `2026120200000${i}`, i === 0 ? "a" : "b"));
      writeFileSync(file, renderMigration(planned, model, "plain", (span) => `${span.file}:${span.startLine}`));
      files.push(file);
    }
    return await fn(files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
