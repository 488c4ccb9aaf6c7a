import type { Name } from "../../syntax/ast.js";
import { forbiddenCharacterIn } from "../name-characters.js";
import { undeclaredCreatorNames, type ResolvedProgram } from "../resolved-program.js";
import { quoted, type Reporter } from "../reporter.js";

/** PostgreSQL's NAMEDATALEN is 64, so a name holds at most 63 bytes of UTF-8; longer ones are silently cut. */
const maxIdentifierBytes = 63;

// Reports a name over 63 bytes of UTF-8 (RC0701): PostgreSQL silently cuts it, so two names could become one.
export function identifierLengthRule(program: ResolvedProgram, reporter: Reporter): void {
  const { declared, roles } = program;
  for (const name of undeclaredCreatorNames(program)) reportLongName(reporter, name, "role");
  // Indexed: a large program declares hundreds of thousands of names, and this loop runs once,
  // mostly before it is optimised, when an iterator costs an allocation per name.
  const names = declared.names;
  for (let i = 0; i < names.length; i++) reportLongName(reporter, names[i]!.name, names[i]!.what);
  for (const role of roles.values()) reportLongName(reporter, role.block.name, "role");
}

function reportLongName(reporter: Reporter, name: Name, what: string): void {
  // An empty name or one with a forbidden character is already refused (RC0703); its length is no news.
  if (name.value.length === 0 || forbiddenCharacterIn(name.value) !== undefined) return;
  const bytes = Buffer.byteLength(name.value, "utf8");
  if (bytes <= maxIdentifierBytes) return;
  reporter.report(
    "RC0701",
    `${what} name ${quoted(name.value)} is ${bytes} bytes long; PostgreSQL keeps only the first ${maxIdentifierBytes} bytes, so shorten it`,
    name.span,
  );
}
