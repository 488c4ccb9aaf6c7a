import { accessJson, accessOf, parseObjectArgument, renderAccessText, renderWhoCanText, resolveQuestion, whoCan, whoCanJson, type ShowSpan } from "../review/index.js";
import { spanLocation } from "../source/source.js";
import { displayPathFor, printDiagnostics, useColor, writeStdout, writeStderr } from "./output.js";
import { runFrontEnd, type FrontEndOptions } from "./run-front-end.js";
import type { Model } from "../model/ir.js";
import type { LoadedSources } from "../load/load-sources.js";

/**
 * The checked model for a question, or undefined (diagnostics printed) when the files do not
 * check: an answer from a program with errors would be an answer about a different program.
 */
async function checkedForReview(options: FrontEndOptions, command: string): Promise<{ model: Model; show: ShowSpan } | undefined> {
  const { loaded, program, fails } = await runFrontEnd(options);
  if (fails) {
    printDiagnostics(program.diagnostics, loaded, options.format, useColor(options.color), { ok: false });
    if (options.format === "text") writeStderr(`rolec ${command}: the .roles files do not check; no answer\n`);
    return undefined;
  }
  return { model: program.model, show: spanShower(loaded) };
}

export function spanShower(loaded: LoadedSources): ShowSpan {
  const displayPath = displayPathFor(loaded);
  return (span) => spanLocation({ ...span, file: displayPath(span.file) });
}

/** `rolec who-can VERB schema.object[(column)]`: by the .roles files. Exit 0 whether or not a role can. */
export async function whoCanCommand(options: FrontEndOptions & { verb: string; object: string }): Promise<number> {
  const argument = parseObjectArgument(options.object);
  const checked = await checkedForReview(options, "who-can");
  if (!checked) return 1;
  const question = resolveQuestion(checked.model, options.verb, argument);
  const answers = whoCan(checked.model, question);
  if (options.format === "json") writeStdout(JSON.stringify(whoCanJson(answers, checked.show), null, 2) + "\n");
  else writeStdout(renderWhoCanText(question, answers, "the .roles files", checked.show));
  return 0;
}

/** `rolec access ROLE`: everything the role can do by the .roles files. */
export async function accessCommand(options: FrontEndOptions & { role: string }): Promise<number> {
  const checked = await checkedForReview(options, "access");
  if (!checked) return 1;
  const access = accessOf(checked.model, options.role);
  if (options.format === "json") writeStdout(JSON.stringify(accessJson(access, checked.show), null, 2) + "\n");
  else writeStdout(renderAccessText(access, checked.show));
  return 0;
}
