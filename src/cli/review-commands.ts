import { accessJson, accessOf, parseObjectArgument, renderAccessText, renderWhoCanText, resolveQuestion, whoCan, whoCanJson, whoCanLive, isVerb, type ShowSpan } from "../review/index.js";
import { InputError } from "../diagnostics/input-error.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { engines, parseConnection, type SessionTimeouts } from "../engine/index.js";
import { verbOrder } from "../model/verbs.js";
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

export interface LiveQuestionOptions {
  readonly db: string | undefined;
  readonly dbPasswordEnv: string | undefined;
  readonly timeouts: SessionTimeouts;
}

/** `rolec who-can VERB schema.object[(column)]`: by the .roles files, or by the database with --db. Exit 0 whether or not a role can. */
export async function whoCanCommand(options: FrontEndOptions & LiveQuestionOptions & { verb: string; object: string }): Promise<number> {
  const argument = parseObjectArgument(options.object);
  if (options.db !== undefined) return whoCanOnDatabase(options, argument);
  const checked = await checkedForReview(options, "who-can");
  if (!checked) return 1;
  const question = resolveQuestion(checked.model, options.verb, argument);
  const answers = whoCan(checked.model, question);
  if (options.format === "json") writeStdout(JSON.stringify(whoCanJson(answers, checked.show), null, 2) + "\n");
  else writeStdout(renderWhoCanText({ ...question, sensitiveColumns: question.object.sensitiveColumns }, answers, "the .roles files", checked.show));
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

/** who-can --db: the server's privilege functions decide; its ACLs and memberships explain. */
async function whoCanOnDatabase(options: FrontEndOptions & LiveQuestionOptions & { verb: string }, argument: ReturnType<typeof parseObjectArgument>): Promise<number> {
  if (options.paths.length > 0) throw new InputError("with --db the answer comes from the database, not from .roles files; leave out the paths, or drop --db for the files' answer");
  const verb = options.verb.toLowerCase();
  if (!isVerb(verb)) throw new InputError(`unknown verb ${JSON.stringify(options.verb)}${didYouMean(verb, verbOrder)}; who-can answers for ${verbOrder.join(", ")}`);
  const connection = parseConnection(options.db!, options.dbPasswordEnv, options.timeouts);
  const live = await engines[connection.engine].connect(connection);
  try {
    const facts = await live.accessFacts({ verb, schema: argument.schema, name: argument.name, ...(argument.column === undefined ? {} : { column: argument.column }) });
    const answers = whoCanLive(facts, argument.column);
    const question = { verb, object: { schema: argument.schema, name: argument.name, kind: facts.kind }, ...(argument.column === undefined ? {} : { column: argument.column }) };
    const show: ShowSpan = () => "";
    if (options.format === "json") writeStdout(JSON.stringify(whoCanJson(answers, show), null, 2) + "\n");
    else writeStdout(renderWhoCanText(question, answers, connection.shown, show));
    return 0;
  } finally {
    await live.close();
  }
}
