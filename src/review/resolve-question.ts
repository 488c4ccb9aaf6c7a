import { InputError } from "../diagnostics/input-error.js";
import { closestName, didYouMean } from "../diagnostics/did-you-mean.js";
import { columnVerbs, grantableRelations, objectKey, verbOrder, verbsByKind, type DbObject, type Model, type Verb } from "../model/index.js";
import { formatName } from "../syntax/names.js";
import type { ObjectArgument } from "./object-argument.js";

/** A question `who-can` answers: a verb on a declared table, view or sequence, or on one of its columns. */
export interface AccessQuestion {
  readonly verb: Verb;
  readonly object: DbObject;
  readonly column?: string;
}

export function isVerb(text: string): text is Verb {
  return (verbOrder as readonly string[]).includes(text);
}

/** Checks a verb and an object argument against the program, with a message that helps for each way they can be wrong. */
export function resolveQuestion(model: Model, verbText: string, argument: ObjectArgument): AccessQuestion {
  const verb = verbText.toLowerCase();
  if (!isVerb(verb)) throw new InputError(`unknown verb ${JSON.stringify(verbText)}${didYouMean(verb, verbOrder)}; who-can answers for ${verbOrder.join(", ")}`);
  const relations = grantableRelations(model.objects);
  const wanted = objectKey(argument);
  const object = relations.find((o) => objectKey(o) === wanted);
  const shown = `${formatName(argument.schema)}.${formatName(argument.name)}`;
  if (!object) {
    const names = relations.map((o) => `${formatName(o.schema)}.${formatName(o.name)}`);
    const match = closestName(shown, names);
    // The names are written as a .roles file writes them, quotes included: shown as they are, not quoted again.
    throw new InputError(`${shown} is not a declared table, view or sequence${match === undefined ? "" : ` (did you mean ${match}?)`}`);
  }
  if (!verbsByKind[object.kind].includes(verb)) throw new InputError(`${verb} does not apply to ${shown}, a ${object.kind}; it takes ${verbsByKind[object.kind].join(", ")}`);
  if (argument.column === undefined) return { verb, object };
  if (!columnVerbs.has(verb)) throw new InputError(`${verb} acts on whole rows, not on a column; ask about ${shown} without one`);
  if (!object.columns.includes(argument.column)) {
    throw new InputError(`${shown} has no column ${formatName(argument.column)}${didYouMean(argument.column, object.columns)}${object.columns.length > 0 ? `; it has ${object.columns.map(formatName).join(", ")}` : ""}`);
  }
  return { verb, object, column: argument.column };
}
