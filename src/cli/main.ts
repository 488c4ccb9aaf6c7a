#!/usr/bin/env node
import yargs, { type Argv } from "yargs";
import { hideBin } from "yargs/helpers";
// Only what every run needs is imported here: each command's module, and the parser, emitters and
// drivers behind it, load when that command runs, so `--version` and `--help` start at once.
import { defaultTargets, targets, type Target } from "../emit/target-names.js";
import { databaseTargets, engineOfTarget, type EngineName } from "../engine/engine-name.js";
import { InputError } from "../diagnostics/input-error.js";
import { rolecVersion } from "../version.js";
import type { OutputFormat } from "./output.js";
import { writeStderr } from "./output.js";
import { commandNames, unknownCommandMessage } from "./unknown-command.js";
import { defaultTimeouts, parseSeconds, type SessionTimeouts } from "../engine/session-timeouts.js";

const epilogue = "Paths are .roles files or directories (searched recursively); the default is the current directory. Docs: README.md";

function common<T>(y: Argv<T>) {
  return y
    .positional("paths", { type: "string", array: true, default: [] as string[], describe: ".roles files or directories" })
    .option("format", { choices: ["text", "json"] as const, default: "text" as const, describe: "Output for people or for tools" })
    .option("strict", { type: "boolean", default: false, describe: "Treat warnings as errors" })
    .option("color", { type: "boolean", describe: "Colour the output (default: when stderr is a terminal and NO_COLOR is unset)" })
    .option("snapshot", { type: "string", describe: "A schema snapshot (rolec pull) whose schemas, tables, views, sequences and columns count as declared" });
}

function frontEnd(argv: { paths: string[]; format: OutputFormat; strict: boolean; color: boolean | undefined; snapshot: string | undefined }) {
  return { paths: argv.paths, format: argv.format, strict: argv.strict, color: argv.color, snapshot: argv.snapshot };
}

/** For every command that connects to a server: how long to wait for it. */
function timeoutOptions<T>(y: Argv<T>) {
  return y
    .option("connect-timeout", {
      type: "string",
      default: defaultTimeouts.connectSeconds,
      describe: "Seconds to wait for the server to accept the connection and log in",
      coerce: (v: unknown) => parseSeconds("connect-timeout", v, false),
    })
    .option("statement-timeout", {
      type: "string",
      default: defaultTimeouts.statementSeconds,
      describe: "Seconds each statement may take, lock waits included, before the command stops (0: no limit)",
      coerce: (v: unknown) => parseSeconds("statement-timeout", v, true),
    });
}

function timeoutsOf(argv: { "connect-timeout": number; "statement-timeout": number }): SessionTimeouts {
  return { connectSeconds: argv["connect-timeout"], statementSeconds: argv["statement-timeout"] };
}

function liveOptions<T>(y: Argv<T>) {
  return timeoutOptions(y)
    .option("db", { type: "string", demandOption: true, describe: "The database: postgres://user@host:port/database (PGPASSWORD is honoured) or mysql://user@host:port" })
    .option("db-password-env", { type: "string", describe: "Read the password from this environment variable instead of the URL" })
    .option("prune", { type: "boolean", default: false, describe: "Also take away what roles the .roles files do not declare hold on what they manage" });
}

/**
 * yargs lays out a command's whole help text after its handler starts, in case the handler asks
 * for it later: some 15 ms on every run, a tenth of the time `rolec check` takes to start. rolec's
 * handlers never show help (errors are reported by rolec, not by yargs' help-on-failure), so the
 * middleware that runs before each handler turns that caching off on the command's instance. It
 * reaches into yargs' internals and does nothing when they are not there.
 */
function skipHelpCaching(_argv: unknown, y?: Argv) {
  const usage = (y as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } } | undefined)?.getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === "function") usage.cacheHelpMessage = () => undefined;
}

function targetOption<T>(y: Argv<T>, defaults: readonly Target[]) {
  // Not an array option: one would take the paths after it as targets too (`--target mysql a.roles`).
  // Repeating it still gives every value. Checked in the handler, where an InputError stays one.
  return y.option("target", {
    type: "string",
    default: defaults.join(","),
    describe: `What to check and produce: ${targets.join(", ")} or all; repeat it or separate with commas`,
  });
}

/** `--target postgres,mysql --target allowlist` → the targets, in their canonical order. */
function parseTargets(given: string | readonly string[]): Target[] {
  const wanted = new Set<string>();
  for (const value of [given].flat().flatMap((v) => String(v).split(","))) {
    const name = value.trim();
    if (name === "all") targets.forEach((t) => wanted.add(t));
    else if ((targets as readonly string[]).includes(name)) wanted.add(name);
    else throw new InputError(`unknown target ${JSON.stringify(name)}; choose from ${targets.join(", ")} or all`);
  }
  if (wanted.size === 0) throw new InputError(`--target needs a value: ${targets.join(", ")} or all`);
  return targets.filter((t) => wanted.has(t));
}

/** The engines whose own checks the targets ask for. */
function enginesOf(wanted: readonly Target[]): EngineName[] {
  return [...new Set(wanted.flatMap((t) => (t === "allowlist" ? [] : [engineOfTarget(t)])))];
}

async function main(): Promise<number> {
  let exitCode = 0;
  // yargs would set aside what follows `--`, and a command would then read the current directory
  // instead of the paths named there: refused, rather than acting on another program.
  if (hideBin(process.argv).includes("--")) throw new InputError('arguments after "--" are not read; name the paths before or among the options');
  await yargs(hideBin(process.argv))
    .scriptName("rolec")
    .usage("rolec: database permissions as code.\n\nUsage: rolec <command> [paths..] [options]")
    .command(
      "check [paths..]",
      "Type-check .roles files and report every problem",
      (y) =>
        targetOption(common(y), ["postgres"])
          .option("format", { choices: ["text", "json", "sarif"] as const, default: "text" as const, describe: "For people, for tools, or SARIF 2.1.0 for GitHub code scanning" })
          .example("rolec check examples/shop", "check one project")
          .example("rolec check roles/ --format sarif > rolec.sarif", "diagnostics and review lints for code scanning")
          .example("rolec check examples/shop --target mysql", "also check what only MySQL/MariaDB asks"),
      async (argv) => {
        const { checkCommand } = await import("./check-command.js");
        exitCode = await checkCommand({ ...frontEnd({ ...argv, format: argv.format === "sarif" ? "json" : argv.format }), sarif: argv.format === "sarif", engines: enginesOf(parseTargets(argv.target)) });
      },
    )
    .command(
      "compile [paths..]",
      "Compile .roles files into PostgreSQL and MySQL/MariaDB scripts, a proxy allow-list and a manifest",
      (y) =>
        targetOption(common(y), defaultTargets)
          .option("out", { type: "string", demandOption: true, describe: "Directory to write the artifacts to" })
          .option("sign", { type: "string", describe: "Sign manifest.json with this Ed25519 private key (OpenSSH or PKCS#8, no passphrase): writes manifest.json.sig, an SSH signature ssh-keygen -Y verify checks" })
          .option("sign-env", { type: "string", describe: "The same, with the key's text read from this environment variable (a CI secret)" })
          .example("rolec compile examples/shop --out build/roles", "write postgres.sql, allowlist.json and manifest.json")
          .example("rolec compile roles/ --out build/roles --sign-env ROLEC_SIGNING_KEY", "and manifest.json.sig, signed with the key in that variable")
          .example("rolec compile examples/shop --out build/roles --target all", "also write mysql.sql"),
      async (argv) => {
        const wanted = parseTargets(argv.target);
        const { compileCommand } = await import("./commands.js");
        const { keySource } = await import("../sign/index.js");
        const sign = keySource(argv.sign, argv["sign-env"], "sign");
        exitCode = await compileCommand({ ...frontEnd(argv), out: argv.out, targets: wanted, engines: enginesOf(wanted), ...(sign ? { sign } : {}) });
      },
    )
    .command(
      "fmt [paths..]",
      "Rewrite .roles files in canonical form, keeping every comment",
      (y) =>
        y
          .positional("paths", { type: "string", array: true, default: [] as string[], describe: ".roles files or directories" })
          .option("check", { type: "boolean", default: false, describe: "Change nothing; show a diff of each file that is not formatted and exit 1" })
          .option("color", { type: "boolean", describe: "Colour the output" }),
      async (argv) => {
        const { formatFiles } = await import("./format-files.js");
        exitCode = await formatFiles({ paths: argv.paths, check: argv.check, color: argv.color });
      },
    )
    .command(
      "verify [paths..]",
      "Prove that the compiled script grants exactly what the .roles files say: on an embedded PostgreSQL, or on a server (--db)",
      (y) =>
        timeoutOptions(common(y))
          .option("script", { type: "string", describe: "Verify this SQL script instead of the one rolec compiles (e.g. a reviewed copy)" })
          .option("target", { choices: databaseTargets, default: "postgres" as const, describe: "Which script to prove (mysql and mariadb: the MySQL/MariaDB script)" })
          .option("db", {
            type: "string",
            describe:
              "Verify on this server instead of PGlite (postgres://... or, with --target mysql, mysql://...): in scratch databases it drops afterwards. The declared roles must not exist there yet",
          })
          .example("rolec verify examples/shop --target mysql --db mysql://root@127.0.0.1:3306", "prove the MySQL/MariaDB script on a server")
          .example("rolec verify examples/shop --db postgres://postgres@127.0.0.1/postgres", "the same proof on a real server")
          .example("rolec verify examples/shop", "create the declared objects in PGlite, apply the script, and check every role"),
      async (argv) => {
        const { verifyCommand } = await import("./commands.js");
        exitCode = await verifyCommand({ ...frontEnd(argv), script: argv.script, db: argv.db, target: argv.target, timeouts: timeoutsOf(argv) });
      },
    )
    .command(
      "plan [paths..]",
      "Show what would change on a live database to make it hold what the .roles files say",
      (y) =>
        liveOptions(common(y))
          .example("rolec plan examples/shop --db postgres://postgres@127.0.0.1/shop", "review the changes")
          .example("rolec plan examples/shop --db mysql://root@127.0.0.1:3306 --format json", "the same for MySQL/MariaDB, for a machine")
          .epilogue("Exit codes: 0 no changes, 2 changes to make, 1 an error or something that blocks the plan."),
      async (argv) => {
        const { planCommand } = await import("./live-commands.js");
        exitCode = await planCommand({ ...frontEnd(argv), db: argv.db, dbPasswordEnv: argv["db-password-env"], prune: argv.prune, timeouts: timeoutsOf(argv) });
      },
    )
    .command(
      "apply [paths..]",
      "Make a live database hold what the .roles files say: the plan (PostgreSQL: in one transaction; MySQL: grants before revokes), then checked",
      (y) =>
        liveOptions(common(y))
          .option("yes", { type: "boolean", default: false, describe: "Apply without asking (needed without a terminal)" })
          .example("rolec apply examples/shop --db postgres://postgres@127.0.0.1/shop", "show the plan, ask, apply"),
      async (argv) => {
        const { applyCommand } = await import("./live-commands.js");
        exitCode = await applyCommand({ ...frontEnd(argv), db: argv.db, dbPasswordEnv: argv["db-password-env"], prune: argv.prune, yes: argv.yes, timeouts: timeoutsOf(argv) });
      },
    )
    .command(
      "migrate [paths..]",
      "Write the next migration file: the statements for what changed in the .roles files since the newest migration, and the state they leave",
      (y) =>
        common(y)
          .option("dir", { type: "string", demandOption: true, describe: "The migrations folder (it may hold other migrations too; rolec reads only its own)" })
          .option("name", { type: "string", describe: "What the migration does, for its file name (e.g. \"grant reporting\")" })
          .option("target", { choices: databaseTargets, default: "postgres" as const, describe: "The database the migrations are for (with no server to ask, mysql means MySQL 8 and mariadb MariaDB)" })
          .option("layout", {
            choices: ["golang-migrate", "flyway", "dbmate", "plain"] as const,
            default: "golang-migrate" as const,
            describe: "File names for a migration runner: <version>_<name>.up.sql, V<version>__<name>.sql, or <version>_<name>.sql",
          })
          .option("check", { type: "boolean", default: false, describe: "Write nothing; exit 1 when the sources hold changes that no migration does yet (for CI)" })
          .option("prune", { type: "boolean", default: false, describe: "Also revoke what roles the sources no longer declare hold" })
          .example('rolec migrate examples/shop --dir migrations --name "grant reporting"', "write migrations/<timestamp>_grant_reporting.up.sql")
          .example("rolec migrate examples/shop --dir migrations --check", "in CI: fail when a change has no migration"),
      async (argv) => {
        const { migrateCommand } = await import("./migrate-command.js");
        exitCode = await migrateCommand({ ...frontEnd(argv), dir: argv.dir, name: argv.name, target: argv.target, layout: argv.layout, check: argv.check, prune: argv.prune });
      },
    )
    .command(
      "who-can <verb> <object> [paths..]",
      "Every role that can do VERB on schema.object (or on one of its columns), with the memberships and the .roles lines it comes from",
      (y) =>
        timeoutOptions(common(y))
          .positional("verb", { type: "string", demandOption: true, describe: "select, insert, update, delete, truncate, references, trigger or usage" })
          .positional("object", { type: "string", demandOption: true, describe: 'schema.object or schema.object(column); quote names as .roles files do: \'"My Schema".t(c)\'' })
          .option("db", { type: "string", describe: "Ask this PostgreSQL database instead of the .roles files (postgres://user@host:port/database; PGPASSWORD is honoured)" })
          .option("db-password-env", { type: "string", describe: "Read the password from this environment variable instead of the URL" })
          .example("rolec who-can select 'sales.customers(ssn)' examples/shop", "who can read one column, and through which roles")
          .example("rolec who-can delete sales.orders examples/shop --format json", "the same for a tool: role, login, paths, sources")
          .example("rolec who-can select 'sales.customers(ssn)' --db postgres://postgres@127.0.0.1/shop", "what the database itself allows"),
      async (argv) => {
        const { whoCanCommand } = await import("./review-commands.js");
        exitCode = await whoCanCommand({ ...frontEnd(argv), verb: argv.verb as string, object: argv.object as string, db: argv.db, dbPasswordEnv: argv["db-password-env"], timeouts: timeoutsOf(argv) });
      },
    )
    .command(
      "access <role> [paths..]",
      "Everything one role can do by the .roles files, effective (its memberships and PUBLIC's included), with where each privilege comes from",
      (y) =>
        common(y)
          .positional("role", { type: "string", demandOption: true, describe: "A declared role, or PUBLIC" })
          .example("rolec access storefront examples/shop", "what the storefront login can read and write"),
      async (argv) => {
        const { accessCommand } = await import("./review-commands.js");
        exitCode = await accessCommand({ ...frontEnd(argv), role: argv.role as string });
      },
    )
    .command(
      "diff <old> <new> [paths..]",
      "The effective-access difference between two versions of the .roles files: two directories, or two git revisions of the paths",
      (y) =>
        y
          .positional("old", { type: "string", demandOption: true, describe: "The version before: a directory or file, or a git revision (branch, tag, commit)" })
          .positional("new", { type: "string", demandOption: true, describe: "The version after, likewise" })
          .positional("paths", { type: "string", array: true, default: [] as string[], describe: "With revisions: the .roles files or folders to read in each (default: the current directory)" })
          .option("format", { choices: ["text", "markdown", "json"] as const, default: "text" as const, describe: "For people, for a pull-request comment, or for tools" })
          .option("color", { type: "boolean", describe: "Colour the diagnostics" })
          .example("rolec diff main HEAD roles/", "what a branch changes in who can do what")
          .example("rolec diff old/roles new/roles --format markdown", "two directories, as a pull-request comment")
          .epilogue("Exit codes: 0 no access changes, 2 access changes, 1 an error (a version that cannot be read or does not check)."),
      async (argv) => {
        const { diffCommand } = await import("./diff-command.js");
        exitCode = await diffCommand({ old: argv.old as string, new: argv.new as string, paths: argv.paths as string[], format: argv.format, color: argv.color });
      },
    )
    .command(
      "review [paths..]",
      "Write a periodic access review: review.md and a self-contained review.html with each role's members, reads, writes and sensitive columns, and a role × object matrix",
      (y) =>
        timeoutOptions(common(y))
          .option("out", { type: "string", demandOption: true, describe: "Directory to write review.md and review.html to" })
          .option("db", { type: "string", describe: "Take each role's members from this PostgreSQL database (postgres://user@host:port/database), undeclared members included" })
          .option("db-password-env", { type: "string", describe: "Read the password from this environment variable instead of the URL" })
          .example("rolec review examples/shop --out review", "write review/review.md and review/review.html")
          .example("rolec review roles/ --db postgres://auditor@db/app --out review", "with the members the database has"),
      async (argv) => {
        const { reviewCommand } = await import("./review-command.js");
        exitCode = await reviewCommand({ ...frontEnd(argv), out: argv.out, db: argv.db, dbPasswordEnv: argv["db-password-env"], timeouts: timeoutsOf(argv) });
      },
    )
    .command(
      "audit <action> <logs..>",
      "Check a rolec audit log's hash chain (verify) or print the hash of its last entry to keep elsewhere (digest)",
      (y) =>
        y
          .positional("action", { choices: ["verify", "digest"] as const, describe: "verify: find the first edited, deleted, inserted or reordered entry; digest: print the head hash" })
          .positional("logs", { type: "string", array: true, demandOption: true, describe: "The log files, oldest first (rotated files, then the current one)" })
          .option("digest", { type: "string", describe: "verify: a head hash printed earlier by rolec audit digest, which the chain must still reach (catches a truncated tail)" })
          .example("rolec audit verify audit.log.000000000001 audit.log", "check a rotated log and its current file")
          .example("rolec audit digest audit.log > audit.head", "keep the head where the proxy cannot write"),
      async (argv) => {
        const { auditVerifyCommand, auditDigestCommand } = await import("./audit-command.js");
        if (argv.action === "digest" && argv.digest !== undefined) throw new InputError("--digest is for rolec audit verify");
        exitCode = argv.action === "verify" ? auditVerifyCommand({ logs: argv.logs as string[], digest: argv.digest }) : auditDigestCommand({ logs: argv.logs as string[] });
      },
    )
    .command(
      "verify-artifacts <dir>",
      "Check a folder rolec compile wrote: manifest.json against its signature (manifest.json.sig) and every file against the manifest",
      (y) =>
        y
          .positional("dir", { type: "string", demandOption: true, describe: "The folder rolec compile --sign wrote" })
          .option("key", { type: "string", describe: "The signer's public key (ssh-ed25519, a .pub file or an allowed_signers line)" })
          .option("key-env", { type: "string", describe: "The same, read from this environment variable" })
          .option("format", { choices: ["text", "json"] as const, default: "text" as const, describe: "For people or for tools" })
          .example("rolec verify-artifacts build/roles --key signing.pub", "before deploying what was reviewed")
          .epilogue("Exit codes: 0 the signature and every file check out, 1 anything does not (the message says what)."),
      async (argv) => {
        const { verifyArtifactsCommand } = await import("./verify-artifacts-command.js");
        exitCode = verifyArtifactsCommand({ dir: argv.dir as string, key: argv.key, keyEnv: argv["key-env"], format: argv.format });
      },
    )
    .command(
      "proxy <artifacts>",
      "Run an access proxy for PostgreSQL that lets through only what the allow-list allows, recording every decision in a hash-chained audit log",
      (y) =>
        y
          .positional("artifacts", { type: "string", demandOption: true, describe: "The folder rolec compile wrote (manifest.json and allowlist.json); checked against its manifest before the proxy starts" })
          .option("listen", { type: "string", demandOption: true, describe: "HOST:PORT to accept clients on (port 0: any free port; the ready line names it)" })
          .option("upstream", { type: "string", demandOption: true, describe: "The server: postgres://host:port[/database][?sslmode=require|verify-full&sslrootcert=FILE]; no user or password (each client logs in as its own role)" })
          .option("audit-log", { type: "string", demandOption: true, describe: "The audit log file: appended to, its chain continued" })
          .option("auth", { choices: ["scram", "trust"] as const, default: "scram" as const, describe: "scram: let a client in only once the server has authenticated it with SCRAM-SHA-256; trust (loopback only, for development): as the server decides" })
          .option("tls-cert", { type: "string", describe: "Certificate (PEM) for TLS with clients" })
          .option("tls-key", { type: "string", describe: "Its private key (PEM)" })
          .option("require-tls", { type: "boolean", default: false, describe: "Refuse clients that do not use TLS" })
          .option("audit-text", { type: "boolean", default: false, describe: "Keep each statement's text in the audit log (statements carry values; off, only fingerprints are kept)" })
          .option("audit-fsync", { choices: ["entry", "none"] as const, default: "entry" as const, describe: "entry: no statement reaches the server before its entry is on disk (one fsync covers the entries written meanwhile); none: leave it to the system" })
          .option("audit-rotate-mb", { type: "number", describe: "Start a new log file once the current one holds this many MiB; the chain continues into it" })
          .option("key", { type: "string", describe: "A public key (ssh-ed25519, as ssh-keygen writes it): refuse artifacts that this key did not sign, at start and at every reload" })
          .option("key-env", { type: "string", describe: "The same, read from this environment variable" })
          .example("rolec proxy build/roles --listen 127.0.0.1:6432 --upstream postgres://127.0.0.1:5432/app --audit-log audit.log", "enforce the allow-list in build/roles for clients of 127.0.0.1:6432"),
      async (argv) => {
        const { proxyCommand } = await import("./proxy-command.js");
        exitCode = await proxyCommand({
          artifacts: argv.artifacts as string,
          key: argv.key,
          keyEnv: argv["key-env"],
          listen: argv.listen,
          upstream: argv.upstream,
          auditLog: argv["audit-log"],
          auth: argv.auth,
          tlsCert: argv["tls-cert"],
          tlsKey: argv["tls-key"],
          requireTls: argv["require-tls"],
          auditText: argv["audit-text"],
          auditFsync: argv["audit-fsync"],
          auditRotateMb: argv["audit-rotate-mb"],
        });
      },
    )
    .command(
      "import",
      "Write .roles files for a live PostgreSQL or MySQL/MariaDB database's objects, roles, memberships and grants, so that plan then finds nothing to change",
      (y) =>
        timeoutOptions(y)
          .option("db", { type: "string", demandOption: true, describe: "The database: postgres://user@host:port/database (PGPASSWORD is honoured) or mysql://user@host:port" })
          .option("db-password-env", { type: "string", describe: "Read the password from this environment variable instead of the URL" })
          .option("schema", { type: "string", array: true, describe: "Import only these schemas (MySQL: databases; default: every one but the system's)" })
          .option("out", { type: "string", demandOption: true, describe: "The folder to write schemas.roles and roles.roles to" })
          .option("force", { type: "boolean", default: false, describe: "Replace .roles files already in --out" })
          .example("rolec import --db postgres://postgres@127.0.0.1/shop --out roles", "describe an existing database's permissions")
          .example("rolec import --db mysql://root@127.0.0.1:3306 --schema sales --out roles", "the same for one MySQL/MariaDB database"),
      async (argv) => {
        const { importCommand } = await import("./import-command.js");
        exitCode = await importCommand({ db: argv.db, dbPasswordEnv: argv["db-password-env"], schemas: argv.schema, out: argv.out, force: argv.force, timeouts: timeoutsOf(argv) });
      },
    )
    .command(
      "pull",
      "Write a snapshot of a database's schemas, tables, views, sequences and columns, for --snapshot",
      (y) =>
        timeoutOptions(y)
          .option("db", { type: "string", demandOption: true, describe: "The database: postgres://user@host:port/database or mysql://user@host:port (PGPASSWORD is honoured)" })
          .option("db-password-env", { type: "string", describe: "Read the password from this environment variable instead of the URL" })
          .option("schema", { type: "string", array: true, default: [] as string[], describe: "Only these schemas (MySQL: databases); repeat it. Default: every schema but the system's" })
          .option("out", { type: "string", demandOption: true, describe: "The snapshot file to write (replaced whole, never half-written)" })
          .example("rolec pull --db postgres://postgres@127.0.0.1/shop --schema sales --out schema.snapshot.json", "snapshot one schema")
          .example("rolec check roles/ --snapshot schema.snapshot.json", "check .roles files against it")
          .example("rolec pull --db mysql://root@127.0.0.1:3306 --db-password-env MYSQL_PWD --out schema.snapshot.json", "every database of a MySQL/MariaDB server"),
      async (argv) => {
        const { pullCommand } = await import("./pull-command.js");
        exitCode = await pullCommand({ db: argv.db, dbPasswordEnv: argv["db-password-env"], schemas: argv.schema, out: argv.out, timeouts: timeoutsOf(argv) });
      },
    )
    .middleware(skipHelpCaching)
    .demandCommand(1, `Name a command: ${commandNames.slice(0, -1).join(", ")} or ${commandNames.at(-1)}.`)
    .strict()
    .epilogue(epilogue)
    .version(rolecVersion)
    .help()
    .alias("h", "help")
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      // A coerce function's InputError reaches here as yargs' own YError, its message kept: bad input, not a bug.
      if (error && error.name !== "YError") throw error;
      const unknownCommand = unknownCommandMessage(hideBin(process.argv));
      writeStderr(`rolec: ${unknownCommand ?? (error ? error.message : message)}\nRun "rolec --help" for usage.\n`);
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
      writeStderr(`rolec: ${error.message}\n`);
    } else {
      // A bug, not bad input: say so plainly, and show the details only when asked for.
      const detail = process.env.ROLEC_DEBUG ? `\n${(error as Error)?.stack ?? String(error)}` : " (set ROLEC_DEBUG=1 for details)";
      writeStderr(`rolec: internal error: ${(error as Error)?.message ?? String(error)}${detail}\n`);
    }
    process.exitCode = 1;
  },
);
