import { readdir } from "node:fs/promises";
import path from "node:path";
import { describeChange, engines, parseConnection, renderRoles, renderSchemas } from "../engine/index.js";
import { InputError } from "../diagnostics/input-error.js";
import type { Model } from "../model/ir.js";
import { compileProgram } from "../load/program.js";
import { parseFile } from "../syntax/parse.js";
import { printFile } from "../syntax/printer.js";
import type { SessionTimeouts } from "../engine/session-timeouts.js";
import { writeFilesAtomically } from "./write-files.js";
import { writeStdout, writeStderr } from "./output.js";
import { terminalValue } from "../diagnostics/index.js";

export interface ImportOptions {
  readonly db: string;
  readonly timeouts: SessionTimeouts;
  readonly dbPasswordEnv: string | undefined;
  readonly schemas: readonly string[] | undefined;
  readonly out: string;
  readonly force: boolean;
}

/**
 * `rolec import`: writes .roles files describing a live database's objects, roles, memberships
 * and grants, such that `rolec plan` against it then has nothing to change; whatever the files
 * cannot say is listed, and so is what plan would therefore still change.
 */
export async function importCommand(options: ImportOptions): Promise<number> {
  const connection = parseConnection(options.db, options.dbPasswordEnv, options.timeouts);
  await refuseToOverwrite(options.out, options.force);
  const session = await engines[connection.engine].connect(connection);
  try {
    const imported = await session.importProgram(options.schemas);
    const files = [
      { name: "schemas.roles", text: renderSchemas(imported.program) },
      { name: "roles.roles", text: renderRoles(imported.program) },
    ].map((f) => ({ ...f, text: canonical(f.name, f.text) }));
    const program = compileProgram(
      files.map((f) => ({ path: f.name, text: f.text })),
      // The checks the written files must pass: those of the engine they were read from.
      { databases: [connection.engine] },
    );
    const errors = program.diagnostics.filter((d) => d.severity === "error");
    // The database may hold names the language refuses (say, a MySQL table name over 63 bytes): bad input, not a bug.
    if (errors.length > 0) {
      // Each on its line: a name from the database may hold a line break of its own.
      const listed = errors.slice(0, 5).map((e) => `  ${e.code} ${terminalValue(e.message)} (in the ${e.span.file} it would write, line ${e.span.startLine})`);
      throw new InputError(
        [
          `the database holds what .roles files cannot declare, so nothing was written:`,
          ...listed,
          ...(errors.length > listed.length ? [`  and ${errors.length - listed.length} more`] : []),
          `  Leave those schemas out with --schema, or rename what is named.`,
        ].join("\n"),
      );
    }
    // The proof that nothing was lost: plan the written files against what was just read.
    const { changes: remaining, blockers } = imported.replan(program.model);
    await writeFilesAtomically(files.map((f) => ({ path: path.join(options.out, f.name), content: f.text })));
    for (const warning of imported.warnings) writeStderr(`warning: ${terminalValue(warning)}\n`);
    const objects = imported.program.schemas.reduce((n, s) => n + s.objects.length, 0);
    const routines = imported.program.schemas.reduce((n, s) => n + (s.routines?.length ?? 0), 0);
    const types = imported.program.schemas.reduce((n, s) => n + (s.types?.length ?? 0), 0);
    writeStdout(
      `wrote ${files.map((f) => path.join(options.out, f.name)).join(" and ")}: ${imported.program.schemas.length} schema(s), ${objects} object(s), ${routines > 0 ? `${routines} function(s) and procedure(s), ` : ""}${types > 0 ? `${types} type(s) and domain(s), ` : ""}${imported.program.roles.length} role(s)\n`,
    );
    if (remaining.length === 0 && blockers.length === 0) {
      writeStdout(`rolec plan against ${connection.shown} with these files: no changes\n`);
    } else if (remaining.length > 0) {
      writeStdout(`rolec plan against ${connection.shown} with these files would still make ${remaining.length} change(s), for what the warnings above list\n`);
      for (const change of remaining.slice(0, 20)) writeStdout(`  ${change.kind} ${terminalValue(change.role ?? `${change.schema}.${change.table}`)}: ${terminalValue(describeChange(change))}\n`);
    }
    // A blocker is something the files cannot say that still reaches what they describe: "no changes" would hide it.
    if (blockers.length > 0) {
      writeStdout(`rolec plan against ${connection.shown} with these files would be blocked until these are fixed:\n`);
      for (const b of blockers) writeStdout(`  ! ${terminalValue(b.what)}: ${terminalValue(b.hint)}\n`);
    }
    return 0;
  } finally {
    await session.close();
  }
}

/** The formatter's text, which is what `rolec fmt --check` expects. */
function canonical(name: string, text: string): string {
  const parsed = parseFile({ path: name, text });
  if (parsed.diagnostics.length > 0) throw new Error(`the imported ${name} does not parse: ${parsed.diagnostics[0]!.message}`);
  return printFile(parsed.ast, parsed.comments, text);
}

async function refuseToOverwrite(out: string, force: boolean): Promise<void> {
  if (force) return;
  const present = await readdir(out).catch(() => [] as string[]);
  const roles = present.filter((f) => f.endsWith(".roles"));
  if (roles.length > 0) throw new InputError(`${out} already holds .roles files (${roles.join(", ")}); import into an empty folder, or pass --force to replace schemas.roles and roles.roles`);
}
