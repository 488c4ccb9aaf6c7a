import path from "node:path";
import { renderPlanText, summarize } from "../live/render-plan.js";
import { InputError } from "../diagnostics/input-error.js";
import type { MigrationLayout } from "../migrate/index.js";
import { engineOfTarget, type DatabaseTarget } from "../engine/index.js";
import { displayPathFor, printDiagnostics, useColor, writeStdout, writeStderr } from "./output.js";
import { runFrontEnd, type FrontEndOptions } from "./run-front-end.js";
import { writeFilesAtomically } from "./write-files.js";

export interface MigrateOptions extends FrontEndOptions {
  readonly dir: string;
  readonly name: string | undefined;
  readonly target: DatabaseTarget;
  readonly layout: MigrationLayout;
  readonly check: boolean;
  readonly prune: boolean;
}

/**
 * `rolec migrate`: writes the next migration file, holding what changed in the sources since the
 * newest migration in --dir, or nothing when nothing did. `--check` writes nothing and exits 1
 * when the sources hold changes that no migration does yet, for CI.
 */
export async function migrateCommand(options: MigrateOptions): Promise<number> {
  const migrate = await import("../migrate/index.js");
  if (!options.check && options.name === undefined) throw new InputError("migrate needs --name, a few words on what the migration does (or --check to only check)");
  const name = options.name === undefined ? undefined : migrate.migrationName(options.name);
  const { loaded, program, fails } = await runFrontEnd({ ...options, engines: [engineOfTarget(options.target)] });
  if (fails || options.format === "text") printDiagnostics(program.diagnostics, loaded, options.format, useColor(options.color), { ok: false });
  if (fails) return 1;
  const displayPath = displayPathFor(loaded);
  const where = (span: { file: string; startLine: number }) => `${displayPath(span.file)}:${span.startLine}`;

  const planned = await migrate.planMigration(program.model, options.dir, options.target, { prune: options.prune });
  const changes = planned.plan.changes.length;
  const after = planned.previous ? path.basename(planned.previous.file) : "no migration yet";
  if (options.check) {
    if (options.format === "json") {
      writeStdout(JSON.stringify({ ok: changes === 0, dir: options.dir, newest: planned.previous?.file ?? null, changes: summarize(planned.plan) }, null, 2) + "\n");
    } else if (changes > 0) {
      writeStdout(renderPlanText({ ...planned.plan, unmanaged: [] }, `the migrations in ${options.dir} (newest: ${after})`, where, { removal: "no longer in the .roles files" }));
      writeStderr(`rolec migrate --check: the sources hold ${changes} change(s) that no migration in ${options.dir} does; run rolec migrate --name "..." and commit the file\n`);
    } else {
      writeStderr(`rolec migrate --check: up to date (${after})\n`);
    }
    return changes > 0 ? 1 : 0;
  }
  if (changes === 0) {
    if (options.format === "json") writeStdout(JSON.stringify({ ok: true, written: null, changes: summarize(planned.plan) }, null, 2) + "\n");
    else writeStderr(`rolec migrate: nothing to do; the sources hold nothing that ${after} does not\n`);
    return 0;
  }
  const version = migrate.nextVersion(planned.previous ? path.basename(planned.previous.file).match(/^V?(\d+)_/)?.[1] : undefined, migrate.migrationClock());
  const file = path.join(options.dir, migrate.migrationFileName(options.layout, version, name!));
  // In the file, lines are named relative to the sources' root, as its header lists them: the same wherever the checkout is.
  const inFile = (span: { file: string; startLine: number }) => `${span.file}:${span.startLine}`;
  await writeFilesAtomically([{ path: file, content: migrate.renderMigration(planned, program.model, options.layout, inFile) }]);
  const s = summarize(planned.plan);
  if (options.format === "json") writeStdout(JSON.stringify({ ok: true, written: file, changes: s }, null, 2) + "\n");
  else writeStdout(`wrote ${file}: ${s.add} to add, ${s.change} to change, ${s.remove} to take away\n`);
  return 0;
}
