import { randomBytes } from "node:crypto";
import type { VerifyOptions } from "../../engine.js";
import { mysqlGrantable } from "../capabilities.js";
import { mysqlNames, renderMysql } from "../script/render-mysql.js";
import { quoteMysqlGrantee, quoteMysqlIdent, quoteMysqlLiteral, quoteMysqlQualified } from "../quote.js";
import { InputError } from "../../../diagnostics/input-error.js";
import { compareText, formatRoutine, type DbObject, type Model, type Routine } from "../../../model/ir.js";
import { serverVerbOrder, verbOrder, type ServerVerb } from "../../../model/verbs.js";
import { Expectations } from "../../../model/expectations.js";
import type { RoleMismatch } from "../../verify-report.js";
import type { AppendOnlyMismatch } from "../../verify-report.js";
import type { Mismatch, VerifyReport } from "../../verify-report.js";
import { redactUrl } from "../../redact-url.js";
import { errorMessage } from "../../session.js";
import { defaultTimeouts, type SessionTimeouts } from "../../session-timeouts.js";
import { matchedBefore } from "../catalog/account-matching.js";
import { mysqlErrno, mysqlSqlState, openMysql, type MysqlSession } from "../session/mysql-session.js";
import { compareGrantTables } from "./compare-grant-tables.js";
import { compareAccounts, proveAndLiftAccountOptions } from "./compare-accounts.js";
import { clientHost, loginToProbe } from "../session/probe-login.js";
import { runMysqlScript } from "../session/run-script.js";

/** Errors that mean "this account may not": table, column, database, routine access and a privilege it needs denied. */
const deniedErrnos = new Set([1142, 1143, 1044, 1370, 1227]);

/**
 * A statement per server privilege whose outcome shows it: the other sessions in the process
 * list (verify's own is one), the binary log's position, and databases the role holds nothing
 * on. REPLICATION SLAVE has none short of a replica's protocol: the grant tables prove it.
 */
const serverProbes: readonly { verb: ServerVerb; sql: string; answers: boolean }[] = [
  { verb: "process", sql: "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()", answers: true },
  { verb: "replication_client", sql: "SHOW MASTER STATUS", answers: false },
  { verb: "show_databases", sql: "SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'mysql'", answers: true },
];

/**
 * Proves the MySQL/MariaDB script on a live server: creates the declared objects in scratch
 * databases (one per schema, named rolec_verify_<random>_<n>), runs the script twice, then logs
 * in as every account, and as a probe account holding each role by default, and runs a real
 * SELECT, INSERT and UPDATE per column, DELETE per object and a call of each function and
 * procedure, each of which must succeed exactly when the model grants it. Append-only tables must refuse UPDATE and DELETE even to root.
 * Everything it created is dropped afterwards; declared roles must not exist on the server yet.
 */
export interface VerifyMysqlOptions {
  /** Changes the compiled script before it runs, for tests that prove a tampered script is caught. */
  readonly transformScript?: (script: string, databases: Readonly<Record<string, string>>) => string;
  readonly timeouts?: SessionTimeouts;
}

export async function verifyMysql(model: Model, url: string, options: VerifyMysqlOptions = {}): Promise<VerifyReport & { databases: Record<string, string> }> {
  const timeouts = options.timeouts ?? defaultTimeouts;
  const admin = await openMysql(url, undefined, timeouts).catch((error: unknown) => {
    throw new InputError(`cannot connect to ${redactUrl(url)}: ${errorMessage(error)}`);
  });
  const prefix = `rolec_verify_${randomBytes(4).toString("hex")}`;
  const schemas = [...new Set([...model.objects.filter((o) => o.kind !== "sequence").map((o) => o.schema), ...model.routines.map((r) => r.schema)])].sort(compareText);
  const databases = Object.fromEntries(schemas.map((s, i) => [s, `${prefix}_${i + 1}`]));
  const probeUser = `${prefix}_probe`;
  const password = randomBytes(12).toString("hex");
  const cleanup: string[] = [];
  try {
    // Verifications and scripts on one server take turns: each verification drops the helper
    // database and trigger account it created. The script takes 'rolec' again, which is the same lock.
    const [lock] = await admin.query<{ got: number | null }>("SELECT GET_LOCK('rolec', 600) AS got");
    if (lock?.got !== 1) throw new InputError(`another rolec script or verification has held the lock on ${redactUrl(url)} for 10 minutes; try again later`);
    await refuseExistingRoles(model, admin, url);
    await refuseAnonymousAccounts(model, admin, url);
    const helperExisted = (await admin.query("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", [mysqlNames.helperDatabase])).length > 0;
    const definerExisted = (await admin.query("SELECT 1 FROM mysql.user WHERE User = ? AND Host = ?", [mysqlNames.definer.name, mysqlNames.definer.host])).length > 0;
    const mariadb = String((await admin.query<{ v: string }>("SELECT VERSION() AS v"))[0]?.v).includes("MariaDB");
    for (const role of model.roles) {
      cleanup.push(role.login ? `DROP USER IF EXISTS ${quoteMysqlGrantee(role.name, role.host)}` : `DROP ROLE IF EXISTS ${quoteMysqlIdent(role.name)}`);
      if (role.login && mariadb) cleanup.push(`DROP ROLE IF EXISTS ${quoteMysqlIdent(mysqlNames.loginRolePrefix + role.name)}`);
    }
    const probe = { name: probeUser, host: await clientHost(admin) };
    cleanup.push(`DROP USER IF EXISTS ${quoteMysqlGrantee(probe.name, probe.host)}`);
    if (!definerExisted) cleanup.push(`DROP USER IF EXISTS ${quoteMysqlGrantee(mysqlNames.definer.name, mysqlNames.definer.host)}`);
    if (!helperExisted) cleanup.push(`DROP DATABASE IF EXISTS ${quoteMysqlIdent(mysqlNames.helperDatabase)}`);
    for (const db of Object.values(databases)) cleanup.push(`DROP DATABASE IF EXISTS ${quoteMysqlIdent(db)}`);
    // Grants outlive a dropped database, and PUBLIC cannot be dropped: its grants on the scratch databases go by hand.
    if (mariadb) cleanup.push(publicCleanupMarker);

    await createScratchObjects(model, databases, admin);
    // External roles and accounts are another program's: here they are made plain, as it would
    // leave them, so that the script finds them and they can be probed like the others.
    for (const role of model.roles.filter((r) => r.external)) {
      await admin.query(role.login ? `CREATE USER ${quoteMysqlGrantee(role.name, role.host)} ACCOUNT LOCK` : `CREATE ROLE ${quoteMysqlIdent(role.name)}`);
    }
    const compiled = renderMysql(model, { databaseOf: (schema) => databases[schema]! });
    const script = options.transformScript ? options.transformScript(compiled, databases) : compiled;
    const report = await proveScript(model, script, url, admin, databases, probe, password, mariadb, timeouts);
    return { ...report, databases };
  } finally {
    try {
      // A script that failed between LOCK TABLES and UNLOCK TABLES leaves this session able to
      // touch only the tables it locked: every cleanup statement would fail, and quietly.
      await admin.query("UNLOCK TABLES").catch(() => undefined);
      for (const statement of cleanup) {
      if (statement === publicCleanupMarker) {
        for (const revoke of await publicRevokes(admin, Object.values(databases))) await admin.query(revoke).catch(() => undefined);
      } else {
        await admin.query(statement).catch(() => undefined);
      }
    }
    } finally {
      await admin.close();
    }
  }
}

async function refuseExistingRoles(model: Model, admin: MysqlSession, url: string): Promise<void> {
  const names = model.roles.flatMap((r) => [r.name, mysqlNames.loginRolePrefix + r.name]);
  if (names.length === 0) return;
  const rows = await admin.query<{ User: string }>(`SELECT DISTINCT User FROM mysql.user WHERE User IN (?)`, [names]);
  if (rows.length > 0) {
    throw new InputError(
      `verify --target mysql needs a server where the declared roles do not exist yet (it creates them, then drops them); ${rows.map((r) => JSON.stringify(r.User)).sort().join(", ")} already exist on ${redactUrl(url)}. Use a scratch server, not a shared one.`,
    );
  }
}

/**
 * verify logs in as the accounts it checks. The server matches the most specific host first, so
 * an anonymous account on a more specific host is who such a login becomes, and every check
 * would be about that account instead: refused before anything is created. (The probe account
 * for roles is made for the host the server sees verify connect from, where it wins; see
 * probe-login.ts.)
 */
async function refuseAnonymousAccounts(model: Model, admin: MysqlSession, url: string): Promise<void> {
  const hosts = model.roles.filter((r) => r.login).map((r) => r.host);
  const rows = await admin.query<{ Host: string }>("SELECT Host FROM mysql.user WHERE User = '' ORDER BY Host");
  const taking = rows.map((r) => r.Host).filter((host) => hosts.some((h) => matchedBefore(host, h)));
  if (taking.length > 0) {
    const accounts = taking.map((host) => quoteMysqlGrantee("", host)).join(", ");
    throw new InputError(
      `verify --target mysql logs in as the accounts it checks, but on ${redactUrl(url)} the anonymous account(s) ${accounts} would be matched first and take those logins; drop them (DROP USER ${accounts}) or use a server without anonymous accounts.`,
    );
  }
}

/**
 * Every column is a nullable string; every table gets one row; a view is an updatable view over a
 * table of its own. Each routine takes as many text parameters as it declares arguments (the
 * server knows it by its name alone) and does nothing.
 */
async function createScratchObjects(model: Model, databases: Record<string, string>, admin: MysqlSession): Promise<void> {
  for (const db of Object.values(databases)) await admin.query(`CREATE DATABASE ${quoteMysqlIdent(db)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  let base = 0;
  for (const object of model.objects) {
    if (object.kind === "sequence") continue;
    const db = databases[object.schema]!;
    const columns = object.columns.map((c) => `${quoteMysqlIdent(c)} VARCHAR(64) NULL`).join(", ");
    const values = object.columns.map(() => "'seed'").join(", ");
    const table = object.kind === "table" ? quoteMysqlQualified(db, object.name) : quoteMysqlQualified(db, `rolec_verify_view_base_${++base}`);
    await admin.query(`CREATE TABLE ${table} (${columns}) ENGINE = InnoDB`);
    await admin.query(`INSERT INTO ${table} VALUES (${values})`);
    if (object.kind === "view") {
      await admin.query(
        `CREATE SQL SECURITY DEFINER VIEW ${quoteMysqlQualified(db, object.name)} AS SELECT ${object.columns.map(quoteMysqlIdent).join(", ")} FROM ${table}`,
      );
    }
  }
  for (const routine of model.routines) {
    const name = quoteMysqlQualified(databases[routine.schema]!, routine.name);
    const parameters = routine.args.map((_, i) => `p${i + 1} TEXT`).join(", ");
    await admin.query(
      routine.kind === "function"
        ? `CREATE FUNCTION ${name}(${parameters}) RETURNS INT DETERMINISTIC NO SQL RETURN 1`
        : `CREATE PROCEDURE ${name}(${parameters}) NO SQL DO 0`,
    );
  }
}

/** A call of the routine with every argument NULL: SELECT for a function, CALL for a procedure. */
function callOf(routine: Routine, db: string): string {
  const args = routine.args.map(() => "NULL").join(", ");
  return `${routine.kind === "function" ? "SELECT" : "CALL"} ${quoteMysqlQualified(db, routine.name)}(${args})`;
}

async function proveScript(
  model: Model,
  script: string,
  url: string,
  admin: MysqlSession,
  databases: Record<string, string>,
  probe: { name: string; host: string },
  password: string,
  mariadb: boolean,
  timeouts: SessionTimeouts,
): Promise<VerifyReport> {
  const expect = new Expectations(model);
  const objects = model.objects.filter((o) => o.kind !== "sequence");
  const summary = model.roles.flatMap((role) =>
    objects
      .map((o) => ({
        role: role.name,
        object: `${o.schema}.${o.name}`,
        privileges: expect.describe(role.name, o, verbOrder.filter((v) => mysqlGrantable(v, o.kind))),
      }))
      .filter((row) => row.privileges.length > 0),
  );
  for (const routine of model.routines) {
    for (const role of model.roles.filter((r) => expect.onRoutine(r.name, routine))) summary.push({ role: role.name, object: formatRoutine(routine), privileges: ["execute"] });
  }
  for (const role of model.roles) {
    const onServer = serverVerbOrder.filter((v) => expect.onServer(role.name, v));
    if (onServer.length > 0) summary.push({ role: role.name, object: "the server", privileges: onServer });
  }
  for (const run of ["first", "second"]) {
    try {
      await runMysqlScript(script, admin);
    } catch (error) {
      return { scriptError: `the script failed on its ${run} run: ${errorMessage(error)}`, privilegeChecks: 0, statementChecks: 0, mismatches: [], roleMismatches: [], appendOnlyMismatches: [], summary };
    }
  }

  // What the owner of an external account does for it: activate its roles at login (the script
  // never sets an external account's default roles). On MariaDB its login role, which the script
  // made and granted its roles to; on MySQL 8 every role it holds.
  for (const role of model.roles.filter((r) => r.external && r.login && r.memberOf.length > 0)) {
    const account = quoteMysqlGrantee(role.name, role.host);
    if (mariadb) {
      const loginRole = quoteMysqlIdent(mysqlNames.loginRolePrefix + role.name);
      await admin.query(`GRANT ${loginRole} TO ${account}`);
      await admin.query(`SET DEFAULT ROLE ${loginRole} FOR ${account}`);
    } else {
      await admin.query(`SET DEFAULT ROLE ALL TO ${account}`);
    }
  }
  const appendOnlyMismatches = await checkAppendOnly(objects, databases, admin);
  const roleMismatches: RoleMismatch[] = [...(await compareGrantTables(model, databases, admin, mariadb)), ...(await compareAccounts(model, admin, mariadb))];
  const mismatches: Mismatch[] = [];
  let statementChecks = 0;
  await admin.query(`CREATE USER IF NOT EXISTS ${quoteMysqlGrantee(probe.name, probe.host)} IDENTIFIED BY ${quoteMysqlLiteral(password)}`);
  for (const role of model.roles) {
    let login: { user: string; password: string };
    if (role.login) {
      if (!["%", "localhost", "127.0.0.1"].includes(role.host)) {
        roleMismatches.push({ role: role.name, what: "login", expected: "an account this machine can log in as", actual: `host ${role.host} does not match here, so it was not probed` });
        continue;
      }
      await admin.query(`ALTER USER ${quoteMysqlGrantee(role.name, role.host)} IDENTIFIED BY ${quoteMysqlLiteral(password)} ACCOUNT UNLOCK`);
      login = { user: role.name, password };
      roleMismatches.push(...(await proveAndLiftAccountOptions({ name: role.name, host: role.host, options: role.account }, url, login, admin, timeouts)));
    } else {
      // A role cannot log in: a probe account holds it as its default role, as an application account would.
      await admin.query(`REVOKE ALL PRIVILEGES, GRANT OPTION FROM ${quoteMysqlGrantee(probe.name, probe.host)}`);
      for (const row of await admin.query<{ Role: string }>(mariadb ? "SELECT Role FROM mysql.roles_mapping WHERE User = ? AND Host = ?" : "SELECT FROM_USER AS Role FROM mysql.role_edges WHERE TO_USER = ? AND TO_HOST = ?", [probe.name, probe.host])) {
        await admin.query(`REVOKE ${quoteMysqlIdent(row.Role)} FROM ${quoteMysqlGrantee(probe.name, probe.host)}`);
      }
      await admin.query(`GRANT ${quoteMysqlIdent(role.name)} TO ${quoteMysqlGrantee(probe.name, probe.host)}`);
      await admin.query(mariadb ? `SET DEFAULT ROLE ${quoteMysqlIdent(role.name)} FOR ${quoteMysqlGrantee(probe.name, probe.host)}` : `SET DEFAULT ROLE ALL TO ${quoteMysqlGrantee(probe.name, probe.host)}`);
      login = { user: probe.name, password };
    }
    const session = await loginToProbe(url, login, role.login ? { name: role.name, host: role.host } : probe, admin, timeouts);
    // Each probe runs as the role's login, and counts as a mismatch unless it is allowed exactly where expected.
    const runProbes = async (shown: string, probes: readonly Probe[]): Promise<void> => {
      for (const probe of probes) {
        statementChecks += 1;
        const actual = await runProbe(session, probe.sql);
        if (actual === (probe.expected ? "allowed" : "denied")) continue;
        mismatches.push({
          role: role.name,
          object: shown,
          verb: probe.verb,
          ...(probe.column !== undefined ? { column: probe.column } : {}),
          check: "statement",
          expected: probe.expected ? "allowed" : "denied",
          actual,
          sql: probe.sql,
        });
      }
    };
    try {
      for (const object of objects) {
        const target = quoteMysqlQualified(databases[object.schema]!, object.name);
        const probes: Probe[] = [];
        for (const column of object.columns) {
          const c = quoteMysqlIdent(column);
          probes.push(
            { verb: "select", column, sql: `SELECT ${c} FROM ${target} LIMIT 0`, expected: expect.onColumn(role.name, object, "select", column) },
            { verb: "insert", column, sql: `INSERT INTO ${target} (${c}) VALUES (NULL)`, expected: expect.onColumn(role.name, object, "insert", column) },
            // WHERE FALSE touches no row, so it checks the privilege and fires no trigger.
            { verb: "update", column, sql: `UPDATE ${target} SET ${c} = NULL WHERE FALSE`, expected: expect.onColumn(role.name, object, "update", column) },
          );
        }
        probes.push({ verb: "delete", sql: `DELETE FROM ${target} WHERE FALSE`, expected: expect.onObject(role.name, object, "delete") });
        await runProbes(`${object.schema}.${object.name}`, probes);
      }
      for (const probe of serverProbes) {
        statementChecks += 1;
        const actual = probe.answers ? await countProbe(session, probe.sql) : await runProbe(session, probe.sql);
        const expected = expect.onServer(role.name, probe.verb);
        if (actual !== (expected ? "allowed" : "denied")) {
          mismatches.push({ role: role.name, object: "the server", verb: probe.verb, check: "statement", expected: expected ? "allowed" : "denied", actual, sql: probe.sql });
        }
      }
      for (const routine of model.routines) {
        await runProbes(formatRoutine(routine), [
          { verb: "execute", sql: callOf(routine, databases[routine.schema]!), expected: expect.onRoutine(role.name, routine) },
        ]);
      }
    } finally {
      await session.close();
    }
  }
  return { privilegeChecks: 0, statementChecks, mismatches, roleMismatches, appendOnlyMismatches, summary };
}

interface Probe {
  readonly verb: "select" | "insert" | "update" | "delete" | "execute";
  readonly column?: string;
  readonly sql: string;
  readonly expected: boolean;
}

/** A query that answers a count: more than none means the privilege let the role see it. */
async function countProbe(session: MysqlSession, sql: string): Promise<string> {
  try {
    const [row] = await session.query<{ n: number | string }>(sql);
    return Number(row?.n ?? 0) > 0 ? "allowed" : "denied";
  } catch (error) {
    return `failed with ${mysqlSqlState(error) ?? "an error"}: ${errorMessage(error)}`;
  }
}

/** Runs one probe inside a transaction that is rolled back, so an INSERT leaves nothing behind. */
async function runProbe(session: MysqlSession, sql: string): Promise<string> {
  await session.query("START TRANSACTION");
  try {
    await session.query(sql);
    return "allowed";
  } catch (error) {
    if (deniedErrnos.has(mysqlErrno(error) ?? 0)) return "denied";
    return `failed with ${mysqlSqlState(error) ?? "an error"}: ${errorMessage(error)}`;
  } finally {
    await session.query("ROLLBACK");
  }
}

/** Both triggers are there, defined by the locked account, and refuse root's UPDATE and DELETE with SQLSTATE 45000. */
async function checkAppendOnly(objects: readonly DbObject[], databases: Record<string, string>, admin: MysqlSession): Promise<AppendOnlyMismatch[]> {
  const mismatches: AppendOnlyMismatch[] = [];
  const definer = `${mysqlNames.definer.name}@${mysqlNames.definer.host}`;
  for (const object of objects.filter((o) => o.appendOnly)) {
    const db = databases[object.schema]!;
    const table = `${object.schema}.${object.name}`;
    const triggers = await admin.query<{ EVENT_MANIPULATION: string; DEFINER: string; ACTION_TIMING: string }>(
      "SELECT EVENT_MANIPULATION, DEFINER, ACTION_TIMING FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ?",
      [db, object.name],
    );
    for (const event of ["UPDATE", "DELETE"]) {
      const trigger = triggers.find((t) => t.EVENT_MANIPULATION === event && t.ACTION_TIMING === "BEFORE");
      if (!trigger) mismatches.push({ table, what: `BEFORE ${event} trigger`, expected: "present", actual: "missing" });
      else if (trigger.DEFINER !== definer) mismatches.push({ table, what: `BEFORE ${event} trigger definer`, expected: definer, actual: trigger.DEFINER });
      const target = quoteMysqlQualified(db, object.name);
      const sql = event === "UPDATE" ? `UPDATE ${target} SET ${quoteMysqlIdent(object.columns[0]!)} = 'changed'` : `DELETE FROM ${target}`;
      await admin.query("START TRANSACTION");
      try {
        await admin.query(sql);
        mismatches.push({ table, what: `${event} by root`, expected: "refused by the append-only trigger", actual: "allowed" });
      } catch (error) {
        if (mysqlSqlState(error) !== mysqlNames.sqlstate) mismatches.push({ table, what: `${event} by root`, expected: "refused by the append-only trigger", actual: errorMessage(error) });
      } finally {
        await admin.query("ROLLBACK");
      }
    }
  }
  return mismatches;
}

const publicCleanupMarker = "-- revoke PUBLIC's grants on the scratch databases";

/** The REVOKEs that take PUBLIC's table, column and database grants on the scratch databases away (MariaDB). */
async function publicRevokes(admin: MysqlSession, databases: readonly string[]): Promise<string[]> {
  // `IN ()` is a syntax error: a program whose objects are all sequences has no database here.
  if (databases.length === 0) return [];
  const tables = await admin.query<{ Db: string; Table_name: string }>(
    "SELECT DISTINCT Db, Table_name FROM mysql.tables_priv WHERE User = 'PUBLIC' AND Host = '' AND Db IN (?) UNION SELECT DISTINCT Db, Table_name FROM mysql.columns_priv WHERE User = 'PUBLIC' AND Host = '' AND Db IN (?)",
    [databases, databases],
  );
  const dbs = await admin.query<{ Db: string }>("SELECT Db FROM mysql.db WHERE User = 'PUBLIC' AND Host = '' AND Db IN (?)", [databases]);
  const on = [...tables.map((t) => quoteMysqlQualified(t.Db, t.Table_name)), ...dbs.map((d) => `${quoteMysqlIdent(d.Db)}.*`)];
  // Revoking a grant option that is not held is an error, so the two go separately and failures are passed over.
  return on.flatMap((target) => [`REVOKE ALL PRIVILEGES ON ${target} FROM PUBLIC`, `REVOKE GRANT OPTION ON ${target} FROM PUBLIC`]);
}

/** `rolec verify --target mysql`: there is no embedded MySQL, so a server is needed, and the script is compiled for its scratch databases. */
export async function verifyMysqlCommand(model: Model, options: VerifyOptions): Promise<VerifyReport> {
  if (options.db === undefined) throw new InputError("verify --target mysql needs --db mysql://user:password@host:port (there is no embedded MySQL)");
  if (options.script !== undefined) throw new InputError("verify --target mysql cannot take --script: it compiles the script itself, for the scratch databases it creates");
  options.announce(`using scratch databases on ${redactUrl(options.db)}`);
  return verifyMysql(model, options.db, { timeouts: options.timeouts });
}
