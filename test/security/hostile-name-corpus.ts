import { formatName } from "../../src/syntax/index.js";

/**
 * Names built to get out of whatever holds them in generated text and reach the SQL client that
 * runs it: line breaks of every kind (which end a `--` comment) followed by client commands
 * (psql's `\!`, `\o`, `\gexec`, `\c`; the mariadb client's `\!`, `\T`, `system`, `DELIMITER`)
 * and SQL, comment openers and closers, statement separators, and quotes of every kind. If any
 * of them escaped, the canary file would be written or the canary table dropped.
 */
export function hostileFragments(canaryFile: string, canaryTable: string): { readonly clean: readonly string[]; readonly controls: readonly string[] } {
  const breaks = ["\n", "\r", "\r\n", "\u0085", "\u2028"];
  const commands = [`\\! touch ${canaryFile}`, `\\o ${canaryFile}`, `\\T ${canaryFile}`, `system touch ${canaryFile}`, `DROP TABLE ${canaryTable};`];
  const controls = [
    ...breaks.flatMap((b) => commands.map((c) => `${b}${c}${b}`)),
    "\nDELIMITER ;;\n",
    "\n\\gexec\n",
    "\n\\c template1\n",
    "\u001b[2K",
  ];
  const clean = [
    "*/",
    "/*",
    "--",
    "-- x",
    "#",
    ";",
    "'",
    "''",
    '"',
    "`",
    "\\",
    "\\'",
    "’‘“”",
    "$$",
    "$rolec$",
    `\\! touch ${canaryFile}`,
    "\\gexec",
    "\\c template1",
    "DELIMITER ;;",
    `*/ DROP TABLE ${canaryTable}; /*`,
    `'; DROP TABLE ${canaryTable}; --`,
    `\`; DROP TABLE ${canaryTable}; #`,
  ];
  return { clean, controls };
}

/** Whether a fragment can stand in a `///` line at all: the lexer ends the line at a line feed or carriage return. */
function fitsDocComment(fragment: string): boolean {
  return !/[\n\r]/.test(fragment);
}

export interface HostileProgram {
  /** File path → text: each fragment's declarations in a file whose name holds it too. */
  readonly files: Record<string, string>;
  readonly roles: readonly { readonly name: string; readonly login: boolean; readonly host: string; readonly external?: boolean }[];
  readonly schemas: readonly string[];
}

/**
 * One program with every fragment in every place a name can take: schema, table, view,
 * sequence (PostgreSQL), column, partition (PostgreSQL), function, procedure and argument type (PostgreSQL), role, login role (the creator
 * of default privileges too, on PostgreSQL), host, doc comment,
 * file name, and with `external` an external account. Fragment `i` is declared in `f<i><fragment>.roles`, in schema `s<i><fragment>`.
 * Each name ends in `end` (`x` unless told otherwise, so that no name ends with a space).
 */
export function hostileProgram(fragments: readonly string[], engine: "postgres" | "mysql", end = "x", options: { external?: boolean } = {}): HostileProgram {
  const files: Record<string, string> = {};
  const roles: { name: string; login: boolean; host: string; external?: boolean }[] = [];
  const schemas: string[] = [];
  fragments.forEach((f, i) => {
    const n = (prefix: string) => formatName(`${prefix}${i}${f}${end}`);
    const schema = `s${i}${f}${end}`;
    schemas.push(schema);
    const role = `r${i}${f}${end}`;
    const login = `l${i}${f}${end}`;
    // MySQL keeps hosts in lower case and MariaDB refuses a backslash in one (RC0909 says so), which is not what this program is about.
    const host = engine === "mysql" ? `h${i}${f.replaceAll("\\", "").toLowerCase()}${end}` : `h${i}${f}${end}`;
    roles.push({ name: role, login: false, host: "%" }, { name: login, login: true, host });
    // With `external`, an external account too: granted a column and made a member, never created.
    const external = `e${i}${f}${end}`;
    if (options.external) roles.push({ name: external, login: true, host, external: true });
    const s = formatName(schema);
    const objects = [
      `  table ${n("t")} (id, ${n("c")})`,
      `  view ${n("v")} (id, ${n("c")})`,
      ...(engine === "postgres"
        ? [
            `  sequence ${n("q")}`,
            `  append_only table ${n("a")} (id, ${n("c")}) partitions (${n("p")})`,
            `  function ${n("f")}(integer, ${s}.${n("y")}[])`,
            `  procedure ${n("g")}()`,
          ]
        : [`  append_only table ${n("a")} (id, ${n("c")})`]),
    ];
    const doc = fitsDocComment(f) ? `/// d${f}${end}\n` : "";
    files[`f${i}${f}${end}.roles`] = `schema ${s} {
${objects.join("\n")}
}
${doc}role ${formatName(role)} {
  select on ${s}.*
  insert (${n("c")}) on ${s}.${n("t")}
${engine === "postgres" ? `  usage on ${s}.${n("q")}\n  usage, create on schema ${s}\n  connect, temporary on database\n  execute on ${s}.${n("f")}(int4, ${s}.${n("y")}[])\n  select, insert on future tables in schema ${s} created by ${formatName(login)}\n` : ""}}
role ${formatName(login)} login host ${formatName(host)} {
  member of ${formatName(role)}
  insert on ${s}.${n("a")}
${engine === "postgres" ? `  select on ${s}.${n("t")} with grant option\n` : ""}}
${
  options.external
    ? `external role ${formatName(external)} login host ${formatName(host)} {
  member of ${formatName(role)}
  update (${n("c")}) on ${s}.${n("t")}
${engine === "postgres" ? `  connect on database\n  execute on ${s}.${n("g")}\n  delete on ${s}.${n("t")} with grant option\n` : ""}}
`
    : ""
}${engine === "postgres" ? `public {\n  select (id) on ${s}.${n("v")}\n  execute on ${s}.${n("g")}()\n  usage on future types created by ${formatName(login)}\n}\n` : ""}`;
  });
  return { files, roles, schemas };
}
