import test, { type ExecutionContext } from "ava";
import { quoteMysqlQualified, renderMysql } from "../../src/engine/mysql/index.js";
import { verified } from "../../src/engine/index.js";
import { openMysql, runMysqlScript, verifyMysql, type MysqlSession } from "../../src/engine/mysql/index.js";
import { splitMysqlScript } from "../../src/engine/mysql/session/split-script.js";
import { serverUrl, withMysqlLock } from "../helpers/databases.js";
import { mysqlClient, runWithMysqlClient } from "../helpers/mysql-client.js";
import { exampleNames, exampleProgram, programOf } from "../helpers/program.js";

// The MySQL/MariaDB script proven on the server (ROLEC_TEST_MYSQL_URL): applied twice to scratch
// databases, then every account (and a probe account per role, holding it as its default role)
// runs a real SELECT, INSERT and UPDATE per column and a DELETE per object.
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.skip;

for (const name of exampleNames) {
  serverTest(`the MySQL script of example ${name} verifies on the MySQL/MariaDB server, applied twice`, async (t) => {
    const program = await exampleProgram(name, { databases: ["mysql"] });
    const report = await withMysqlLock(url!, () => verifyMysql(program.model, url!));
    t.true(verified(report), JSON.stringify(report, null, 1).slice(0, 3000));
    t.true(report.statementChecks > 100);
  });
}

serverTest("external roles and accounts verify on the MariaDB server: verify makes them plain, gives the account its default role as its owner would, and probes them", async (t) => {
  const program = programOf(
    `schema s { table t (a, b)
  table u (a) }
role vx_reader { select (a) on s.t }
external role vx_app login { member of vx_reader
  insert on s.u }
external role vx_auditors { select on s.u }
`,
    { databases: ["mysql"] },
  );
  t.deepEqual(program.diagnostics, []);
  const report = await withMysqlLock(url!, () => verifyMysql(program.model, url!));
  t.true(verified(report), JSON.stringify(report, null, 1).slice(0, 3000));
  t.true(report.statementChecks > 10);
  const leftover = await withMysqlLock(url!, async () => {
    const admin = await openMysql(url!);
    try {
      return await admin.query("SELECT User FROM mysql.user WHERE User IN ('vx_app', 'vx_auditors', 'vx_reader', 'rolec_login_vx_app')");
    } finally {
      await admin.close();
    }
  });
  t.deepEqual(leftover, [], "verify drops what it created, external roles included");
});

const program = programOf(
  `schema s {
  table customers (id, email, ssn)
  append_only table log (id, actor, what)
}
role reader { select on s.customers except s.customers(ssn) }
role app login {
  member of reader
  insert on s.log
  update (email) on s.customers
}
role auditor login { select on s.log }
role writer { member of reader
  insert on s.customers }
`,
  { databases: ["mysql"] },
);

serverTest("the untouched script of a test program verifies", async (t) => {
  const report = await withMysqlLock(url!, () => verifyMysql(program.model, url!));
  t.true(verified(report), JSON.stringify(report, null, 1).slice(0, 3000));
});

serverTest("an extra grant is caught, for the role and for the account that holds it by default", async (t) => {
  const report = await withMysqlLock(url!, () =>
    verifyMysql(program.model, url!, { transformScript: (s, db) => `${s}\nGRANT SELECT (\`ssn\`) ON ${quoteMysqlQualified(db.s!, "customers")} TO \`reader\`;\n` }),
  );
  const ssn = report.mismatches.filter((m) => m.verb === "select" && m.column === "ssn");
  t.deepEqual(ssn.map((m) => `${m.role} ${m.actual}`).sort(), ["app allowed", "reader allowed", "writer allowed"]);
});

serverTest("a missing grant is caught", async (t) => {
  const report = await withMysqlLock(url!, () =>
    verifyMysql(program.model, url!, { transformScript: (s) => s.replace(/^GRANT INSERT ON .*`log` TO .*;$/m, "") }),
  );
  t.true(report.mismatches.some((m) => m.role === "app" && m.verb === "insert" && m.object === "s.log" && m.actual === "denied"), JSON.stringify(report.mismatches));
});

serverTest("a dropped append-only trigger is caught, and root's DELETE then goes through", async (t) => {
  const report = await withMysqlLock(url!, () =>
    verifyMysql(program.model, url!, { transformScript: (s, db) => `${s}\nDROP TRIGGER ${quoteMysqlQualified(db.s!, "rolec_append_only_delete_log")};\n` }),
  );
  t.deepEqual(
    report.appendOnlyMismatches.map((m) => `${m.table} ${m.what} ${m.actual}`),
    ["s.log BEFORE DELETE trigger missing", "s.log DELETE by root allowed"],
  );
});

serverTest("the script converges drift: database-wide, global, extra column and table grants, grant options and memberships", async (t) => {
  const drift = (db: string) => `
    CREATE ROLE IF NOT EXISTS \`rolec_test_extra\`;
    GRANT SELECT ON ${quoteMysqlQualified(db, "customers")} TO \`rolec_test_extra\`;
    GRANT \`rolec_test_extra\` TO \`reader\` WITH ADMIN OPTION;
    GRANT \`writer\` TO \`app\`@\`%\`;
    GRANT \`reader\` TO \`auditor\`@\`%\` WITH ADMIN OPTION;
    GRANT \`reader\` TO \`writer\` WITH ADMIN OPTION;
    GRANT ALL PRIVILEGES ON \`${db}\`.* TO \`app\`@\`%\` WITH GRANT OPTION;
    GRANT PROCESS, SELECT ON *.* TO \`auditor\`@\`%\`;
    GRANT SELECT (\`ssn\`), UPDATE (\`ssn\`) ON ${quoteMysqlQualified(db, "customers")} TO \`writer\`;
    GRANT DELETE, DROP, ALTER ON ${quoteMysqlQualified(db, "log")} TO \`reader\` WITH GRANT OPTION;
    SET DEFAULT ROLE NONE FOR \`app\`@\`%\`;
    GRANT SELECT ON ${quoteMysqlQualified(db, "customers")} TO PUBLIC;
    GRANT INSERT ON \`${db}\`.* TO PUBLIC;
  `;
  try {
    const drifted = await withMysqlLock(url!, () => verifyMysql(program.model, url!, { transformScript: (s, db) => s + drift(db.s!) }));
    const found = drifted.roleMismatches.map((m) => `${m.role} ${m.what}`);
    for (const expected of [
      "reader member of rolec_test_extra",
      "app member of writer",
      "writer admin option on reader",
      "auditor member of reader",
      "app database-wide grant on s",
      "auditor global privileges",
      "reader DELETE on s.log",
      "reader DROP on s.log",
      "reader ALTER on s.log",
      "reader GRANT on s.log",
      "PUBLIC SELECT on s.customers",
      "PUBLIC database-wide grant on s",
    ]) {
      t.true(found.includes(expected), `${expected} is reported: ${found.join("; ")}`);
    }
    t.true(drifted.mismatches.some((m) => m.role === "writer" && m.column === "ssn"), "the extra column grant is probed");
    const report = await withMysqlLock(url!, () => verifyMysql(program.model, url!, { transformScript: (s, db) => s + drift(db.s!) + s }));
    t.true(verified(report), JSON.stringify(report, null, 1).slice(0, 3000));
  } finally {
    const admin = await openMysql(url!);
    await admin.query("DROP ROLE IF EXISTS `rolec_test_extra`").finally(() => admin.close());
  }
});

serverTest("a script stopped after any of its statements and run again ends exactly where one full run does", async (t) => {
  // MySQL commits statement by statement, so a connection lost anywhere leaves the first k applied.
  const count = splitMysqlScript(renderMysql(program.model)).length;
  t.true(count > 30);
  // The first k statements of the script verify runs (compiled for its scratch databases), then the whole script.
  const firstStatements = (script: string, k: number) =>
    splitMysqlScript(script)
      .slice(0, k)
      .map((statement) => `DELIMITER $$\n${statement.sql}$$\nDELIMITER ;\n`)
      .join("");
  for (let k = 0; k < count; k++) {
    // A lost connection also takes its table locks with it.
    const report = await withMysqlLock(url!, () => verifyMysql(program.model, url!, { transformScript: (s) => `${firstStatements(s, k)}UNLOCK TABLES;\n${s}` }));
    t.true(verified(report), `stopped after statement ${k}: ${JSON.stringify(report, null, 1).slice(0, 2000)}`);
  }
});

serverTest("a script that fails while it holds table locks still leaves nothing of the verification behind", async (t) => {
  const report = await withMysqlLock(url!, () =>
    verifyMysql(program.model, url!, { transformScript: (s, db) => `LOCK TABLES ${quoteMysqlQualified(db.s!, "log")} WRITE;\nSELECT rolec_no_such_function();\n${s}` }),
  );
  t.regex(report.scriptError ?? "", /rolec_no_such_function/);
  const admin = await openMysql(url!);
  try {
    t.deepEqual(await admin.query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", [report.databases.s]), []);
    t.deepEqual(await admin.query("SELECT User FROM mysql.user WHERE User IN ('reader', 'app', 'auditor', 'writer')"), []);
  } finally {
    await admin.close();
  }
});

serverTest("the script stops before changing anything when a declared table is missing", async (t) => {
  const report = await withMysqlLock(url!, () =>
    verifyMysql(program.model, url!, { transformScript: (s, db) => `DROP TABLE ${quoteMysqlQualified(db.s!, "customers")};\n${s}` }),
  );
  t.regex(report.scriptError ?? "", /the \.roles files declare tables or views that do not exist: rolec_verify_\w+\.customers/);
});

serverTest("the script refuses a foreign key that would cascade into an append-only table", async (t) => {
  const report = await withMysqlLock(url!, () =>
    verifyMysql(program.model, url!, {
      transformScript: (s, db) => `SET SESSION foreign_key_checks = 0;
CREATE TABLE ${quoteMysqlQualified(db.s!, "people")} (name VARCHAR(64) PRIMARY KEY);
ALTER TABLE ${quoteMysqlQualified(db.s!, "log")} ADD CONSTRAINT \`log_actor\` FOREIGN KEY (\`actor\`) REFERENCES ${quoteMysqlQualified(db.s!, "people")} (name) ON DELETE CASCADE;
SET SESSION foreign_key_checks = 1;
${s}`,
    }),
  );
  t.regex(report.scriptError ?? "", /foreign keys would change append-only tables without firing their triggers: log_actor on rolec_verify_\w+\.log \(ON DELETE CASCADE, ON UPDATE RESTRICT\)/);
});

// Names built to break naive SQL generation on MySQL: quotes of every kind, backticks,
// backslashes, comment and statement separators, control characters, unicode and bidi marks,
// reserved words, 63-byte names (in bytes, and in fewer characters). The schema is a real
// database of that name; a canary table must survive. The script is run both by rolec's own
// statement splitter and by the command-line client that users run it with.
const hostileSchema = "app'; DROP TABLE rolec_canary.alive; --";
const hostileTables = ["a`b", "select", "has space", "ünïcödé", "\u202eevil", "x".repeat(63), "back\\slash", "bang\\! x", "é".repeat(31) + "x"];
const hostileColumns = ["c`1", "--", "/* c */", "back\\slash", "user", "q'uote", 'dq"uote', "#hash \\c x"];
const hostileRoles = ["Robert'); DROP USER root;--", "b`tick", "MixedCase", "ß".repeat(31) + "a"];
const hostileSource = `schema ${fmt(hostileSchema)} {
${hostileTables.map((n) => `  table ${fmt(n)} (${hostileColumns.map(fmt).join(", ")})`).join("\n")}
  append_only table ${fmt("log'; --")} (${hostileColumns.map(fmt).join(", ")})
}
role ${fmt(hostileRoles[0]!)} {
  select on ${fmt(hostileSchema)}.* except ${fmt(hostileSchema)}.${fmt(hostileTables[0]!)}(${fmt(hostileColumns[1]!)})
}
role ${fmt(hostileRoles[1]!)} login host "local\`host'%" {
  member of ${fmt(hostileRoles[0]!)}
  insert (${fmt(hostileColumns[0]!)}) on ${fmt(hostileSchema)}.${fmt(hostileTables[1]!)}
  insert on ${fmt(hostileSchema)}.${fmt("log'; --")}
}
role ${fmt(hostileRoles[2]!)} login { member of ${fmt(hostileRoles[0]!)} }
role ${fmt(hostileRoles[3]!)} { update (${fmt(hostileColumns[3]!)}) on ${fmt(hostileSchema)}.${fmt(hostileTables[6]!)} }
`;

// The host holds a % so that it is a pattern, not a host name: a server with skip_name_resolve
// (as here) ignores an account whose host is a name once it reads its grant tables again, which
// the script's closing FLUSH PRIVILEGES does (see the README, MySQL and MariaDB).
function fmt(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

if (url && !mysqlClient) {
  if (process.env.ROLEC_REQUIRE_SERVERS === "1") throw new Error("no mariadb or mysql client on PATH, and ROLEC_REQUIRE_SERVERS=1 requires one");
  process.stderr.write("note: no mariadb or mysql client on PATH; skipping the test that runs the script through it\n");
}

/** Runs a script as a user would: `mariadb -h host -u user < mysql.sql`. */
async function runWithClient(script: string): Promise<void> {
  const result = await runWithMysqlClient(url!, script);
  if (result.status !== 0) throw new Error(`${mysqlClient} failed (${result.status}): ${result.stderr}`);
}

const runners: readonly { readonly name: string; readonly available: boolean; run(script: string, admin: MysqlSession): Promise<void> }[] = [
  { name: "rolec's statement splitter", available: true, run: async (script, admin) => void (await runMysqlScript(script, admin)) },
  { name: "the command-line client", available: mysqlClient !== undefined, run: (script) => runWithClient(script) },
];

async function hostileNames(t: ExecutionContext, runner: (typeof runners)[number]): Promise<void> {
  const hostile = programOf(hostileSource, { databases: ["mysql"] });
  t.deepEqual(hostile.diagnostics.filter((d) => d.severity === "error"), []);
  await withMysqlLock(url!, async () => {
    const admin = await openMysql(url!);
    const q = (n: string) => `\`${n.replaceAll("`", "``")}\``;
    try {
      await admin.query("CREATE DATABASE IF NOT EXISTS rolec_canary");
      await admin.query("CREATE TABLE IF NOT EXISTS rolec_canary.alive (x INT)");
      await admin.query(`DROP DATABASE IF EXISTS ${q(hostileSchema)}`);
      await admin.query(`CREATE DATABASE ${q(hostileSchema)}`);
      for (const table of [...hostileTables, "log'; --"]) {
        await admin.query(`CREATE TABLE ${q(hostileSchema)}.${q(table)} (${hostileColumns.map((c) => `${q(c)} VARCHAR(8)`).join(", ")})`);
      }
      const script = renderMysql(hostile.model);
      await runner.run(script, admin);
      await runner.run(script, admin);
      t.deepEqual(await admin.query("SELECT COUNT(*) AS n FROM rolec_canary.alive"), [{ n: 0 }], "the canary table is still there");
      const users = await admin.query<{ User: string; Host: string }>("SELECT User, Host FROM mysql.user WHERE User IN (?) ORDER BY User, Host", [hostileRoles]);
      t.deepEqual(
        users.map((u) => `${u.User}@${u.Host}`),
        [`${hostileRoles[2]}@%`, `${hostileRoles[0]}@`, `${hostileRoles[1]}@local\`host'%`, `${hostileRoles[3]}@`].sort(),
      );
      const columns = await admin.query<{ User: string; Table_name: string; Column_name: string; Column_priv: string }>(
        "SELECT User, Table_name, Column_name, Column_priv FROM mysql.columns_priv WHERE Db = ? ORDER BY User, Table_name, Column_name",
        [hostileSchema],
      );
      t.true(columns.some((c) => c.User === hostileRoles[3] && c.Table_name === "back\\slash" && c.Column_name === "back\\slash" && c.Column_priv === "Update"));
      t.true(columns.some((c) => c.User === hostileRoles[1] && c.Table_name === "select" && c.Column_name === "c`1" && c.Column_priv === "Insert"));
      t.false(columns.some((c) => c.User === hostileRoles[0] && c.Table_name === "a`b" && c.Column_name === "--"), "the excluded column is not granted");
      // The wildcard reaches the tables named with control characters and with 63 bytes in 32 characters, under exactly those names.
      const tables = await admin.query<{ Table_name: string; Table_priv: string }>("SELECT Table_name, Table_priv FROM mysql.tables_priv WHERE Db = ? AND User = ? ORDER BY 1", [hostileSchema, hostileRoles[0]]);
      for (const name of ["bang\\! x", "é".repeat(31) + "x", "\u202eevil"]) t.true(tables.some((r) => r.Table_name === name && r.Table_priv === "Select"), name);
      const triggers = await admin.query<{ TRIGGER_NAME: string }>("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ? ORDER BY 1", [hostileSchema]);
      t.deepEqual(triggers.map((r) => r.TRIGGER_NAME), ["rolec_append_only_delete_log'; --", "rolec_append_only_update_log'; --"]);
      await admin.query(`INSERT INTO ${q(hostileSchema)}.${q("log'; --")} (${q("user")}) VALUES ('row')`);
      const refused = await admin.query(`DELETE FROM ${q(hostileSchema)}.${q("log'; --")}`).then(() => undefined, (e: { sqlState?: string; message?: string }) => e);
      t.is(refused?.sqlState, "45000");
      t.true(refused?.message?.includes(`${hostileSchema}.log'; --`));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${q(hostileSchema)}`);
      await admin.query("DROP DATABASE IF EXISTS rolec_canary");
      for (const role of hostile.model.roles) {
        await admin.query(role.login ? `DROP USER IF EXISTS ${q(role.name)}@${q(role.host)}` : `DROP ROLE IF EXISTS ${q(role.name)}`);
        await admin.query(`DROP ROLE IF EXISTS ${q(`rolec_login_${role.name}`)}`);
      }
      await admin.query("DROP USER IF EXISTS `rolec_append_only`@`localhost`");
      await admin.query("DROP DATABASE IF EXISTS `rolec`");
      await admin.close();
    }
  });
}

for (const runner of runners) {
  (runner.available ? serverTest : test.skip)(`hostile names compile to a MySQL script that creates and grants exactly those names, run by ${runner.name}`, (t) => hostileNames(t, runner));
}

/** A scratch database with `program`'s objects, for tests that run scripts by hand; dropped afterwards with the roles. */
async function withDatabaseFor<T>(model: typeof program.model, db: string, fn: (admin: Awaited<ReturnType<typeof openMysql>>) => Promise<T>): Promise<T> {
  return withMysqlLock(url!, async () => {
    const admin = await openMysql(url!);
    const q = (n: string) => `\`${n.replaceAll("`", "``")}\``;
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${q(db)}`);
      await admin.query(`CREATE DATABASE ${q(db)}`);
      for (const o of model.objects.filter((x) => x.kind === "table")) {
        await admin.query(`CREATE TABLE ${q(db)}.${q(o.name)} (${o.columns.map((c) => `${q(c)} VARCHAR(8)`).join(", ")})`);
      }
      return await fn(admin);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${q(db)}`);
      for (const role of model.roles) {
        await admin.query(role.login ? `DROP USER IF EXISTS ${q(role.name)}@${q(role.host)}` : `DROP ROLE IF EXISTS ${q(role.name)}`);
        await admin.query(`DROP ROLE IF EXISTS ${q(`rolec_login_${role.name}`)}`);
      }
      await admin.query("DROP USER IF EXISTS `rolec_append_only`@`localhost`");
      await admin.query("DROP DATABASE IF EXISTS `rolec`");
      await admin.close();
    }
  });
}

serverTest("narrowing a table-wide grant to columns leaves the declared column grants after one run", async (t) => {
  const wide = programOf("schema rolec_test_narrow { table t (a, b, c) }\nrole narrow_r { select, insert on rolec_test_narrow.t }\n", { databases: ["mysql"] });
  const narrow = programOf("schema rolec_test_narrow { table t (a, b, c) }\nrole narrow_r { select (a, b), insert (c) on rolec_test_narrow.t }\n", { databases: ["mysql"] });
  await withDatabaseFor(wide.model, "rolec_test_narrow", async (admin) => {
    await runMysqlScript(renderMysql(wide.model), admin);
    await runMysqlScript(renderMysql(narrow.model), admin);
    const tables = await admin.query("SELECT Table_priv FROM mysql.tables_priv WHERE User = 'narrow_r' AND Db = 'rolec_test_narrow'");
    t.deepEqual(tables.map((r) => (r as { Table_priv: string }).Table_priv), [""], "no table-wide privilege is left");
    const columns = await admin.query<{ Column_name: string; Column_priv: string }>(
      "SELECT Column_name, Column_priv FROM mysql.columns_priv WHERE User = 'narrow_r' AND Db = 'rolec_test_narrow' ORDER BY Column_name",
    );
    t.deepEqual(columns.map((c) => `${c.Column_name}:${c.Column_priv}`), ["a:Select", "b:Select", "c:Insert"]);
  });
});

serverTest("a database grant on a pattern that matches a declared database is revoked", async (t) => {
  const report = await withMysqlLock(url!, () =>
    verifyMysql(program.model, url!, {
      transformScript: (s, db) => `${s}\nGRANT ALL PRIVILEGES ON \`${db.s!.slice(0, -1)}_\`.* TO \`reader\`;\n${s}`,
    }),
  );
  t.true(verified(report), JSON.stringify(report, null, 1).slice(0, 2000));
  const drifted = await withMysqlLock(url!, () =>
    verifyMysql(program.model, url!, {
      transformScript: (s, db) => `${s}\nGRANT ALL PRIVILEGES ON \`${db.s!.slice(0, -1)}_\`.* TO \`reader\`;\n`,
    }),
  );
  t.true(drifted.roleMismatches.some((m) => m.role === "reader" && /^database-wide grant on s \(through rolec_verify_\w+_\)$/.test(m.what)), JSON.stringify(drifted.roleMismatches));
});

serverTest("roles granted to PUBLIC are left alone; global privileges of PUBLIC stop the script", async (t) => {
  const empty = programOf("schema rolec_test_pub { table t (a) }\nrole pub_r { select on rolec_test_pub.t }\n", { databases: ["mysql"] });
  await withDatabaseFor(empty.model, "rolec_test_pub", async (admin) => {
    try {
      await admin.query("CREATE ROLE IF NOT EXISTS rolec_test_everyone");
      await admin.query("GRANT rolec_test_everyone TO PUBLIC");
      await runMysqlScript(renderMysql(empty.model), admin);
      const edges = await admin.query("SELECT 1 FROM mysql.roles_mapping WHERE User = 'PUBLIC' AND Role = 'rolec_test_everyone'");
      t.is(edges.length, 1, "the role granted to PUBLIC is still granted");
      await admin.query("GRANT SELECT ON *.* TO PUBLIC");
      const error = await runMysqlScript(renderMysql(empty.model), admin).then(() => undefined, (e: Error) => e);
      t.regex(error?.message ?? "", /PUBLIC holds global privileges/);
    } finally {
      await admin.query("REVOKE SELECT ON *.* FROM PUBLIC").catch(() => undefined);
      await admin.query("REVOKE rolec_test_everyone FROM PUBLIC").catch(() => undefined);
      await admin.query("DROP ROLE IF EXISTS rolec_test_everyone");
      await admin.query("DO RELEASE_LOCK('rolec')");
    }
  });
});

serverTest("a procedure planted in the rolec database is dropped, never called", async (t) => {
  const small = programOf("schema rolec_test_plant { table t (a) }\nrole plant_r { select on rolec_test_plant.t }\n", { databases: ["mysql"] });
  await withDatabaseFor(small.model, "rolec_test_plant", async (admin) => {
    try {
      await admin.query("CREATE USER IF NOT EXISTS rolec_test_planter@localhost");
      await admin.query("CREATE DATABASE IF NOT EXISTS rolec");
      for (const name of ["fail", "preflight", "converge"]) {
        await admin.query(`DROP PROCEDURE IF EXISTS rolec.${name}`);
        await admin.query(`CREATE DEFINER = CURRENT_USER PROCEDURE rolec.${name}() SQL SECURITY INVOKER GRANT ALL PRIVILEGES ON *.* TO rolec_test_planter@localhost WITH GRANT OPTION`);
      }
      await runMysqlScript(renderMysql(small.model), admin);
      const grants = await admin.query<Record<string, string>>("SHOW GRANTS FOR rolec_test_planter@localhost");
      t.deepEqual(grants.map((g) => Object.values(g)[0]), ["GRANT USAGE ON *.* TO `rolec_test_planter`@`localhost`"]);
      t.deepEqual(await admin.query("SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'rolec'"), [], "the script leaves no procedure behind");
    } finally {
      await admin.query("DROP USER IF EXISTS rolec_test_planter@localhost");
    }
  });
});

serverTest("a script waiting for another's lock fails with a message that says so", async (t) => {
  const small = programOf("schema rolec_test_lock { table t (a) }\nrole lock_r { select on rolec_test_lock.t }\n", { databases: ["mysql"] });
  await withDatabaseFor(small.model, "rolec_test_lock", async (admin) => {
    const holder = await openMysql(url!);
    try {
      await holder.query("SELECT GET_LOCK('rolec', 5)");
      const script = renderMysql(small.model).replace("GET_LOCK('rolec', 60)", "GET_LOCK('rolec', 1)");
      const error = await runMysqlScript(script, admin).then(() => undefined, (e: Error) => e);
      t.regex(error?.message ?? "", /locked by another rolec script: retry later/);
    } finally {
      await holder.close();
    }
  });
});

serverTest("a program whose only objects are sequences, which MySQL has none of, verifies", async (t) => {
  const sequences = programOf(`schema s { sequence ids }\nrole seq_only { usage on s.ids }\n`, { databases: ["mysql"] });
  const report = await withMysqlLock(url!, () => verifyMysql(sequences.model, url!));
  t.true(verified(report), JSON.stringify(report, null, 1).slice(0, 3000));
});

serverTest("on a server whose default character set is latin1 (MariaDB's own default), names outside Latin-1 run through the script", async (t) => {
  // The helper procedures' text variables take the rolec database's character set; a leftover
  // rolec database in latin1 must not keep it either.
  const wide = programOf("schema rolec_test_latin1 { table t (a) }\nrole \"lat日本\" login { select on rolec_test_latin1.t }\nrole \"lat‽\" { select (a) on rolec_test_latin1.t }\n", { databases: ["mysql"] });
  await withDatabaseFor(wide.model, "rolec_test_latin1", async (admin) => {
    await admin.query("SET SESSION character_set_server = 'latin1', collation_server = 'latin1_swedish_ci'");
    await admin.query("DROP DATABASE IF EXISTS `rolec`");
    await admin.query("CREATE DATABASE `rolec` CHARACTER SET latin1");
    await runMysqlScript(renderMysql(wide.model), admin);
    const held = await admin.query<{ User: string }>("SELECT DISTINCT User FROM mysql.tables_priv WHERE Db = 'rolec_test_latin1' UNION SELECT DISTINCT User FROM mysql.columns_priv WHERE Db = 'rolec_test_latin1' ORDER BY 1");
    t.deepEqual(held.map((r) => r.User), ["lat‽", "lat日本"]);
  });
});
