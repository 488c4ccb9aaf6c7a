import { createInterface } from "node:readline/promises";
import { InputError } from "../diagnostics/index.js";
import type { Span } from "../source/source.js";
import { displayPathFor, printDiagnostics, useColor, writeStdout, writeStderr } from "./output.js";
import { runFrontEnd, type FrontEndOptions } from "./run-front-end.js";
import { engines, parseConnection, type EngineName, type SessionTimeouts } from "../engine/index.js";
import type { Model } from "../model/ir.js";
import { planJson, renderPlanText, summarize } from "../live/index.js";

export interface LiveOptions extends FrontEndOptions {
  readonly db: string;
  readonly dbPasswordEnv: string | undefined;
  readonly prune: boolean;
  readonly timeouts: SessionTimeouts;
}

/**
 * `rolec plan`: what would change on the database. Exit 0 when nothing would, 2 when something
 * would (like `terraform plan -detailed-exitcode`), 1 on any error or blocker.
 */
export async function planCommand(options: LiveOptions): Promise<number> {
  const connection = parseConnection(options.db, options.dbPasswordEnv, options.timeouts);
  const checked = await checkedModel(options, connection.engine);
  if (!checked) return 1;
  const { model, where } = checked;
  const engine = await engines[connection.engine].connect(connection);
  try {
    const planned = await engine.plan(model, { prune: options.prune });
    if (options.format === "json") {
      writeStdout(JSON.stringify({ ok: planned.plan.blockers.length === 0, database: connection.shown, ...planJson(planned.plan, planned.statements, where) }, null, 2) + "\n");
    } else {
      writeStdout(renderPlanText(planned.plan, connection.shown, where));
    }
    if (planned.plan.blockers.length > 0) return 1;
    return planned.plan.changes.length > 0 ? 2 : 0;
  } finally {
    await engine.close();
  }
}

/**
 * `rolec apply`: makes the plan so. It shows the plan and asks, unless --yes; without a terminal
 * to ask on, it refuses rather than guess.
 */
export async function applyCommand(options: LiveOptions & { yes: boolean }): Promise<number> {
  const connection = parseConnection(options.db, options.dbPasswordEnv, options.timeouts);
  if (!options.yes && !process.stdin.isTTY) {
    throw new InputError("apply needs a terminal to ask for confirmation; run rolec plan to review, then rolec apply --yes");
  }
  const checked = await checkedModel(options, connection.engine);
  if (!checked) return 1;
  const { model, where } = checked;
  const engine = await engines[connection.engine].connect(connection);
  try {
    const outcome = await engine.apply(model, {
      prune: options.prune,
      confirm: async (planned) => {
        if (options.format === "text") writeStdout(renderPlanText(planned.plan, connection.shown, where));
        return options.yes || (await ask("Apply these changes? Only 'yes' is taken as yes: "));
      },
    });
    const planned = outcome.planned;
    if (options.format === "json") {
      writeStdout(JSON.stringify({ ok: outcome.kind === "applied" || outcome.kind === "nothing to do", outcome: outcome.kind, database: connection.shown, ...planJson(planned.plan, planned.statements, where) }, null, 2) + "\n");
    } else if (outcome.kind === "blocked" || outcome.kind === "nothing to do") {
      writeStdout(renderPlanText(planned.plan, connection.shown, where));
    }
    if (options.format === "text") {
      const s = summarize(planned.plan);
      const message = {
        applied: `Applied: ${s.add} added, ${s.change} changed, ${s.remove} taken away, ${engine.applies}; the database now holds exactly what the .roles files say.`,
        "nothing to do": "Nothing to apply.",
        blocked: "Nothing applied: fix what blocks the plan first.",
        declined: "Nothing applied.",
      }[outcome.kind];
      writeStderr(`rolec apply: ${message}\n`);
    }
    return outcome.kind === "blocked" || outcome.kind === "declined" ? 1 : 0;
  } finally {
    await engine.close();
  }
}

/**
 * The front end for plan and apply: prints the diagnostics and gives the model and the way to
 * name a line, or undefined when the diagnostics stop the command.
 */
async function checkedModel(options: LiveOptions, engine: EngineName): Promise<{ model: Model; where: (span: Span) => string } | undefined> {
  const { loaded, program, fails } = await runFrontEnd({ ...options, engines: [engine] });
  if (fails || options.format === "text") printDiagnostics(program.diagnostics, loaded, options.format, useColor(options.color), { ok: false });
  if (fails) return undefined;
  return { model: program.model, where: whereFor(displayPathFor(loaded)) };
}

function whereFor(displayPath: (p: string) => string): (span: Span) => string {
  return (span) => `${displayPath(span.file)}:${span.startLine}`;
}

async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim() === "yes";
  } finally {
    rl.close();
  }
}
