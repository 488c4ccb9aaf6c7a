import type { Span } from "../source/source.js";
import { formatName } from "../syntax/names.js";
import { PUBLIC } from "../model/index.js";
import type { AccessQuestion } from "./resolve-question.js";
import type { RoleThatCan } from "./who-can.js";

/** A question as a report shows it: by the files (a declared object) or by the database. */
export interface QuestionShown {
  readonly verb: AccessQuestion["verb"];
  readonly column?: string;
  readonly object: Pick<AccessQuestion["object"], "schema" | "name" | "kind">;
  /** The object's sensitive columns, where the answer comes from files that mark them. */
  readonly sensitiveColumns?: readonly string[];
}

/** `select on sales.customers(email)`, as a `.roles` file would write the object. */
export function describeQuestion(question: QuestionShown): string {
  const object = `${formatName(question.object.schema)}.${formatName(question.object.name)}`;
  return `${question.verb} on ${object}${question.column === undefined ? "" : `(${formatName(question.column)})`}`;
}

export function roleName(name: string): string {
  return name === PUBLIC ? PUBLIC : formatName(name);
}

/** For people: one block per role, login roles marked, each chain with the lines at its end. */
/** `file:line`, the file shown as the caller shows paths (relative to where rolec runs). */
export type ShowSpan = (span: Span) => string;

export function renderWhoCanText(question: QuestionShown, answers: readonly RoleThatCan[], where: string, show: ShowSpan): string {
  const logins = answers.filter((a) => a.login).length;
  const sensitive = (question.sensitiveColumns ?? []).filter((c) => question.column === undefined || c === question.column);
  const mark = sensitive.length === 0 ? "" : question.column !== undefined ? " (a sensitive column)" : ` (sensitive columns: ${sensitive.map(formatName).join(", ")})`;
  const head = `${describeQuestion(question)}${mark}, by ${where}: ${answers.length === 0 ? "no role" : `${answers.length} role${answers.length === 1 ? "" : "s"}, ${logins} of them can log in`}\n`;
  return head + answers.map((a) => renderOne(question, a, show)).join("");
}

function renderOne(question: QuestionShown, a: RoleThatCan, show: ShowSpan): string {
  const marks = [a.login ? "login" : undefined, a.external ? "external" : undefined, a.superuser ? "superuser: passes every check" : undefined, a.role === PUBLIC ? "every role" : undefined].filter(Boolean);
  const reach = question.column !== undefined || question.object.kind === "sequence" ? "" : a.columns === "all" ? "" : ` — columns ${a.columns.map(formatName).join(", ")} only`;
  const lines = [`${roleName(a.role)}${marks.length > 0 ? ` (${marks.join(", ")})` : ""}${reach}\n`];
  for (const path of a.paths) {
    const holder = a.holders.find((h) => h.role === path[path.length - 1]);
    const where = holder ? holder.sources.map(show).join(", ") : "";
    lines.push(`  ${path.map(roleName).join(" -> ")}${where ? `  ${where}` : ""}\n`);
  }
  if (a.pathsTruncated) lines.push("  ... more membership chains lead there\n");
  if (a.paths.length === 0 && !a.superuser) lines.push("  (the server says yes; no grant or membership found that explains it)\n");
  return lines.join("");
}

/** For tools: an array with one object per role, paths and sources as plain strings. */
export function whoCanJson(answers: readonly RoleThatCan[], show: ShowSpan): object[] {
  return answers.map((a) => ({
      role: a.role,
      login: a.login,
      external: a.external,
      ...(a.superuser ? { superuser: true } : {}),
      columns: a.columns,
      paths: a.paths,
      ...(a.pathsTruncated ? { pathsTruncated: true } : {}),
      sources: a.sources.map(show),
    }));
}
