import { readdir } from "node:fs/promises";
import path from "node:path";
import type { CheckOptions } from "../check/index.js";
import type { ImportedProgram } from "../import/index.js";
import type { Connection, Plan } from "../live/index.js";
import { InputError } from "../diagnostics/input-error.js";
import type { Model } from "../model/ir.js";
import { compileProgram } from "../load/program.js";
import { parseFile } from "../syntax/parse.js";
import { printFile } from "../syntax/printer.js";
import type { SessionTimeouts } from "../verify/session-timeouts.js";
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
  const live = await import("../live/index.js");
  const importer = await import("../import/index.js");
  const connection = live.parseConnection(options.db, options.dbPasswordEnv, options.timeouts);
  await refuseToOverwrite(options.out, options.force);
  const source = await readDatabase(connection, options.schemas);
  try {
    const imported = source.imported;
    const files = [
      { name: "schemas.roles", text: importer.renderSchemas(imported.program) },
      { name: "roles.roles", text: importer.renderRoles(imported.program) },
    ].map((f) => ({ ...f, text: canonical(f.name, f.text) }));
    const program = compileProgram(
      files.map((f) => ({ path: f.name, text: f.text })),
      source.checkOptions,
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
    const { changes: remaining, blockers } = source.replan(program.model);
    await writeFilesAtomically(files.map((f) => ({ path: path.join(options.out, f.name), content: f.text })));
    for (const warning of imported.warnings) writeStderr(`warning: ${terminalValue(warning)}\n`);
    const objects = imported.program.schemas.reduce((n, s) => n + s.objects.length, 0);
    writeStdout(
      `wrote ${files.map((f) => path.join(options.out, f.name)).join(" and ")}: ${imported.program.schemas.length} schema(s), ${objects} object(s), ${imported.program.roles.length} role(s)\n`,
    );
    if (remaining.length === 0 && blockers.length === 0) {
      writeStdout(`rolec plan against ${connection.shown} with these files: no changes\n`);
    } else if (remaining.length > 0) {
      writeStdout(`rolec plan against ${connection.shown} with these files would still make ${remaining.length} change(s), for what the warnings above list\n`);
      for (const change of remaining.slice(0, 20)) writeStdout(`  ${change.kind} ${terminalValue(change.role ?? `${change.schema}.${change.table}`)}: ${terminalValue(live.describeChange(change))}\n`);
    }
    // A blocker is something the files cannot say that still reaches what they describe: "no changes" would hide it.
    if (blockers.length > 0) {
      writeStdout(`rolec plan against ${connection.shown} with these files would be blocked until these are fixed:\n`);
      for (const b of blockers) writeStdout(`  ! ${terminalValue(b.what)}: ${terminalValue(b.hint)}\n`);
    }
    return 0;
  } finally {
    await source.close();
  }
}

interface ImportSource {
  readonly imported: { readonly program: ImportedProgram; readonly warnings: readonly string[] };
  /** The checks the written files must pass: those of the engine they were read from. */
  readonly checkOptions: CheckOptions;
  /** What plan would change on the database that was read, with these files' model, and what would block it. */
  replan(model: Model): Plan;
  close(): Promise<void>;
}

/** Connects, and reads what import describes, each engine its own way. */
async function readDatabase(connection: Connection, schemas: readonly string[] | undefined): Promise<ImportSource> {
  const live = await import("../live/index.js");
  const importer = await import("../import/index.js");
  if (connection.engine === "postgres") {
    const session = await live.connectPostgres(connection.url, connection.shown, connection.timeouts);
    try {
      const imported = await importer.importPostgres(session, schemas);
      return { imported, checkOptions: {}, replan: (model) => live.planPostgres(model, imported.live), close: () => session.close() };
    } catch (error) {
      await session.close();
      throw error;
    }
  }
  const session = await live.connectMysql(connection.url, connection.shown, connection.timeouts);
  try {
    const imported = await importer.importMysql(session, schemas ?? [], connection.shown);
    return { imported, checkOptions: { databases: ["mysql"] }, replan: (model) => live.planMysql(model, imported.live), close: () => session.close() };
  } catch (error) {
    await session.close();
    throw error;
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
