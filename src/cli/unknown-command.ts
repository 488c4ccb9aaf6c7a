import { Parser } from "yargs/helpers";
import { closestName } from "../diagnostics/did-you-mean.js";

/** Every command rolec has, in the order `--help` lists them. */
export const commandNames = ["check", "compile", "fmt", "verify", "plan", "apply", "migrate", "who-can", "access", "diff", "review", "audit", "verify-artifacts", "proxy", "import", "pull"] as const;

/**
 * The message for a command line that names no command but some other word (`rolec chekc`), or
 * undefined when it names one (yargs' own message then says what else is wrong). yargs alone
 * reports such a word as an unknown argument, which does not tell the user what went wrong.
 */
export function unknownCommandMessage(args: readonly string[]): string | undefined {
  // A command anywhere (`--strict check`, where yargs takes check for the value of --strict)
  // means the mistake is something else.
  if (args.some((a) => (commandNames as readonly string[]).includes(a))) return undefined;
  // The parser yargs uses, so that the value of an option is not taken for the command.
  const words = Parser([...args], { boolean: ["help", "version", "h"], configuration: { "parse-numbers": false } })._.map(String);
  if (words.length === 0) return undefined;
  const name = words[0]!;
  const match = closestName(name, commandNames);
  return match === undefined
    ? `unknown command ${JSON.stringify(name)}; the commands are ${commandNames.join(", ")}`
    : `unknown command ${JSON.stringify(name)} (did you mean ${match}?)`;
}
