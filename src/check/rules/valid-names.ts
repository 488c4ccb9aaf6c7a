import type { Name } from "../../syntax/ast.js";
import { forbiddenCharacterIn } from "../name-characters.js";
import { undeclaredCreatorNames, type ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";

// Reports an empty name, and a name or host holding a control character or line break (RC0703): no database takes an empty name or NUL, and the rest would leak out of SQL comments, client scripts and terminals.
export function validNamesRule(program: ResolvedProgram, reporter: Reporter): void {
  const { declared, roles } = program;
  for (const name of undeclaredCreatorNames(program)) reportInvalidName(reporter, name, "role");
  // Indexed: a large program declares hundreds of thousands of names, and this loop runs once,
  // mostly before it is optimised, when an iterator costs an allocation per name.
  const names = declared.names;
  for (let i = 0; i < names.length; i++) reportInvalidName(reporter, names[i]!.name, names[i]!.what);
  for (const role of roles.values()) {
    reportInvalidName(reporter, role.block.name, "role");
    // Only the first host counts; a second is a duplicate option (RC0305).
    const host = role.block.options.find((o) => o.kind === "Host");
    if (host) reportForbiddenCharacter(reporter, host.host, "host");
  }
}

function reportInvalidName(reporter: Reporter, name: Name, what: string): void {
  if (name.value.length === 0) reporter.report("RC0703", `${what} name is empty; no database accepts it`, name.span);
  else reportForbiddenCharacter(reporter, name, `${what} name`);
}

function reportForbiddenCharacter(reporter: Reporter, name: Name, what: string): void {
  const forbidden = forbiddenCharacterIn(name.value);
  if (forbidden === undefined) return;
  reporter.report(
    "RC0703",
    `${what} ${quoted(name.value)} holds ${forbidden}, which no name may hold: control characters and line breaks would leak out of SQL comments, client scripts and terminals`,
    name.span,
  );
}
