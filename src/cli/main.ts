#!/usr/bin/env node
import yargs, { type Argv } from "yargs";
import { hideBin } from "yargs/helpers";
import { targets } from "../emit/index.js";
import { InputError } from "../load/index.js";
import { rolecVersion } from "../version.js";
import { checkCommand, compileCommand, verifyCommand } from "./commands.js";
import { formatFiles } from "./format-files.js";
import type { OutputFormat } from "./output.js";

const epilogue = "Paths are .roles files or directories (searched recursively); the default is the current directory. Docs: README.md";

function common<T>(y: Argv<T>) {
  return y
    .positional("paths", { type: "string", array: true, default: [] as string[], describe: ".roles files or directories" })
    .option("format", { choices: ["text", "json"] as const, default: "text" as const, describe: "Output for people or for tools" })
    .option("strict", { type: "boolean", default: false, describe: "Treat warnings as errors" })
    .option("color", { type: "boolean", describe: "Colour the output (default: when stderr is a terminal and NO_COLOR is unset)" });
}

function frontEnd(argv: { paths: string[]; format: OutputFormat; strict: boolean; color: boolean | undefined }) {
  return { paths: argv.paths, format: argv.format, strict: argv.strict, color: argv.color };
}

async function main(): Promise<number> {
  let exitCode = 0;
  await yargs(hideBin(process.argv))
    .scriptName("rolec")
    .usage("rolec: database permissions as code.\n\nUsage: rolec <command> [paths..] [options]")
    .command(
      "check [paths..]",
      "Type-check .roles files and report every problem",
      (y) => common(y).example("rolec check examples/shop", "check one project"),
      async (argv) => {
        exitCode = await checkCommand(frontEnd(argv));
      },
    )
    .command(
      "compile [paths..]",
      "Compile .roles files into a PostgreSQL script, a proxy allow-list and a manifest",
      (y) =>
        common(y)
          .option("target", { choices: [...targets, "all"] as const, default: "all" as const, describe: "What to produce" })
          .option("out", { type: "string", demandOption: true, describe: "Directory to write the artifacts to" })
          .example("rolec compile examples/shop --out build/roles", "write postgres.sql, allowlist.json and manifest.json"),
      async (argv) => {
        exitCode = await compileCommand({ ...frontEnd(argv), out: argv.out, target: argv.target });
      },
    )
    .command(
      "fmt [paths..]",
      "Rewrite .roles files in canonical form, keeping every comment",
      (y) =>
        y
          .positional("paths", { type: "string", array: true, default: [] as string[], describe: ".roles files or directories" })
          .option("check", { type: "boolean", default: false, describe: "Change nothing; exit 1 and list the files that are not formatted" })
          .option("color", { type: "boolean", describe: "Colour the output" }),
      async (argv) => {
        exitCode = await formatFiles({ paths: argv.paths, check: argv.check, color: argv.color });
      },
    )
    .command(
      "verify [paths..]",
      "Prove on an embedded PostgreSQL that the compiled script grants exactly what the .roles files say",
      (y) =>
        common(y)
          .option("script", { type: "string", describe: "Verify this SQL script instead of the one rolec compiles (e.g. a reviewed copy)" })
          .option("db", {
            type: "string",
            describe: "Verify on this PostgreSQL server instead of PGlite: in a scratch database it drops afterwards. The declared roles must not exist there yet",
          })
          .example("rolec verify examples/shop --db postgres://postgres@127.0.0.1/postgres", "the same proof on a real server")
          .example("rolec verify examples/shop", "create the declared objects in PGlite, apply the script, and check every role"),
      async (argv) => {
        exitCode = await verifyCommand({ ...frontEnd(argv), script: argv.script, db: argv.db });
      },
    )
    .demandCommand(1, "Name a command: check, compile, fmt or verify.")
    .strict()
    .epilogue(epilogue)
    .version(rolecVersion)
    .help()
    .alias("h", "help")
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      if (error) throw error;
      process.stderr.write(`rolec: ${message}\nRun "rolec --help" for usage.\n`);
      process.exit(1);
    })
    .parseAsync();
  return exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof InputError) {
      process.stderr.write(`rolec: ${error.message}\n`);
    } else {
      // A bug, not bad input: say so plainly, and show the details only when asked for.
      const detail = process.env.ROLEC_DEBUG ? `\n${(error as Error)?.stack ?? String(error)}` : " (set ROLEC_DEBUG=1 for details)";
      process.stderr.write(`rolec: internal error: ${(error as Error)?.message ?? String(error)}${detail}\n`);
    }
    process.exitCode = 1;
  },
);
