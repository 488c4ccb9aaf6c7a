import Handlebars from "handlebars";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The package's root folder, found from this module wherever it runs from (src/ under tsx, dist/src/ when built). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "targets")) || !existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("bug: cannot find the targets/ folder of the rolec package");
    dir = parent;
  }
  return dir;
}

export const targetsDirectory = path.join(packageRoot(), "targets");

/** SQL quoting helpers a target lends its templates; the only helpers that may print a value. */
export type QuotingHelpers = Record<string, (...args: never[]) => string>;

/**
 * A Handlebars environment for one target: `noEscape` (this is SQL, not HTML; quoting is the
 * helpers' job) and `strict` (a misspelt field is an error, not an empty string).
 */
export function templateRenderer(
  target: string,
  helpers: QuotingHelpers,
  /** Block helpers get the text inside them and the data at that point (to render another template with it). */
  blockHelpers: Record<string, (inner: string, context: object) => string> = {},
): (name: string, data: object) => string {
  const env = Handlebars.create();
  for (const [name, helper] of Object.entries(helpers)) env.registerHelper(name, withoutOptions(helper as (...a: unknown[]) => string));
  for (const [name, helper] of Object.entries(blockHelpers)) {
    env.registerHelper(name, function (this: object, options: Handlebars.HelperOptions) {
      return helper(options.fn(this), this);
    });
  }
  env.registerHelper("each", eachJoined);
  const knownHelpers = Object.fromEntries([...Object.keys(helpers), ...Object.keys(blockHelpers)].map((name) => [name, true]));
  const cache = new Map<string, HandlebarsTemplateDelegate>();
  return (name, data) => {
    let template = cache.get(name);
    if (!template) {
      const source = readFileSync(path.join(targetsDirectory, target, `${name}.hbs`), "utf8");
      // Every helper a template may call is known up front, so the compiled template calls it
      // directly instead of looking each mustache up as a helper or a field at run time.
      template = env.compile(source, { noEscape: true, strict: true, knownHelpers, knownHelpersOnly: true });
      cache.set(name, template);
    }
    return flattened(template(data));
  };
}

/**
 * Handlebars passes its options object after a helper's arguments; a quoting helper takes only
 * the arguments. The common counts are passed without building an array, since a large script
 * calls these helpers millions of times.
 */
function withoutOptions(helper: (...args: unknown[]) => string): (...args: unknown[]) => string {
  return function (...args: unknown[]) {
    switch (args.length) {
      case 2:
        return helper(args[0]);
      case 3:
        return helper(args[0], args[1]);
      default:
        return helper(...args.slice(0, -1));
    }
  };
}

/**
 * Handlebars' `each`, for arrays, with one difference: the iterations' texts are joined at the
 * end rather than appended one by one. A large script's loops run hundreds of thousands of
 * times, and appending builds a rope whose nodes outlive the loop and take many times the
 * text's size; joining makes one string. Templates use @first and @last, which it sets too.
 */
function eachJoined(this: unknown, items: unknown, options: Handlebars.HelperOptions): string {
  if (items === undefined || items === null || (Array.isArray(items) && items.length === 0)) return options.inverse(this);
  if (!Array.isArray(items)) throw new Error(`bug: a template's #each was given ${typeof items}, not an array`);
  const data = Handlebars.createFrame(options.data ?? {});
  const parts = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) {
    data.index = i;
    data.first = i === 0;
    data.last = i === items.length - 1;
    // Flattened at once, so the loop holds one string per iteration and not the pieces of each.
    parts[i] = flattened(options.fn(items[i], { data, blockParams: [items[i], i] }));
  }
  return parts.join("");
}

/**
 * A template's output is built by appending many small pieces, which V8 keeps as a rope: for a
 * large script the rope's nodes take ten times the text's own size, for as long as the text is
 * held. Reading a character makes V8 flatten it into one string and let the pieces go.
 */
function flattened(text: string): string {
  text.charCodeAt(0);
  return text;
}
