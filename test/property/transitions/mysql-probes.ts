import { openMysql, type MysqlSession } from "../../../src/engine/mysql/index.js";
import type { Reference } from "../reference-evaluator.js";
import { principalOf } from "./mysql-catalog.js";
import { allowedWord, type Mismatch } from "./mismatch.js";
import { myGrantee, myIdent, myLiteral, myQualified } from "./quote.js";

/**
 * Real statements on MariaDB, logged in as the account itself (unlocked with a password for the
 * occasion, then locked again) or, for a role, as a probe account whose default role it is: what
 * a login really gets, default roles and PUBLIC included.
 */
export interface MysqlProbe {
  readonly role: string;
  readonly sql: string;
  readonly allowed: boolean;
  readonly what: string;
  /** A count: the privilege shows in what the statement sees (more than none), not in whether it runs. */
  readonly counts?: true;
}

/** Errors that mean "no privilege": table, column, database and routine access denied. */
const deniedErrnos = new Set([1142, 1143, 1044, 1370]);
const password = "Transition-probe-1";

export function mysqlProbes(reference: Reference): MysqlProbe[] {
  const probes: MysqlProbe[] = [];
  for (const { name: role } of reference.roles) {
    for (const o of reference.objects) {
      const target = myQualified(o.schema, o.name);
      const on = `${JSON.stringify(o.schema)}.${JSON.stringify(o.name)}`;
      for (const column of o.columns) {
        const c = myIdent(column);
        const allows = (verb: "select" | "insert" | "update") => reference.allows(role, o.schema, o.name, verb, column);
        probes.push(
          { role, sql: `SELECT ${c} FROM ${target}`, allowed: allows("select"), what: `SELECT (${JSON.stringify(column)}) on ${on}` },
          { role, sql: `INSERT INTO ${target} (${c}) VALUES (NULL)`, allowed: allows("insert"), what: `INSERT (${JSON.stringify(column)}) on ${on}` },
          { role, sql: `UPDATE ${target} SET ${c} = NULL`, allowed: allows("update"), what: `UPDATE (${JSON.stringify(column)}) on ${on}` },
        );
      }
      probes.push({ role, sql: `DELETE FROM ${target}`, allowed: reference.allows(role, o.schema, o.name, "delete", null), what: `DELETE on ${on}` });
    }
    // The other sessions (this test's own are some) and databases the role holds nothing on.
    probes.push(
      { role, sql: "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()", allowed: reference.onServer(role, "process"), what: "PROCESS on the server", counts: true },
      { role, sql: "SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'mysql'", allowed: reference.onServer(role, "show_databases"), what: "SHOW DATABASES on the server", counts: true },
    );
    // A call with every argument NULL: SELECT for a function, CALL for a procedure.
    for (const r of reference.routines) {
      const call = `${myQualified(r.schema, r.name)}(${r.args.map(() => "NULL").join(", ")})`;
      probes.push({ role, sql: r.kind === "function" ? `SELECT ${call}` : `CALL ${call}`, allowed: reference.executes(role, r.schema, r.id), what: `EXECUTE on ${r.kind} ${JSON.stringify(r.schema)}.${JSON.stringify(r.name)}` });
    }
  }
  return probes;
}

/** Runs the probes, one login per role; `probeUser` names the account made for roles (dropped after). */
export async function mysqlProbeMismatches(root: MysqlSession, url: string, reference: Reference, probes: readonly MysqlProbe[], probeUser: string): Promise<Mismatch[]> {
  const mismatches: Mismatch[] = [];
  for (const role of reference.roles) {
    const mine = probes.filter((p) => p.role === role.name);
    if (mine.length === 0) continue;
    const p = principalOf(role);
    const login = p.host !== null ? myGrantee(p.user, p.host) : myGrantee(probeUser, "%");
    const account = role.login ? role.account : undefined;
    if (p.host !== null) {
      await root.query(`ALTER USER ${login} IDENTIFIED BY '${password}' ACCOUNT UNLOCK`);
      // An account that requires TLS must be refused this client's plain connection; its
      // requirement and hourly limits are then lifted for the probes, and put back after them.
      if (account && account.sslType !== "") {
        const refused = await openMysql(url, { user: p.user, password }).then(
          async (session) => (await session.close(), false),
          (error: { errno?: number }) => error.errno === 1045,
        );
        if (!refused) mismatches.push({ role: role.name, what: `login without TLS (ssl_type ${account.sslType})`, expected: "refused", actual: "allowed", how: "logged in without TLS" });
      }
      if (account) await root.query(`ALTER USER ${login} REQUIRE NONE WITH MAX_QUERIES_PER_HOUR 0 MAX_UPDATES_PER_HOUR 0 MAX_CONNECTIONS_PER_HOUR 0`);
    } else {
      await root.query(`CREATE USER ${login} IDENTIFIED BY '${password}'`);
      await root.query(`GRANT ${myIdent(p.user)} TO ${login}`);
      await root.query(`SET DEFAULT ROLE ${myIdent(p.user)} FOR ${login}`);
    }
    try {
      const session = await openMysql(url, { user: p.host !== null ? p.user : probeUser, password });
      try {
        for (const probe of mine) {
          let allowed: boolean;
          try {
            const rows = await session.query<{ n?: number | string }>(probe.sql);
            allowed = probe.counts ? Number(rows[0]?.n ?? 0) > 0 : true;
          } catch (error) {
            const { errno, sqlState, message } = error as { errno?: number; sqlState?: string; message?: string };
            // 45000: the append-only trigger refused it, so the privileges let it through.
            if (deniedErrnos.has(errno ?? 0)) allowed = false;
            else if (sqlState === "45000") allowed = true;
            else throw new Error(`probe ${probe.sql} as ${role.name} failed with neither success nor a privilege error: ${errno} ${message}`);
          }
          if (allowed !== probe.allowed) mismatches.push({ role: role.name, what: probe.what, expected: allowedWord(probe.allowed), actual: allowedWord(allowed), how: `logged in: ${probe.sql}` });
        }
      } finally {
        await session.close();
      }
    } finally {
      if (p.host !== null) await root.query(`ALTER USER ${login} ${account ? `${requireOf(account)} WITH MAX_QUERIES_PER_HOUR ${account.maxQuestions} MAX_UPDATES_PER_HOUR ${account.maxUpdates} MAX_CONNECTIONS_PER_HOUR ${account.maxConnections} ` : ""}ACCOUNT LOCK`);
      else await root.query(`DROP USER ${login}`);
    }
  }
  return mismatches;
}

/** REQUIRE as the reference's ssl_type and texts say it. */
function requireOf(account: Reference["roles"][number]["account"]): string {
  if (account.sslType !== "SPECIFIED") return `REQUIRE ${{ "": "NONE", ANY: "SSL", X509: "X509" }[account.sslType] ?? "NONE"}`;
  const parts = [["ISSUER", account.issuer], ["SUBJECT", account.subject], ["CIPHER", account.cipher]].filter(([, v]) => v !== "");
  return `REQUIRE ${parts.map(([word, v]) => `${word} ${myLiteral(v!)}`).join(" AND ")}`;
}
