import path from "node:path";
import { buildReviewReport, renderReviewHtml, renderReviewMarkdown } from "../review/index.js";
import { engines, parseConnection, type SessionTimeouts } from "../engine/index.js";
import { PUBLIC } from "../model/index.js";
import { printDiagnostics, useColor, writeStdout, writeStderr } from "./output.js";
import { runFrontEnd, type FrontEndOptions } from "./run-front-end.js";
import { spanShower } from "./review-commands.js";
import { StagedFiles } from "./write-files.js";

export interface ReviewOptions extends FrontEndOptions {
  readonly out: string;
  readonly db: string | undefined;
  readonly dbPasswordEnv: string | undefined;
  readonly timeouts: SessionTimeouts;
}

/**
 * `rolec review --out DIR`: the periodic access review, as review.md and review.html (one
 * self-contained page). With --db, each role's members are the database's, so a membership
 * someone granted by hand shows. Both files are written whole or not at all.
 */
export async function reviewCommand(options: ReviewOptions): Promise<number> {
  const { loaded, program, fails } = await runFrontEnd(options);
  if (fails) {
    printDiagnostics(program.diagnostics, loaded, options.format, useColor(options.color), { ok: false });
    writeStderr(`rolec review: the .roles files do not check; nothing written to ${options.out}\n`);
    return 1;
  }
  let liveMembers: Map<string, string[]> | undefined;
  let membersFrom = "the .roles files";
  if (options.db !== undefined) {
    const connection = parseConnection(options.db, options.dbPasswordEnv, options.timeouts);
    const live = await engines[connection.engine].connect(connection);
    try {
      liveMembers = await live.roleMembers(program.model.roles.map((r) => r.name).filter((r) => r !== PUBLIC));
    } finally {
      await live.close();
    }
    membersFrom = connection.shown;
  }
  const report = buildReviewReport(program.model, program.diagnostics, { ...(liveMembers ? { liveMembers } : {}), membersFrom, showSpan: spanShower(loaded) });
  const staged = new StagedFiles();
  try {
    await staged.stage(path.join(options.out, "review.md"), [renderReviewMarkdown(report)]);
    await staged.stage(path.join(options.out, "review.html"), [renderReviewHtml(report)]);
  } catch (error) {
    await staged.discard();
    throw error;
  }
  await staged.commit();
  if (options.format === "json") writeStdout(JSON.stringify({ ok: true, out: options.out, files: ["review.md", "review.html"], roles: report.roles.length, objects: report.objects.length, findings: report.findings.length }, null, 2) + "\n");
  else for (const file of ["review.md", "review.html"]) writeStdout(`wrote ${path.join(options.out, file)}\n`);
  return 0;
}
